"""The knowledge base: answers to common problems, with validity windows."""
from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy
from django.utils import timezone

from fankui.directory.models import Person, System


class Article(models.Model):
    """One answer to one problem, written in Markdown; suggested only inside its validity window."""

    slug = models.SlugField("标识", max_length=60, unique=True)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文（Markdown）")
    tags = models.JSONField("标签", default=list, blank=True)
    systems = models.ManyToManyField(System, verbose_name="相关系统", blank=True, related_name="articles")
    contacts = models.ManyToManyField(Person, verbose_name="文中联系人", blank=True, related_name="articles")
    checklist = models.JSONField("自查清单", default=list, blank=True, help_text="提交前请报告人逐项确认")
    valid_from = models.DateField("生效日期", null=True, blank=True)
    valid_until = models.DateField("失效日期", null=True, blank=True)
    owner = models.ForeignKey(
        Person, verbose_name="维护人", null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_articles"
    )
    is_published = models.BooleanField("已发布", default=True)
    is_guide = models.BooleanField("来自指引", default=False, help_text="由 import-guide 维护")
    position = models.PositiveSmallIntegerField("顺序", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "知识库文章"
        verbose_name_plural = "知识库文章"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    def is_valid_on(self, day: datetime.date) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_until and day > self.valid_until)

    @property
    def is_expired(self) -> bool:
        return bool(self.valid_until and self.valid_until < timezone.localdate())


class ArticleLink(models.Model):
    """A link an article hands out (a survey link), which can expire before the article does."""

    article = models.ForeignKey(Article, verbose_name="文章", on_delete=models.CASCADE, related_name="links")
    label = models.CharField("适用范围", max_length=100)
    title = models.CharField("名称", max_length=200, blank=True)
    url = models.URLField("链接", max_length=500)
    valid_from = models.DateField("生效日期", null=True, blank=True)
    valid_until = models.DateField("失效日期", null=True, blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "文章链接"
        verbose_name_plural = "文章链接"
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["article", "label"], name="articlelink_unique_label")]

    def __str__(self) -> str:
        return f"{self.label}: {self.url}"

    def is_valid_on(self, day: datetime.date) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_until and day > self.valid_until)

    @property
    def is_expired(self) -> bool:
        return bool(self.valid_until and self.valid_until < timezone.localdate())

    def clean_fields(self, exclude: object = None) -> None:
        # A link with a space or a full-width colon gets the specific message from clean() instead of
        # the generic "输入一个有效的 URL".
        from fankui.kb.links import url_problems

        skip = set(exclude or ())  # type: ignore[call-overload]
        if url_problems(self.url or ""):
            skip.add("url")
        super().clean_fields(exclude=skip)

    def clean(self) -> None:
        """Refuse what breaks a pasted survey link: spaces, full-width characters, a past end date.

        An expired end date is only refused when the link is new or its URL or dates change, so an
        article whose old links have run out can still be edited (they show as 已过期).
        """
        from fankui.kb.links import url_problems, window_problems

        errors: dict[str, list[str]] = {}
        if problems := url_problems(self.url or ""):
            errors["url"] = problems
        stored = ArticleLink.objects.filter(pk=self.pk).values("url", "valid_from", "valid_until").first() if self.pk else None
        unchanged = stored == {"url": self.url, "valid_from": self.valid_from, "valid_until": self.valid_until}
        if not unchanged and (problems := window_problems(self.valid_from, self.valid_until, today=timezone.localdate())):
            errors["valid_until"] = problems
        if errors:
            raise ValidationError(errors)


class Deflection(models.Model):
    """A reporter read a suggested article and said it solved the problem, so nothing was filed."""

    article = models.ForeignKey(Article, verbose_name="文章", on_delete=models.CASCADE, related_name="deflections")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报告人", null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField("当时的描述", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "自助解决记录"
        verbose_name_plural = "自助解决记录"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.article} · {self.created_at:%Y-%m-%d}"


class SearchDoc(models.Model):
    """The full-text index's row for one ticket or article: a derived copy, rebuilt by `fankui kb reindex`.

    `text_bigrams` is the normalised text as character bigrams (门禁卡 → "门禁 禁卡"), indexed by an
    FTS5 table on SQLite and by a generated tsvector column with a GIN index on PostgreSQL; both are
    created by raw SQL in migration 0003, so the ORM never sees them. The filter columns are copies
    of the ticket's, kept here so a filtered search stays inside the index.
    """

    class Kind(models.TextChoices):
        TICKET = "ticket", pgettext_lazy("document kind", "工单")
        ARTICLE = "article", _("文章")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField()
    text_bigrams = models.TextField()
    system_id = models.BigIntegerField(null=True, blank=True)
    region_id = models.BigIntegerField(null=True, blank=True)
    state = models.CharField(max_length=10, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "搜索索引"
        verbose_name_plural = "搜索索引"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="searchdoc_unique_object")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
