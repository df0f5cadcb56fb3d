from __future__ import annotations

from django.urls import path

from fankui.notify import views

app_name = "notify"
urlpatterns = [
    path("", views.inbox_page, name="inbox"),
    path("<int:notice_id>/", views.open_notice, name="open"),
    path("read-all", views.mark_all_read, name="read_all"),
]
