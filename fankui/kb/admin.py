from __future__ import annotations

from django import forms
from django.contrib import admin

from fankui.directory.admin import HistoryAdmin
from fankui.kb.models import Article, ArticleLink, Deflection


class ArticleLinkForm(forms.ModelForm):
    # Keep what was typed, spaces included: ArticleLink.clean() names the stray space instead of
    # the form silently trimming it (the same link is then pasted elsewhere by hand).
    url = forms.CharField(label="链接", max_length=500, strip=False)

    class Meta:
        model = ArticleLink
        fields = ["label", "title", "url", "valid_from", "valid_until", "position"]


class ArticleLinkInline(admin.TabularInline):
    model = ArticleLink
    form = ArticleLinkForm
    extra = 0


@admin.register(Article)
class ArticleAdmin(HistoryAdmin):
    list_display = ["title", "slug", "valid_from", "valid_until", "owner", "is_published", "is_guide"]
    list_filter = ["is_published", "is_guide", "systems"]
    search_fields = ["title", "body", "slug"]
    filter_horizontal = ["systems", "contacts"]
    inlines = [ArticleLinkInline]


@admin.register(Deflection)
class DeflectionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "article", "user"]
    list_filter = ["article"]
    readonly_fields = ["article", "user", "text", "created_at"]
