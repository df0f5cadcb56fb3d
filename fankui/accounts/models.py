"""Login accounts: the role a user plays and where they report from."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fankui.directory.models import Region


class Profile(models.Model):
    """What fankui needs to know about a login: role, region, project and reporter kind."""

    class Role(models.TextChoices):
        REPORTER = "reporter", _("报告人")
        CONSULTANT = "consultant", _("系统实施顾问")
        OWNER = "owner", _("系统对接人")
        ADMIN = "admin", _("管理员")

    class Kind(models.TextChoices):
        STAFF = "staff", _("员工")
        OWNER = "owner", _("业主")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.REPORTER)
    kind = models.CharField("报告人类型", max_length=10, choices=Kind.choices, default=Kind.STAFF)
    region = models.ForeignKey(Region, verbose_name="大区", null=True, blank=True, on_delete=models.SET_NULL)
    project = models.CharField("项目/小区", max_length=100, blank=True)
    phone = models.CharField("手机", max_length=30, blank=True)
    # Someone who only ever mailed the helpdesk: a reporter identity for their tickets, never a login
    # (the user row is inactive with no password). They follow their tickets by mail.
    mail_contact = models.BooleanField("邮件联系人", default=False, help_text="由来信自动建立，不能登录；通过邮件跟进自己的工单")

    class Meta:
        verbose_name = "账户资料"
        verbose_name_plural = "账户资料"

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class DemoCredential(models.Model):
    """A demo account's generated password, encrypted, so `seed-demo` can print it again."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="demo_credential")
    password_encrypted = models.TextField()

    class Meta:
        verbose_name = "演示账户"
        verbose_name_plural = "演示账户"


class ApiToken(models.Model):
    """A bearer token for the API (the apps, integrations). Only its SHA-256 is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=100, blank=True)
    prefix = models.CharField("前缀", max_length=12, help_text="用于辨认令牌，不足以使用它")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
