"""POST /kb/draft-from/<ref>: an unpublished article from a resolved ticket, without personal data."""
from __future__ import annotations

import pytest

from fankui.core.testing import client_for, make_personas
from fankui.kb.models import Article
from fankui.kb.services import draft_article_from_ticket
from fankui.kb.tests.factories import file_report, resolved_report

pytestmark = pytest.mark.django_db

REPORT = "我是张三，华南演示项目的EAS新用户开通权限后登录提示没有权限，密码是Abc12345，电话13800138000，邮箱zhangsan@example.com"
ANSWER = "已在EAS里给该用户分配组织和角色，请张三退出重新登录；如仍不行请联系彭戈 13510992494。"


@pytest.fixture
def people() -> dict:
    people = make_personas()
    people["reporter_a"].first_name = "张三"
    people["reporter_a"].save()
    return people


@pytest.fixture
def ticket(people: dict):  # type: ignore[no-untyped-def]
    return resolved_report(people["reporter_a"], people["ding"], REPORT, ANSWER, title="张三：EAS 新用户没有权限")


def test_a_handler_gets_a_draft_and_lands_on_its_admin_page(people: dict, ticket) -> None:  # type: ignore[no-untyped-def]
    response = client_for(people["ding"]).post(f"/kb/draft-from/{ticket.ref}")
    article = Article.objects.get(slug=f"ticket-{ticket.ref.lower()}")
    assert response.status_code == 302 and response["Location"] == f"/admin/kb/article/{article.pk}/change/"
    assert (article.is_published, article.is_guide, article.title) == (False, False, "***：EAS 新用户没有权限")
    assert article.body.startswith("**问题**\n\n我是***，***的EAS新用户开通权限后登录提示没有权限")
    assert "**解决办法**\n\n已在EAS里给该用户分配组织和角色，请***退出重新登录；如仍不行请联系彭戈 ***。" in article.body
    for private in ["张三", "13800138000", "zhangsan@example.com", "Abc12345", "华南演示项目", "13510992494"]:
        assert private not in article.body
    if ticket.system is not None:
        assert [s.name for s in article.systems.all()] == [ticket.system.name]


def test_drafting_twice_returns_the_same_draft(people: dict, ticket) -> None:  # type: ignore[no-untyped-def]
    first = draft_article_from_ticket(ticket, people["ding"])
    assert draft_article_from_ticket(ticket, people["ding"]) == first


def test_the_reporter_and_other_reporters_cannot_draft(people: dict, ticket) -> None:  # type: ignore[no-untyped-def]
    assert client_for(people["reporter_a"]).post(f"/kb/draft-from/{ticket.ref}").status_code == 404
    assert client_for(people["reporter_b"]).post(f"/kb/draft-from/{ticket.ref}").status_code == 404
    assert not Article.objects.filter(slug__startswith="ticket-").exists()


def test_an_unresolved_ticket_cannot_be_drafted(people: dict) -> None:
    ticket = file_report(people["reporter_a"], "EAS 登录提示没有权限")
    response = client_for(people["ding"]).post(f"/kb/draft-from/{ticket.ref}")
    assert response.status_code == 400
    assert "只有已解决或已关闭的工单可以生成文章草稿。" in response.content.decode()


def test_get_is_not_allowed(people: dict, ticket) -> None:  # type: ignore[no-untyped-def]
    assert client_for(people["ding"]).get(f"/kb/draft-from/{ticket.ref}").status_code == 405
