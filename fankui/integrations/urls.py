from __future__ import annotations

from django.urls import path

from fankui.integrations import views

app_name = "integrations"

urlpatterns = [
    path("h5/start/<str:token>/", views.start, name="h5_start"),
    path("h5/new/", views.new, name="h5_new"),
    path("h5/", views.mine, name="h5_mine"),
    path("h5/tickets/<str:ref>/", views.ticket, name="h5_ticket"),
    path("h5/tickets/<str:ref>/files/<int:attachment_id>/", views.attachment, name="h5_attachment"),
    path("h5/tickets/<str:ref>/files/<int:attachment_id>/thumb/", views.attachment, {"thumbnail": True}, name="h5_attachment_thumb"),
    path("<slug:key>/button.js", views.button_js, name="button_js"),
    path("<slug:key>/panel/start", views.panel_start, name="panel_start"),
]
