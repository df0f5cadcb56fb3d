"""Report helpers for the knowledge-base tests; the personas are `fankui.core.testing`'s."""
from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser

from fankui.core.testing import after_commit
from fankui.tickets.models import Ticket
from fankui.tickets.services import Intake, create_ticket, resolve_ticket


def file_report(reporter: AbstractUser, description: str, **fields: Any) -> Ticket:
    """File a report the way the web form does, from the reporter's profile region and project, and let
    the worker's share (indexing it for search) run as it would once the report commits."""
    profile = reporter.profile  # type: ignore[attr-defined]
    fields.setdefault("region", profile.region)
    fields.setdefault("project", profile.project)
    with after_commit():
        return create_ticket(reporter=reporter, intake=Intake(description=description, channel="web", **fields)).ticket


def resolved_report(reporter: AbstractUser, handler: AbstractUser, description: str, answer: str, **fields: Any) -> Ticket:
    ticket = file_report(reporter, description, **fields)
    return resolve_ticket(ticket=ticket, by=handler, reply=answer)
