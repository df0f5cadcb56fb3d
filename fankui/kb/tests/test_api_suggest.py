"""POST /api/v1/kb/suggest {text, system}: up to three articles while the reporter types."""
from __future__ import annotations

import pytest
from django.test import Client

from fankui.core.testing import client_for, make_personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    return client_for(make_personas()["reporter_a"])


def test_it_needs_login() -> None:
    assert Client().post("/api/v1/kb/suggest", content_type="application/json", data={"text": "显示访客"}).status_code == 401


def test_it_suggests_the_binding_article_for_a_visitor_problem(client: Client) -> None:
    body = client.post("/api/v1/kb/suggest", content_type="application/json", data={"text": "绑定了房产还是显示访客"}).json()
    assert body[0] == {
        "slug": "binding_visitor",
        "title": "绑定了房产还是显示访客或无法打开满意度问卷",
        "excerpt": body[0]["excerpt"],
        "url": "/kb/binding_visitor/",
    }
    assert body[0]["excerpt"].startswith("如果绑定了房产，还是显示访客") and len(body[0]["excerpt"]) <= 81
    assert len(body) <= 3


def test_short_text_suggests_nothing(client: Client) -> None:
    assert client.post("/api/v1/kb/suggest", content_type="application/json", data={"text": "显"}).json() == []


def test_the_chosen_system_goes_first_among_matches(client: Client) -> None:
    slugs = [s["slug"] for s in client.post("/api/v1/kb/suggest", content_type="application/json", data={"text": "闪退 退款", "system": "一应生活APP"}).json()]
    assert slugs.index("app_version_crash") < slugs.index("group_buy_refund")
