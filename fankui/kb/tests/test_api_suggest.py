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
        "links": [],
    }
    assert body[0]["excerpt"].startswith("如果绑定了房产，还是显示访客") and len(body[0]["excerpt"]) <= 81
    assert len(body) <= 3


def test_short_text_suggests_nothing(client: Client) -> None:
    assert client.post("/api/v1/kb/suggest", content_type="application/json", data={"text": "显"}).json() == []


def _suggested(client: Client, text: str) -> list[str]:
    response = client.post("/api/v1/kb/suggest", content_type="application/json", data={"text": text})
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()]


def test_a_fault_of_a_named_system_gets_no_article(client: Client) -> None:
    # It shares 报销/退款-like words with the 联盟购 refund article, but it is a fault for EAS's owner.
    assert _suggested(client, "金蝶EAS报销单提交后审批流卡住了，一直显示流程异常") == []
    assert _suggested(client, "一应生活APP登录不了") == []


def test_the_survey_question_gets_the_survey_article(client: Client) -> None:
    assert _suggested(client, "满意度问卷链接打不开")[:1] == ["survey_link"]


def test_typing_and_fankui_route_show_the_same_articles(client: Client) -> None:
    from fankui.routing.services import route_report

    for text in ["绑定了房产还是显示访客", "app闪退了去哪里下载最新版", "联盟购买的东西怎么退款", "UV数统计不对", "EAS 凭证打印空白"]:
        assert _suggested(client, text) == route_report(text, region=None, reporter=None).faq_slugs[:3]


def test_noise_gets_no_system_no_owner_and_no_article(client: Client) -> None:
    from fankui.routing.services import route_report

    route = route_report("测试测试", region="华南", reporter="staff")
    assert (route.system, route.contact, route.faq_slugs) == (None, None, [])
    assert _suggested(client, "测试测试") == []


def test_the_survey_article_arrives_with_its_links_and_never_offers_an_expired_one(client: Client) -> None:
    import datetime

    from django.utils import timezone

    from fankui.kb.models import ArticleLink

    [item] = [i for i in client.post("/api/v1/kb/suggest", content_type="application/json", data={"text": "满意度问卷链接打不开"}).json() if i["slug"] == "survey_link"]
    stored = list(ArticleLink.objects.filter(article__slug="survey_link"))
    assert len(item["links"]) == len(stored) > 0
    today = timezone.localdate()
    for link in item["links"]:
        until = datetime.date.fromisoformat(link["valid_until"]) if link["valid_until"] else None
        assert link["expired"] == bool(until and until < today)
        assert (link["url"] == "") == link["expired"]  # an expired link is named, never offered


def test_fankui_route_carries_the_links_as_part_of_the_article_text() -> None:
    import datetime

    from fankui.routing.services import route_report

    [survey] = [s for s in route_report("满意度问卷链接打不开", region=None, reporter=None).faq if s.slug == "survey_link"]
    text = survey.as_text(today=datetime.date(2025, 6, 1))
    links = [line for line in text.splitlines() if line.startswith("- ")]
    assert links and all("https://" in line or "已过期" in line for line in links)
    assert "已过期，请勿使用" in survey.as_text(today=datetime.date(2099, 1, 1))
