from django.contrib import admin

from fankui.accounts.models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "kind", "region", "project"]
    list_filter = ["role", "kind", "region"]
    search_fields = ["user__username", "project"]
