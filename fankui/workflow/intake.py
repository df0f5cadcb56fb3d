"""A new report's way through fankui, in one place above the apps it uses.

    validate, mask, route, suggest, write ticket + events + outbox rows   (tickets.services.create_ticket)
    tell the reporter about a confirmed incident it matches               (incidents.selectors, read-only)
    group it with look-alikes into an incident                            (worker, after commit)

The request does only what the reporter's answer needs. Grouping takes a lock per system and reads
the system's recent window, so the worker does it after the ticket commits, for every report that
arrived since its last look (a coalesced wake-up, incidents.services.wake_grouping); its
once-a-minute pass (incidents.tasks.regroup_recent_reports) catches whatever a lost wake-up missed.
Every channel (web, API, mail, apps) files through `file_report`.
"""
from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from fankui.incidents import selectors as incidents
from fankui.incidents import services as grouping
from fankui.tickets.services import Intake, IntakeResult, create_ticket


def file_report(*, reporter: AbstractBaseUser, intake: Intake) -> IntakeResult:
    """File a report on any channel and return what its reporter is told. A retry with the same
    idempotency key returns the first ticket and schedules nothing twice."""
    result = create_ticket(reporter=reporter, intake=intake)
    if not result.created:
        return result
    ticket = result.ticket
    # The known-incident notice is part of the answer; linking the ticket to the incident is the worker's.
    if notice := incidents.known_notice_for(ticket.title, ticket.description, ticket.system_id):
        result.notices.append(notice)
    transaction.on_commit(grouping.wake_grouping, robust=True)
    return result
