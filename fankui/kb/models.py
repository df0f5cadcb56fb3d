"""The knowledge base: answers to common problems, with validity windows."""
from __future__ import annotations

import datetime

from django.db import models

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
