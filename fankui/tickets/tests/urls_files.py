"""A minimal urlconf for the attachment view tests, independent of the tickets app's urls.py."""
from __future__ import annotations

from django.urls import include, path

from fankui.tickets import files

urlpatterns = [
    path("accounts/", include("django.contrib.auth.urls")),
    path("tickets/<str:ref>/files/<int:attachment_id>", files.download, name="attachment"),
    path("tickets/<str:ref>/files/<int:attachment_id>/thumb", files.thumbnail, name="attachment_thumb"),
]
