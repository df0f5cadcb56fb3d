"""POST /kb/deflect: "这解决了我的问题" counts a report that never needed filing."""
from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from fankui.core.testing import client_for, make_personas
from fankui.kb.models import Article, Deflection
from fankui.kb.selectors import deflection_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> dict:
    return make_personas()


def test_it_records_a_deflection_and_answers_json(people: dict) -> None:
    response = client_for(people["reporter_a"]).post(
        "/kb/deflect", {"article": "binding_visitor", "text": "绑定了房产还是显示访客"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    assert response.json() == {"ok": True, "message": "太好了！问题已自助解决，无需提交。感谢反馈。", "url": "/kb/binding_visitor/"}
    deflection = Deflection.objects.get()
    assert (deflection.article.slug, deflection.user, deflection.text) == ("binding_visitor", people["reporter_a"], "绑定了房产还是显示访客")


def test_a_pasted_password_is_not_kept(people: dict) -> None:
    client_for(people["reporter_a"]).post("/kb/deflect", {"article": "binding_visitor", "text": "显示访客 账号 zhangsan 密码 Abc12345"})
    assert Deflection.objects.get().text == "显示访客 账号 zhangsan 密码 ******"


def test_it_needs_the_csrf_token(people: dict) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["reporter_a"])
    assert client.post("/kb/deflect", {"article": "binding_visitor"}).status_code == 403
    assert not Deflection.objects.exists()


def test_it_needs_login() -> None:
    response = Client().post("/kb/deflect", {"article": "binding_visitor"})
    assert response.status_code == 302 and not Deflection.objects.exists()


def test_an_expired_article_cannot_be_credited(people: dict) -> None:
    Article.objects.filter(slug="uv_stats").update(valid_until=datetime.date(2020, 1, 1))
    response = client_for(people["reporter_a"]).post("/kb/deflect", {"article": "uv_stats"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == {"code": "article_not_available", "message": "这篇文章已下线或已过期。"}


def test_counts_per_article_since_a_time(people: dict) -> None:
    for slug in ["binding_visitor", "binding_visitor", "app_version_crash"]:
        client_for(people["reporter_b"]).post("/kb/deflect", {"article": slug})
    counts = deflection_counts(timezone.now() - datetime.timedelta(hours=1))
    assert counts.total == 3
    assert [(row.slug, row.count) for row in counts.by_article] == [("binding_visitor", 2), ("app_version_crash", 1)]
    assert deflection_counts(timezone.now() + datetime.timedelta(hours=1)).total == 0
