"""Reads of the knowledge base."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from fankui.kb.models import Article, ArticleLink, Deflection


def guide_articles() -> list[Article]:
    links = ArticleLink.objects.order_by("position", "id")
    return list(
        Article.objects.filter(is_published=True)
        .prefetch_related(Prefetch("links", queryset=links), "systems", "contacts")
        .order_by("position", "id")
    )


def valid_on(day: datetime.date) -> Q:
    """Articles (or links) inside their validity window on `day`."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))


def article_list(*, include_drafts: bool = False) -> list[Article]:
    """The /kb/ page: published articles (and drafts, for staff), in the guide's order."""
    articles = Article.objects.prefetch_related("systems")
    if not include_drafts:
        articles = articles.filter(is_published=True)
    return list(articles.order_by("is_published", "position", "id") if include_drafts else articles.order_by("position", "id"))


def article_for_page(slug: str, *, include_drafts: bool = False) -> Article | None:
    links = ArticleLink.objects.order_by("position", "id")
    articles = Article.objects.prefetch_related(Prefetch("links", queryset=links), "systems", "contacts").select_related("owner")
    if not include_drafts:
        articles = articles.filter(is_published=True)
    return articles.filter(slug=slug).first()


@dataclass(frozen=True)
class Checklist:
    slug: str
    title: str
    items: list[str]


def checklists_for(system: str, *, today: datetime.date | None = None) -> list[Checklist]:
    """The self-check lists a reporter must tick before filing about `system` (a System's name)."""
    day = today or timezone.localdate()
    articles = (
        Article.objects.filter(valid_on(day), is_published=True, systems__name=system)
        .exclude(checklist=[])
        .order_by("position", "id")
        .distinct()
    )
    return [Checklist(a.slug, a.title, [str(item) for item in a.checklist]) for a in articles if a.checklist]


@dataclass(frozen=True)
class DeflectionCount:
    slug: str
    title: str
    count: int


@dataclass(frozen=True)
class DeflectionCounts:
    total: int
    by_article: list[DeflectionCount]


def deflection_counts(since: datetime.datetime) -> DeflectionCounts:
    """How many reports suggestions answered since `since`, in all and per article (most first)."""
    rows = (
        Deflection.objects.filter(created_at__gte=since)
        .values("article__slug", "article__title")
        .annotate(n=Count("id"))
        .order_by("-n", "article__slug")
    )
    by_article = [DeflectionCount(row["article__slug"], row["article__title"], row["n"]) for row in rows]
    return DeflectionCounts(sum(row.count for row in by_article), by_article)


def reply_articles(today: datetime.date | None = None) -> list[Article]:
    """Articles a handler can answer with: published and valid today, with their links."""
    day = today or timezone.localdate()
    links = ArticleLink.objects.order_by("position", "id")
    return list(Article.objects.filter(valid_on(day), is_published=True).prefetch_related(Prefetch("links", queryset=links)).order_by("position", "id"))


def article_as_reply(article: Article, today: datetime.date | None = None) -> str:
    """An article as plain text for a reply: its current text and the links valid today (an
    expired survey link is left out: the reporter would open a dead questionnaire)."""
    day = today or timezone.localdate()
    lines = [f"【{article.title}】", article.body.strip()]
    links = [link for link in article.links.all() if link.is_valid_on(day)]
    if links:
        lines.append("")
        lines += [f"{link.label}{'（' + link.title + '）' if link.title else ''}：{link.url}" for link in links]
    return "\n".join(lines)
