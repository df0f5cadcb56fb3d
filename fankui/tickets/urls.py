"""Ticket pages. `files` (attachment download and thumbnails) checks access through the same selectors."""
from __future__ import annotations

from django.urls import path

from fankui.tickets import files, views

app_name = "tickets"
urlpatterns = [
    path("", views.my_tickets, name="mine"),
    path("new/", views.new_ticket, name="new"),
    path("queue/", views.queue, name="queue"),
    path("queue/bulk", views.bulk, name="bulk"),
    path("replies/", views.canned_replies, name="canned_replies"),
    path("queue/views/", views.save_view, name="save_view"),
    path("queue/views/<int:view_id>/delete", views.delete_view, name="delete_view"),
    path("<str:ref>/", views.detail, name="detail"),
    path("<str:ref>/reply", views.reply, name="reply"),
    path("<str:ref>/presence", views.presence_ping, name="presence"),
    path("<str:ref>/canned", views.canned_insert, name="canned"),
    path("<str:ref>/resolve", views.resolve, name="resolve"),
    path("<str:ref>/request-info", views.request_info, name="request_info"),
    path("<str:ref>/escalate", views.escalate, name="escalate"),
    path("<str:ref>/reveal", views.reveal, name="reveal"),
    path("<str:ref>/confirm", views.confirm, name="confirm"),
    path("<str:ref>/reopen", views.reopen, name="reopen"),
    path("files/<str:token>", files.by_link, name="attachment_link"),
    path("<str:ref>/files/<int:attachment_id>", files.download, name="attachment"),
    path("<str:ref>/files/<int:attachment_id>/thumb", files.thumbnail, name="attachment_thumb"),
]
