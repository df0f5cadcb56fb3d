"""The durable outbox: one notice per person and event, one delivery row per channel."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    """Something one person should hear about. It is also their in-app inbox entry."""

    class Kind(models.TextChoices):
        NEW_IN_QUEUE = "new_in_queue", _("新工单进入队列")
        RECEIVED = "received", _("已收到报告")
        ESCALATED = "escalated", _("工单升级给我")
        REPLY = "reply", _("工单有新回复")
        WAITING = "waiting", _("需要补充信息")
        RESOLVED = "resolved", _("工单已解决")
        REOPENED = "reopened", _("工单被重新打开")
        SLA_BREACH = "sla_breach", _("工单超时")
        INCIDENT = "incident", _("共性问题通知")
        ARTICLE_EXPIRING = "article_expiring", _("文章即将过期")
        CALENDAR_GAP = "calendar_gap", _("节假日数据缺失")

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    # Same event, same person → one notice, however often the writer retries.
    dedup_key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notices")
    email = models.EmailField("邮箱", blank=True)
    ticket = models.ForeignKey("tickets.Ticket", null=True, blank=True, on_delete=models.CASCADE, related_name="notices")
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    # The Message-ID of the mail this notice answers (an acknowledgement): sent as In-Reply-To/References
    # and marked Auto-Submitted: auto-replied (RFC 3834), so the sender's client threads it.
    in_reply_to = models.CharField("回复的邮件 Message-ID", max_length=300, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notice_unread"),
        ]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """One channel's attempt to deliver a notice; the worker claims pending rows."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("邮件")
        WEBHOOK = "webhook", _("App 推送")
        WECOM = "wecom", _("企业微信群机器人")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("失败（不再重试）")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", auto_now_add=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=16, blank=True, editable=False)  # the worker run that claimed it
    last_error = models.TextField("最近错误", blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    message_id = models.CharField("邮件 Message-ID", max_length=200, blank=True, db_index=True)

    class Meta:
        verbose_name = "投递"
        verbose_name_plural = "投递"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["notice", "channel"], name="delivery_unique_notice_channel")]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(status="pending"), name="delivery_pending_due"),
        ]

    def __str__(self) -> str:
        return f"{self.notice} via {self.channel}"
