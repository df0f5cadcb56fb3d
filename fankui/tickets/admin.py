from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fankui.tickets.models import HeldMail


@admin.register(HeldMail)
class HeldMailAdmin(admin.ModelAdmin):
    """Mail held as spam, for review: read-only, so what the server flagged is what an admin sees."""

    list_display = ["received_at", "sender", "subject", "reason"]
    search_fields = ["sender", "subject"]
    readonly_fields = ["received_at", "sender", "subject", "reason", "excerpt", "message_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
