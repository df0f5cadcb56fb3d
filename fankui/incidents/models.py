"""Common problems (共性问题): many reports of one failure, handled and answered once."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from fankui.directory.models import System


class Incident(models.Model):
    """A problem several reporters hit at once: proposed by the grouping rule, confirmed by a person.

    A merged incident is `dismissed` with `merged_into` set; its tickets moved to the survivor.
    """

    class State(models.TextChoices):
        PROPOSED = "proposed", _("待确认")
        CONFIRMED = "confirmed", _("处理中")
        RESOLVED = "resolved", pgettext_lazy("status", "已解决")
        DISMISSED = "dismissed", _("已驳回")

    OPEN_STATES = (State.PROPOSED, State.CONFIRMED)

    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PROPOSED, db_index=True)
    system = models.ForeignKey(System, verbose_name="系统", null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents")
    title = models.CharField("标题", max_length=200)
    summary = models.TextField("对外说明", blank=True, help_text="报告人和业主可见，不含个人信息")
    reason = models.TextField("归并原因", blank=True, help_text="为什么这些报告被归为一个问题")
    eta = models.DateTimeField("预计恢复时间", null=True, blank=True)
    resolution = models.TextField("处理结果", blank=True)
    merged_into = models.ForeignKey("self", verbose_name="合并到", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")
    created_at = models.DateTimeField("发现时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField("解决时间", null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="解决人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    dismissed_at = models.DateTimeField("驳回时间", null=True, blank=True)

    class Meta:
        verbose_name = "共性问题"
        verbose_name_plural = "共性问题"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(merged_into=models.F("id")), name="incident_not_merged_into_itself"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class IncidentTicket(models.Model):
    """A ticket's membership in one incident, with why it was grouped. A ticket is in at most one."""

    incident = models.ForeignKey(Incident, verbose_name="共性问题", on_delete=models.CASCADE, related_name="links")
    ticket = models.OneToOneField("tickets.Ticket", verbose_name="工单", on_delete=models.CASCADE, related_name="incident_link")
    score = models.FloatField("相似度", null=True, blank=True)
    matched_ref = models.CharField("最相似的工单", max_length=20, blank=True)
    added_at = models.DateTimeField("归入时间", auto_now_add=True)

    class Meta:
        verbose_name = "共性问题工单"
        verbose_name_plural = "共性问题工单"
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"#{self.incident_id} ← {self.ticket_id}"


class IncidentFollower(models.Model):
    """A reporter who follows a known incident instead of (or as well as) filing; they hear its news."""

    incident = models.ForeignKey(Incident, verbose_name="共性问题", on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="关注人", on_delete=models.CASCADE, related_name="followed_incidents")
    created_at = models.DateTimeField("关注时间", auto_now_add=True)

    class Meta:
        verbose_name = "关注人"
        verbose_name_plural = "关注人"
        constraints = [models.UniqueConstraint(fields=["incident", "user"], name="incidentfollower_unique")]

    def __str__(self) -> str:
        return f"#{self.incident_id} ☆ {self.user_id}"


class IncidentUpdate(models.Model):
    """One line of an incident's history. Public ones reach every linked reporter and follower."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("event", "发现")
        CONFIRMED = "confirmed", pgettext_lazy("event", "确认")
        UPDATE = "update", pgettext_lazy("event", "进展")
        MERGED = "merged", pgettext_lazy("event", "合并")
        SPLIT = "split", pgettext_lazy("event", "拆分")
        DISMISSED = "dismissed", pgettext_lazy("event", "驳回")
        RESOLVED = "resolved", pgettext_lazy("event", "解决")

    incident = models.ForeignKey(Incident, verbose_name="共性问题", on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    public = models.BooleanField("对外可见", default=False)
    body = models.TextField("内容", blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "共性问题进展"
        verbose_name_plural = "共性问题进展"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"#{self.incident_id} {self.get_kind_display()}"
