"""Canned answers: saved replies (own or shared with a region) and KB articles inserted into a reply."""
from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AbstractUser
from django.utils import timezone

from fankui.core.testing import client_for, make_personas
from fankui.directory.models import Region
from fankui.kb.models import Article, ArticleLink
from fankui.tickets.models import CannedReply
from fankui.tickets.tests.page_factories import file_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> dict[str, AbstractUser]:
    return make_personas()


def insert(user: AbstractUser, ref: str, choice: str) -> tuple[int, dict]:
    response = client_for(user).post(f"/tickets/{ref}/canned", {"choice": choice})
    return response.status_code, response.json()


def test_a_saved_reply_fills_in_the_reporter_and_reference_and_rises_with_use(people: dict[str, AbstractUser]) -> None:
    ticket = file_report(people["reporter_a"], "EAS 账号被锁")
    ding = client_for(people["ding"])
    assert ding.post("/tickets/replies/", {"title": "账号解锁步骤", "body": "{报告人}您好，{编号} 的账号已解锁。"}).status_code == 302
    assert ding.post("/tickets/replies/", {"title": "要截图", "body": "请提供截图和项目名称"}).status_code == 302
    unlock = CannedReply.objects.get(title="账号解锁步骤")
    status, data = insert(people["ding"], ticket.ref, f"reply:{unlock.pk}")
    reporter = people["reporter_a"]
    assert status == 200 and data["text"] == f"{reporter.get_full_name() or reporter.get_username()}您好，{ticket.ref} 的账号已解锁。"
    html = ding.get(f"/tickets/{ticket.ref}/").content.decode()
    picker = html.split('id="canned"')[1].split("</select>")[0]
    assert picker.index("账号解锁步骤") < picker.index("要截图")  # most used first


def test_an_article_goes_in_with_its_current_links_only(people: dict[str, AbstractUser]) -> None:
    ticket = file_report(people["reporter_a"], "满意度问卷链接打不开")
    article = Article.objects.create(slug="survey-x", title="问卷链接", body="请复制下面的链接。")
    today = timezone.localdate()
    ArticleLink.objects.create(article=article, label="今年", url="https://survey.example.cn/new", valid_until=today + datetime.timedelta(days=9))
    ArticleLink.objects.create(article=article, label="去年", url="https://survey.example.cn/old", valid_until=today - datetime.timedelta(days=9))
    status, data = insert(people["ding"], ticket.ref, f"article:{article.pk}")
    assert status == 200 and "https://survey.example.cn/new" in data["text"] and "old" not in data["text"]


def test_others_personal_replies_stay_personal_and_shared_ones_reach_the_region(people: dict[str, AbstractUser]) -> None:
    ticket = file_report(people["reporter_a"], "EAS 账号被锁")
    ding = client_for(people["ding"])
    ding.post("/tickets/replies/", {"title": "私人", "body": "只有我用"})
    huanan = Region.objects.get(consultant__name="丁家贵")
    assert ding.post("/tickets/replies/", {"title": "华南共享", "body": "大家都用", "region": huanan.pk}).status_code == 302
    private, shared = CannedReply.objects.get(title="私人"), CannedReply.objects.get(title="华南共享")
    status, data = insert(people["admin"], ticket.ref, f"reply:{private.pk}")
    assert status == 404 and data["error"]["code"] == "canned_not_found"
    assert insert(people["admin"], ticket.ref, f"reply:{shared.pk}") == (200, {"text": "大家都用"})
    # A region one does not handle cannot be shared with.
    other = Region.objects.exclude(pk=huanan.pk).first()
    assert ding.post("/tickets/replies/", {"title": "别区", "body": "x", "region": other.pk}).status_code == 400
    assert client_for(people["chen"]).post("/tickets/replies/", {"delete": private.pk}).status_code == 404


def test_bad_choices_are_refused_with_a_reason(people: dict[str, AbstractUser]) -> None:
    ticket = file_report(people["reporter_a"], "EAS 账号被锁")
    assert insert(people["ding"], ticket.ref, "")[0] == 400
    assert insert(people["ding"], ticket.ref, "article:99999")[1]["error"]["code"] == "canned_not_found"
    assert insert(people["reporter_a"], ticket.ref, "article:1")[0] == 404
