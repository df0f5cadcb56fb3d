"""Validity windows: expired articles are not suggested; owners are reminded before expiry."""
from __future__ import annotations

import datetime

import pytest
from django.test import override_settings

from fankui.core.testing import client_for, make_personas
from fankui.directory.models import Person
from fankui.kb.models import Article, ArticleLink
from fankui.kb.services import remind_expiring_articles
from fankui.notify.models import Notice

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)


@pytest.fixture
def owner() -> Person:
    make_personas()  # links 小U's login to the directory person
    person = Person.objects.get(name="小U")
    Article.objects.filter(slug="app_version_crash").update(owner=person, valid_until=TODAY + datetime.timedelta(days=7))
    return person


def test_owner_is_reminded_seven_days_before_an_article_expires(owner: Person) -> None:
    assert remind_expiring_articles(TODAY) == 1
    notice = Notice.objects.get(kind=Notice.Kind.ARTICLE_EXPIRING)
    assert notice.recipient == owner.user
    assert notice.subject == "知识库文章将于 2026-12-02 过期：app最新版本及闪退问题处理"


def test_the_reminder_is_sent_once(owner: Person) -> None:
    remind_expiring_articles(TODAY)
    assert remind_expiring_articles(TODAY + datetime.timedelta(days=1)) == 0
    assert Notice.objects.filter(kind=Notice.Kind.ARTICLE_EXPIRING).count() == 1


def test_no_reminder_further_ahead_than_the_setting(owner: Person) -> None:
    with override_settings(FANKUI_KB_EXPIRY_REMINDER_DAYS=3):
        assert remind_expiring_articles(TODAY) == 0
    with override_settings(FANKUI_KB_EXPIRY_REMINDER_DAYS=10):
        assert remind_expiring_articles(TODAY) == 1


def test_an_expiring_link_reminds_the_article_owner(owner: Person) -> None:
    Article.objects.filter(slug="app_version_crash").update(valid_until=None)
    article = Article.objects.get(slug="app_version_crash")
    ArticleLink.objects.create(article=article, label="下载", url="https://example.com/app", valid_until=TODAY + datetime.timedelta(days=2))
    assert remind_expiring_articles(TODAY) == 1
    assert Notice.objects.get().subject == "文章链接将于 2026-11-27 过期：app最新版本及闪退问题处理 · 下载"


def test_an_expired_article_is_not_suggested() -> None:
    people = make_personas()
    client = client_for(people["reporter_a"])
    assert [s["slug"] for s in client.post("/api/v1/kb/suggest", content_type="application/json", data={"text": "app闪退了"}).json()][0] == "app_version_crash"
    article = Article.objects.get(slug="app_version_crash")
    article.valid_until = datetime.date(2020, 1, 1)
    article.save()
    assert "app_version_crash" not in [s["slug"] for s in client.post("/api/v1/kb/suggest", content_type="application/json", data={"text": "app闪退了"}).json()]


def test_kb_command_reminds(owner: Person) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("kb", "remind-expiring", "--today", "2026-11-25", stdout=out)
    assert out.getvalue().strip() == "已发出 1 条过期提醒"
