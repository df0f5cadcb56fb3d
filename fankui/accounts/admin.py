from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from fankui.accounts.models import Profile
from fankui.accounts.staff_import import ImportFailed, import_staff_file

SHOWN_ERRORS = 200  # a page, not 20,000 lines; `fankui import-users` prints them all


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "kind", "region", "project"]
    list_filter = ["role", "kind", "region"]
    search_fields = ["user__username", "project"]
    change_list_template = "admin/accounts/profile/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        upload = path("import/", self.admin_site.admin_view(self.import_users), name="accounts_profile_import")
        return [upload, *super().get_urls()]

    def import_users(self, request: HttpRequest) -> HttpResponse:
        """Upload the staff list (the same import as `fankui import-users`): admins only, all rows or none."""
        # It can make administrators: only someone who already is one may run it.
        if not request.user.is_superuser:  # type: ignore[union-attr]
            raise PermissionDenied
        errors: list[str] = []
        if request.method == "POST":
            upload = request.FILES.get("file")
            if upload is None:
                errors = ["请选择一个 .xlsx 或 .csv 文件"]
            else:
                try:
                    result = import_staff_file(upload.name or "", data=upload.read())
                except ImportFailed as failed:
                    errors = failed.errors
                else:
                    message = f"导入完成：{result.rows} 行，新建 {result.created}，更新 {result.updated}，未变 {result.unchanged}。"
                    if result.ignored_columns:
                        message += f" 忽略了不认识的列：{'、'.join(result.ignored_columns)}"
                    self.message_user(request, message, messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:accounts_profile_changelist"))
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": "导入员工名单", "error_count": len(errors),
                   "errors": errors[:SHOWN_ERRORS], "more_errors": max(0, len(errors) - SHOWN_ERRORS)}
        return TemplateResponse(request, "admin/accounts/profile/import_users.html", context)
