"""The only way views, API endpoints and commands fetch tickets: filtered by who is asking.

Anything a user may not see is "not found", exactly like a ticket that does not exist.
"""
from __future__ import annotations

import logging

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from fankui.accounts.models import Profile
from fankui.accounts.selectors import person_of, role_of
from fankui.directory.models import Region
from fankui.directory.selectors import people_acting_as
from fankui.tickets.models import Attachment, Secret, Ticket

log = logging.getLogger("fankui.access")


class TicketNotFound(Exception):
    """Missing or not yours: the caller cannot tell which."""


def visible_tickets(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Ticket]:
    """Reporters see their own; consultants their region's (and the first-line queue);
    owners what was escalated to them or their systems; admins everything."""
    role = role_of(user)
    tickets = Ticket.objects.all()
    if role is None:
        return tickets.none()
    if role == Profile.Role.ADMIN:
        return tickets
    mine = Q(reporter=user)
    person = person_of(user)
    if person is None:
        return tickets.filter(mine)
    acting_for = people_acting_as(person, timezone.localdate())
    if role == Profile.Role.CONSULTANT:
        regions = Region.objects.filter(consultant__in=acting_for)
        return tickets.filter(mine | Q(region__in=regions) | Q(consultant__in=acting_for) | Q(region__isnull=True, consultant__isnull=True))
    if role == Profile.Role.OWNER:
        owned_systems = Q(tier=Ticket.Tier.OWNER, system__responsibilities__person__in=acting_for) | Q(
            tier=Ticket.Tier.OWNER, system__department__contact__in=acting_for
        )
        return tickets.filter(mine | Q(assignee__in=acting_for) | owned_systems).distinct()
    return tickets.filter(mine)


def get_ticket_for(user: AbstractBaseUser | AnonymousUser, ref: str) -> Ticket:
    ticket = visible_tickets(user).select_related("region", "system__department", "consultant", "assignee", "reporter").filter(ref=ref).first()
    if ticket is None:
        log.warning("ticket access refused or missing: user=%s ref=%s", getattr(user, "pk", None), ref[:40])
        raise TicketNotFound(ref)
    return ticket


def is_handler(user: AbstractBaseUser, ticket: Ticket) -> bool:
    """Staff who may act on the ticket (reply, escalate, resolve): anyone but a reporter-only viewer."""
    role = role_of(user)
    if role == Profile.Role.ADMIN:
        return True
    return role in {Profile.Role.CONSULTANT, Profile.Role.OWNER} and visible_tickets(user).filter(pk=ticket.pk).exists()


def is_current_handler(user: AbstractBaseUser, ticket: Ticket) -> bool:
    """Only the person handling the ticket right now may reveal its secrets."""
    person = person_of(user)
    return person is not None and ticket.assignee_id is not None and ticket.assignee in people_acting_as(person, timezone.localdate())


def timeline_for(user: AbstractBaseUser, ticket: Ticket) -> QuerySet:
    events = ticket.events.select_related("actor").prefetch_related("attachments")
    return events if is_handler(user, ticket) else events.filter(public=True)


def get_attachment_for(user: AbstractBaseUser, ticket_ref: str, attachment_id: int) -> Attachment:
    ticket = get_ticket_for(user, ticket_ref)
    attachments = ticket.attachments.all()
    if not is_handler(user, ticket):  # like timeline_for: files on internal notes are staff-only
        attachments = attachments.filter(Q(event__isnull=True) | Q(event__public=True))
    attachment = attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise TicketNotFound(ticket_ref)
    return attachment


def live_secrets(ticket: Ticket) -> QuerySet[Secret]:
    return ticket.secrets.filter(destroyed_at__isnull=True)
