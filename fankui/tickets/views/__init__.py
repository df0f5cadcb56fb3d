"""Ticket pages: reporters file and follow reports, handlers work the queue.

Each view is parse → `selectors.get_ticket_for` → one service → render or redirect.
"""
from __future__ import annotations

from fankui.tickets.views.handler import bulk, canned_insert, canned_replies, delete_view, escalate, presence_ping, queue, request_info, resolve, reveal, save_view
from fankui.tickets.views.reporter import confirm, my_tickets, new_ticket, reopen
from fankui.tickets.views.ticket import detail, reply

__all__ = ["bulk", "canned_insert", "canned_replies", "confirm", "delete_view", "detail", "escalate", "my_tickets", "new_ticket", "presence_ping", "queue", "reopen", "reply", "request_info", "resolve", "reveal", "save_view"]
