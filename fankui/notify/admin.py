"""Admin views of the outbox: what was sent, what failed and why, and a way to retry."""
from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from fankui.notify.models import Delivery, Notice
from fankui.notify.services import retry_deliveries


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["channel", "status", "attempts", "next_attempt_at", "sent_at", "message_id", "last_error"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "recipient", "email", "ticket", "created_at", "read_at"]
    list_filter = ["kind", "deliveries__status", "deliveries__channel", "created_at"]
    search_fields = ["subject", "dedup_key", "email", "recipient__username", "ticket__ref"]
    list_select_related = ["recipient", "ticket"]
    readonly_fields = ["kind", "dedup_key", "recipient", "email", "ticket", "subject", "body", "created_at", "read_at"]
    inlines = [DeliveryInline]
    actions = ["retry_failed"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Notices are written by the ticket services in the ticket's transaction, never by hand.
        return False

    @admin.action(description="立即重试")
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[Notice]) -> None:
        failed = Delivery.objects.filter(notice__in=queryset, status=Delivery.Status.FAILED).values_list("pk", flat=True)
        count = retry_deliveries(failed)
        self.message_user(request, f"已重新排队 {count} 条失败的投递。", messages.SUCCESS if count else messages.WARNING)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "notice", "channel", "status", "attempts", "next_attempt_at", "sent_at", "short_error"]
    list_filter = ["status", "channel", "notice__kind"]
    search_fields = ["notice__subject", "notice__ticket__ref", "message_id", "last_error"]
    list_select_related = ["notice"]
    readonly_fields = [
        "notice", "channel", "status", "attempts", "next_attempt_at", "claimed_until", "sent_at", "message_id", "last_error",
    ]
    actions = ["retry_failed"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="最近错误")
    def short_error(self, obj: Delivery) -> str:
        return obj.last_error[:120]

    @admin.action(description="立即重试")
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        count = retry_deliveries(queryset.filter(status=Delivery.Status.FAILED).values_list("pk", flat=True))
        skipped = queryset.count() - count
        note = f"（{skipped} 条不是失败状态，未改动）" if skipped else ""
        self.message_user(request, f"已重新排队 {count} 条失败的投递。{note}", messages.SUCCESS if count else messages.WARNING)
