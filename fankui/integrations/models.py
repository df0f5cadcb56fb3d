"""Integrations: the systems (app backends, web systems) that file and read reports for their own users."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fankui.accounts.models import Profile
from fankui.directory.models import System


class Integration(models.Model):
    """A calling system, such as the 一应生活APP backend or BMS, registered by an admin.

    It signs every call with one of its secrets (`SigningSecret`); fankui then acts for the app user
    the call names, who only ever sees their own reports.
    """

    name = models.CharField("名称", max_length=100, unique=True)
    key = models.SlugField("标识", max_length=40, unique=True, help_text="公开的标识，用在请求头和按钮脚本地址中")
    system = models.ForeignKey(System, verbose_name="所属系统", on_delete=models.PROTECT, related_name="integrations")
    allowed_origins = models.TextField(
        "允许的网页来源", blank=True, help_text="每行一个，如 https://bms.example.cn；只有这些网页可以嵌入问题反馈按钮"
    )
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "系统集成"
        verbose_name_plural = "系统集成"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def origins(self) -> list[str]:
        return [line.strip().rstrip("/") for line in self.allowed_origins.splitlines() if line.strip()]


class SigningSecret(models.Model):
    """One HMAC secret of an integration, encrypted with the vault (it must be read to check signatures).

    Rotation keeps the previous secret valid until `expires_at`, so an app's servers can switch over
    one by one; revoking ends it at once.
    """

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="secrets")
    ciphertext = models.TextField()
    prefix = models.CharField("前缀", max_length=12, help_text="用于辨认密钥，不足以使用它")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("失效时间", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "签名密钥"
        verbose_name_plural = "签名密钥"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.integration})"


class AppIdentity(models.Model):
    """An app user as fankui knows them: a reporter login without a password, one per integration and app user id."""

    class Kind(models.TextChoices):
        STAFF = Profile.Kind.STAFF.value, _("员工")
        OWNER = Profile.Kind.OWNER.value, _("业主")

    integration = models.ForeignKey(Integration, verbose_name="系统集成", on_delete=models.PROTECT, related_name="identities")
    app_user_id = models.CharField("App 用户 ID", max_length=64)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="app_identity")
    display_name = models.CharField("姓名", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    house = models.CharField("房屋", max_length=100, blank=True)
    created_at = models.DateTimeField("首次使用", auto_now_add=True)
    updated_at = models.DateTimeField("最近更新", auto_now=True)

    class Meta:
        verbose_name = "App 用户"
        verbose_name_plural = "App 用户"
        constraints = [models.UniqueConstraint(fields=["integration", "app_user_id"], name="app_identity_unique_per_integration")]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.integration.key}:{self.app_user_id})"


class UsedNonce(models.Model):
    """A nonce an integration has signed with, kept while its timestamp could still pass the clock
    check: a second call with it is a replay. In the database, so every server sees it, whatever cache
    is configured (the file cache forgets entries at random once it is full)."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=64)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "已用随机数"
        verbose_name_plural = "已用随机数"
        constraints = [models.UniqueConstraint(fields=["integration", "nonce"], name="used_nonce_unique_per_integration")]

    def __str__(self) -> str:
        return self.nonce
