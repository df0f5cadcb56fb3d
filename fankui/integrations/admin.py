"""The admin page of an integration: its secrets (shown once), a copyable example request and script tag."""
from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html

from fankui.integrations import examples
from fankui.integrations.models import AppIdentity, Integration, SigningSecret
from fankui.integrations.services import IssuedSecret, issue_first_secret, revoke_secrets, rotate_secret


class SigningSecretInline(admin.TabularInline):
    model = SigningSecret
    extra = 0
    can_delete = False
    fields = readonly_fields = ["prefix", "created_at", "expires_at", "revoked_at"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Integration)
class IntegrationAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "system", "active", "created_at"]
    list_filter = ["active", "system"]
    search_fields = ["name", "key"]
    fields = ["name", "key", "system", "allowed_origins", "active", "example_request", "script_tag"]
    readonly_fields = ["example_request", "script_tag"]
    inlines = [SigningSecretInline]
    actions = ["rotate", "revoke"]

    @admin.display(description="示例请求（App 后端代用户提交）")
    def example_request(self, obj: Integration) -> str:
        if obj.pk is None:
            return "保存后显示"
        return format_html('<pre class="copyable" style="white-space:pre-wrap">{}</pre>', examples.example_request(obj))

    @admin.display(description="问题反馈按钮（网页系统复制到页面中）")
    def script_tag(self, obj: Integration) -> str:
        if obj.pk is None:
            return "保存后显示"
        return format_html('<pre class="copyable" style="white-space:pre-wrap">{}</pre>', examples.script_tag(obj))

    def _show_secret(self, request: HttpRequest, integration: Integration, issued: IssuedSecret) -> HttpResponse:
        # Rendered into this one response, never stored in a message cookie or the session.
        context = {**self.admin_site.each_context(request), "integration": integration, "secret": issued.secret, "opts": self.model._meta}
        response = TemplateResponse(request, "admin/integrations/secret_issued.html", context)
        response["Cache-Control"] = "no-store"
        return response

    def response_add(self, request: HttpRequest, obj: Integration, post_url_continue: str | None = None) -> HttpResponse:
        return self._show_secret(request, obj, issue_first_secret(obj))

    @admin.action(description="轮换签名密钥（旧密钥在宽限期内仍有效）")
    def rotate(self, request: HttpRequest, queryset: QuerySet[Integration]) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, "请一次只轮换一个系统集成的密钥：新密钥只显示一次。", messages.ERROR)
            return None
        integration = queryset.get()
        return self._show_secret(request, integration, rotate_secret(integration))

    @admin.action(description="撤销全部签名密钥（立即失效）")
    def revoke(self, request: HttpRequest, queryset: QuerySet[Integration]) -> None:
        count = sum(revoke_secrets(integration) for integration in queryset)
        self.message_user(request, f"已撤销 {count} 个密钥；需要时请轮换出新密钥。", messages.SUCCESS)


@admin.register(AppIdentity)
class AppIdentityAdmin(admin.ModelAdmin):
    list_display = ["display_name", "integration", "app_user_id", "kind", "updated_at"]
    list_filter = ["integration", "kind"]
    search_fields = ["app_user_id", "display_name"]
    readonly_fields = ["integration", "app_user_id", "user", "display_name", "kind", "house", "created_at", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
