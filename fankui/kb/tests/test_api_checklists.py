"""GET /api/v1/kb/checklists?system=: the self-check a reporter ticks before filing."""
from __future__ import annotations

import datetime

import pytest
from django.test import Client

from fankui.core.testing import client_for, make_personas
from fankui.directory.models import System
from fankui.kb.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    return client_for(make_personas()["reporter_a"])


def test_it_needs_login() -> None:
    response = Client().get("/api/v1/kb/checklists", {"system": "一应生活APP"})
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "请先登录或提供有效的访问令牌。"


def test_it_returns_the_binding_checklist_for_the_app(client: Client) -> None:
    body = client.get("/api/v1/kb/checklists", {"system": "一应生活APP"}).json()
    assert [c["slug"] for c in body] == ["binding_visitor"]
    assert body[0]["url"] == "/kb/binding_visitor/"
    assert body[0]["items"][1] == "刚在业主信息中添加的业主，已等待10分钟同步"


def test_the_form_may_send_the_system_id(client: Client) -> None:
    system = System.objects.get(name="一应生活APP")
    assert [c["slug"] for c in client.get("/api/v1/kb/checklists", {"system": str(system.pk)}).json()] == ["binding_visitor"]


def test_other_systems_have_none(client: Client) -> None:
    assert client.get("/api/v1/kb/checklists", {"system": "金蝶EAS"}).json() == []
    assert client.get("/api/v1/kb/checklists").json() == []


def test_an_expired_article_asks_for_nothing(client: Client) -> None:
    Article.objects.filter(slug="binding_visitor").update(valid_until=datetime.date(2020, 1, 1))
    assert client.get("/api/v1/kb/checklists", {"system": "一应生活APP"}).json() == []
