"""KB suggestions: BM25 ranking, and never an unpublished or out-of-window article."""
from __future__ import annotations

import datetime

import pytest

from fankui.kb.models import Article
from fankui.kb.suggest import suggest

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 1)


def edit(slug: str, **fields: object) -> None:
    """Change an article the way the admin does (save(), which bumps updated_at and signals)."""
    article = Article.objects.get(slug=slug)
    for name, value in fields.items():
        setattr(article, name, value)
    article.save()


def slugs(text: str, **kwargs: object) -> list[str]:
    return [s.slug for s in suggest(text, today=TODAY, **kwargs)]  # type: ignore[arg-type]


def test_it_ranks_the_answering_article_first() -> None:
    assert slugs("联盟购买的东西怎么退款")[0] == "group_buy_refund"
    assert slugs("手机app闪退，去哪里下载最新版本")[0] == "app_version_crash"
    assert slugs("UV统计数据有问题")[0] == "uv_stats"


def test_suggestions_carry_title_and_full_body() -> None:
    first = suggest("联盟购退款", today=TODAY)[0]
    article = Article.objects.get(slug="group_buy_refund")
    assert first.as_text() == f"{article.title}\n{article.body}"
    assert "联盟购" in first.words


def test_an_expired_article_is_never_suggested() -> None:
    edit("group_buy_refund", valid_until=datetime.date(2025, 5, 31))
    assert "group_buy_refund" not in slugs("联盟购买的东西怎么退款")


def test_a_future_article_is_not_suggested_before_its_start() -> None:
    edit("group_buy_refund", valid_from=datetime.date(2025, 6, 2))
    assert "group_buy_refund" not in slugs("联盟购买的东西怎么退款")
    assert "group_buy_refund" in [s.slug for s in suggest("联盟购买的东西怎么退款", today=datetime.date(2025, 6, 2))]


def test_the_window_includes_its_last_day() -> None:
    edit("group_buy_refund", valid_until=TODAY)
    assert slugs("联盟购买的东西怎么退款")[0] == "group_buy_refund"


def test_an_unpublished_article_is_never_suggested() -> None:
    edit("uv_stats", is_published=False)
    assert "uv_stats" not in slugs("UV统计数据有问题")


def test_a_new_article_is_suggested_at_once() -> None:
    Article.objects.create(slug="vpn", title="VPN连接不上怎么办", body="先检查网络，再重装VPN客户端。", tags=["vpn"])
    assert slugs("vpn连接不上")[0] == "vpn"


def test_min_score_keeps_weak_matches_out() -> None:
    assert slugs("今天天气不错") == []
    assert slugs("联盟购", min_score=1000.0) == []
