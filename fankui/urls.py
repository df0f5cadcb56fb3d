from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from fankui.accounts.forms import AdminLoginForm
from fankui.accounts.views import SignInView
from fankui.api import api
from fankui.dashboard import views as dashboard_views

admin.site.site_header = "fankui 反馈 管理"
admin.site.site_title = "fankui 反馈"
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("contacts/", include("fankui.directory.urls")),
    path("tickets/", include("fankui.tickets.urls")),
    path("inbox/", include("fankui.notify.urls")),
    path("kb/", include("fankui.kb.urls")),
    path("incidents/", include("fankui.incidents.urls")),
    path("dashboard/", include("fankui.dashboard.urls")),
    path("integrations/", include("fankui.integrations.urls")),
    path("metrics", dashboard_views.metrics, name="metrics"),
    path("", include("fankui.core.urls")),
]
