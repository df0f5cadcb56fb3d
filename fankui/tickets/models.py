"""Tickets: a reported problem, its timeline, its screenshots and its secrets."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from fankui.directory.models import Person, Region, System


# What a person may type, the same on every channel (web, API, apps).
TEXT_MAX_LENGTH = 10_000
TITLE_MAX_LENGTH = 200


class Ticket(models.Model):
    """One problem report, from intake to close, following the guide's tiers."""

    class Status(models.TextChoices):
        OPEN = "open", _("处理中")
        WAITING = "waiting", _("待补充信息")
        RESOLVED = "resolved", pgettext_lazy("status", "已解决")
        CLOSED = "closed", _("已关闭")
        DEFLECTED = "deflected", _("已自助解决")

    class Tier(models.IntegerChoices):
        CONSULTANT = 1, _("一线（系统实施顾问）")
        OWNER = 2, _("二线（系统对接人）")

    class Urgency(models.TextChoices):
        URGENT = "urgent", _("紧急")
        NORMAL = "normal", _("非紧急")

    class Channel(models.TextChoices):
        WEB = "web", _("网页")
        API = "api", _("接口")
        EMAIL = "email", _("邮件")
        APP = "app", _("App")

    class Kind(models.TextChoices):
        STAFF = "staff", _("员工")
        OWNER = "owner", _("业主")

    ref = models.CharField("编号", max_length=20, unique=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报告人", on_delete=models.PROTECT, related_name="reported_tickets")
    reporter_kind = models.CharField("报告人类型", max_length=10, choices=Kind.choices, default=Kind.STAFF)
    region = models.ForeignKey(Region, verbose_name="大区", null=True, blank=True, on_delete=models.PROTECT)
    project = models.CharField("项目/小区", max_length=100, blank=True)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    title = models.CharField("标题", max_length=200)
    description = models.TextField("问题描述", help_text="已屏蔽其中的密码")
    urgency = models.CharField("紧急程度", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)

    system = models.ForeignKey(System, verbose_name="系统", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets")
    topic = models.CharField("事项", max_length=100, blank=True)
    routing = models.JSONField("路由建议", default=dict, blank=True, help_text="intake 时路由器的完整建议")
    # What the calling app or page knew (app version, device, OS, page, network, page URL, browser),
    # shown to handlers; filled only by integrations, already masked.
    # db_default: rows inserted outside Django (the peer harness's seeding, bulk loads) get {} too.
    context = models.JSONField("提交环境", default=dict, db_default=models.Value({}, output_field=models.JSONField()), blank=True)

    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    tier = models.PositiveSmallIntegerField("层级", choices=Tier.choices, default=Tier.CONSULTANT)
    consultant = models.ForeignKey(
        Person, verbose_name="系统实施顾问", null=True, blank=True, on_delete=models.PROTECT, related_name="consulted_tickets"
    )
    assignee = models.ForeignKey(
        Person, verbose_name="当前处理人", null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_tickets"
    )
    escalated_to = models.CharField("升级对象", max_length=100, blank=True, help_text="人名或团队邮箱")

    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    first_response_due = models.DateTimeField("首次响应期限", null=True, blank=True)
    resolution_due = models.DateTimeField("解决期限", null=True, blank=True)
    first_responded_at = models.DateTimeField("首次响应时间", null=True, blank=True)
    resolved_at = models.DateTimeField("解决时间", null=True, blank=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    paused_at = models.DateTimeField("SLA 暂停于", null=True, blank=True)
    response_breached_at = models.DateTimeField("首次响应超时于", null=True, blank=True)
    resolution_breached_at = models.DateTimeField("解决超时于", null=True, blank=True)

    class Meta:
        verbose_name = "工单"
        verbose_name_plural = "工单"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["region", "status"], name="ticket_region_status"),
            models.Index(fields=["assignee", "status"], name="ticket_assignee_status"),
            models.Index(fields=["reporter", "-created_at"], name="ticket_reporter_recent"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(tier__in=[1, 2]), name="ticket_tier_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.OPEN, self.Status.WAITING}


class TicketEvent(models.Model):
    """One line of a ticket's timeline; reporters see only the public ones."""

    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("event", "提交")
        ROUTED = "routed", _("路由")
        REPLY = "reply", _("回复")
        NOTE = "note", _("内部备注")
        STATUS = "status", _("状态变更")
        ASSIGNED = "assigned", _("指派")
        ESCALATED = "escalated", pgettext_lazy("event", "升级")
        ATTACHMENT = "attachment", _("附件")
        SECRET_REVEALED = "secret_revealed", pgettext_lazy("event", "查看账号密码")
        SLA_BREACH = "sla_breach", _("超时")

    ticket = models.ForeignKey(Ticket, verbose_name="工单", on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    public = models.BooleanField("报告人可见", default=True)
    body = models.TextField("内容", blank=True)
    data = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = "工单记录"
        verbose_name_plural = "工单记录"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["ticket", "at"], name="ticketevent_ticket_at")]

    def __str__(self) -> str:
        return f"{self.ticket.ref} {self.get_kind_display()}"


class Attachment(models.Model):
    """A validated upload, stored once under its SHA-256 outside the web root."""

    ticket = models.ForeignKey(Ticket, verbose_name="工单", on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(TicketEvent, verbose_name="记录", null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    sha256 = models.CharField(max_length=64, db_index=True)
    filename = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    has_thumbnail = models.BooleanField(default=False)
    ocr_text = models.TextField("图中文字", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


class Secret(models.Model):
    """An account or password needed to reproduce a problem, encrypted at rest, destroyed at close."""

    ticket = models.ForeignKey(Ticket, verbose_name="工单", on_delete=models.CASCADE, related_name="secrets")
    label = models.CharField("名称", max_length=50, help_text="如 账号、密码")
    ciphertext = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    destroyed_at = models.DateTimeField("销毁时间", null=True, blank=True)

    class Meta:
        verbose_name = "账号密码"
        verbose_name_plural = "账号密码"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.ticket.ref} {self.label} (已加密)"


class IdempotencyKey(models.Model):
    """A client's retry key: the same key from the same user returns the first ticket."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_user_key")]


class SavedView(models.Model):
    """A handler's own queue view: a name for a set of queue filters (kept as the query string the
    queue page understands, so a saved view is exactly the page it was saved from)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField("名称", max_length=50)
    query = models.CharField("筛选条件", max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "队列视图"
        verbose_name_plural = "队列视图"
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="savedview_unique_user_name")]

    def __str__(self) -> str:
        return self.name


class HeldMail(models.Model):
    """A mail the receiving server marked as spam: kept for an admin to look at, never filed into a queue."""

    received_at = models.DateTimeField("收到时间", auto_now_add=True)
    sender = models.CharField("发件人", max_length=254)
    subject = models.CharField("主题", max_length=300, blank=True)
    reason = models.CharField("拦截原因", max_length=200)
    excerpt = models.TextField("正文摘要（已屏蔽密码）", blank=True)
    message_id = models.CharField("Message-ID", max_length=300, blank=True)

    class Meta:
        verbose_name = "拦截的垃圾邮件"
        verbose_name_plural = "拦截的垃圾邮件"
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.sender}：{self.subject}"


class TicketSeen(models.Model):
    """When a handler last opened a ticket: anything others added after it is new to them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="seen_by")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "ticket"], name="ticketseen_unique_user_ticket")]


class TicketFollower(models.Model):
    """Someone who is neither the reporter nor a handler and hears of the ticket's public replies: a
    colleague who joined it by mail (fankui.tickets.mail.intake). Mail to them carries their own reply
    token, so their answers thread back."""

    ticket = models.ForeignKey(Ticket, verbose_name="工单", on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="关注人", on_delete=models.CASCADE, related_name="followed_tickets")
    added_at = models.DateTimeField("关注时间", auto_now_add=True)

    class Meta:
        verbose_name = "工单关注人"
        verbose_name_plural = "工单关注人"
        constraints = [models.UniqueConstraint(fields=["ticket", "user"], name="ticketfollower_unique_ticket_user")]

    def __str__(self) -> str:
        return f"{self.user} → {self.ticket}"


class CannedReply(models.Model):
    """A recurring answer (账号解锁步骤, 请提供截图和项目名称…): a handler's own, or shared with a region's
    handlers. {报告人} and {编号} are filled in with the ticket's reporter and reference when inserted."""

    title = models.CharField("名称", max_length=100)
    body = models.TextField("内容", max_length=5000)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="个人", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, verbose_name="共享给大区", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "常用回复"
        verbose_name_plural = "常用回复"
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(owner__isnull=False) | models.Q(region__isnull=False), name="cannedreply_owner_or_region"),
        ]

    def __str__(self) -> str:
        return self.title


class CannedUse(models.Model):
    """How often a handler inserted an answer (a saved reply or a KB article): the most used come first."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("常用回复")
        ARTICLE = "article", _("知识库文章")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField()
    uses = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind", "object_id"], name="canneduse_unique")]
