"""Reads of the knowledge base."""
from __future__ import annotations

from django.db.models import Prefetch

from fankui.kb.models import Article, ArticleLink


def guide_articles() -> list[Article]:
    links = ArticleLink.objects.order_by("position", "id")
    return list(
        Article.objects.filter(is_published=True)
        .prefetch_related(Prefetch("links", queryset=links), "systems", "contacts")
        .order_by("position", "id")
    )
