from __future__ import annotations

from django.contrib import admin

from fankui.directory.admin import HistoryAdmin
from fankui.kb.models import Article, ArticleLink


class ArticleLinkInline(admin.TabularInline):
    model = ArticleLink
    extra = 0


@admin.register(Article)
class ArticleAdmin(HistoryAdmin):
    list_display = ["title", "slug", "valid_from", "valid_until", "is_published", "is_guide"]
    list_filter = ["is_published", "is_guide", "systems"]
    search_fields = ["title", "body", "slug"]
    filter_horizontal = ["systems", "contacts"]
    inlines = [ArticleLinkInline]
