from django.contrib import admin

from fankui.incidents.models import Incident, IncidentFollower, IncidentTicket, IncidentUpdate


class LinkInline(admin.TabularInline):
    model = IncidentTicket
    raw_id_fields = ["ticket"]
    extra = 0


class UpdateInline(admin.TabularInline):
    model = IncidentUpdate
    extra = 0
    readonly_fields = ["at", "actor"]


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "system", "state", "created_at", "resolved_at"]
    list_filter = ["state", "system"]
    search_fields = ["title"]
    inlines = [LinkInline, UpdateInline]
    raw_id_fields = ["merged_into", "confirmed_by", "resolved_by"]


admin.site.register(IncidentFollower)
