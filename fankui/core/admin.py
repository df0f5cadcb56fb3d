from __future__ import annotations

from django.contrib import admin

from fankui.core.models import HolidayPlan


@admin.register(HolidayPlan)
class HolidayPlanAdmin(admin.ModelAdmin):
    list_display = ("year", "source", "updated_at")
