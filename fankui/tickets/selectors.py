"""The only way views, API endpoints and commands fetch tickets: filtered by who is asking.

Anything a user may not see is "not found", exactly like a ticket that does not exist.
"""
from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Case, DateTimeField, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext

from fankui.accounts.models import Profile
from fankui.accounts.selectors import person_of, role_of
from fankui.directory.models import Region
from fankui.directory.selectors import people_acting_as
from fankui.tickets.models import Attachment, Secret, Ticket, TicketEvent

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


# --------------------------------------------------------------------------------------------
# The handler's queue

# A deadline this close is "即将超时": enough to finish a reply, short enough to mean "now".
DUE_SOON = datetime.timedelta(hours=2)


def next_due() -> Case:
    """The deadline a handler works against: the first response until there is one, then the resolution."""
    return Case(When(first_responded_at__isnull=True, then=F("first_response_due")), default=F("resolution_due"), output_field=DateTimeField())


def _queue_order(sort: str) -> list:
    # Waiting tickets have their clock paused: they go after every running deadline.
    paused_last = Case(When(status=Ticket.Status.WAITING, then=Value(1)), default=Value(0), output_field=IntegerField())
    urgent_first = Case(When(urgency=Ticket.Urgency.URGENT, then=Value(0)), default=Value(1), output_field=IntegerField())
    due = F("next_due").asc(nulls_last=True)
    orders = {
        "due": [paused_last, due],
        "priority": [urgent_first, paused_last, due],
        "age": ["created_at"],
        "activity": ["-updated_at"],
    }
    return [*orders.get(sort, orders["due"]), "id"]


def queue_rows(tickets: QuerySet[Ticket], sort: str = "due") -> QuerySet[Ticket]:
    """The queue's rows with everything a row shows, in one query: the next deadline and when the
    reporter last wrote (their report or a reply)."""
    last_from_reporter = (
        TicketEvent.objects.filter(ticket=OuterRef("pk"), actor=OuterRef("reporter_id"), kind__in=[TicketEvent.Kind.CREATED, TicketEvent.Kind.REPLY])
        .order_by("-at", "-id")
        .values("at")[:1]
    )
    return (
        tickets.select_related("region", "system", "assignee", "reporter")
        .annotate(next_due=next_due(), last_reporter_at=Subquery(last_from_reporter, output_field=DateTimeField()))
        .order_by(*_queue_order(sort))
    )


@dataclass(frozen=True)
class Due:
    """How close a ticket's next deadline is, for the countdown on its row."""

    at: datetime.datetime | None
    state: str  # "breached", "soon", "ok", "paused" or "none"
    remaining: datetime.timedelta | None

    @property
    def label(self) -> str:
        if self.state == "paused":
            return gettext("已暂停（等报告人）")
        if self.remaining is None:
            return ""
        span = _span(abs(self.remaining))
        return gettext("已超时 %(span)s") % {"span": span} if self.state == "breached" else gettext("还剩 %(span)s") % {"span": span}


def _span(delta: datetime.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return gettext("%(d)d 天 %(h)d 小时") % {"d": days, "h": hours}
    if hours:
        return gettext("%(h)d 小时 %(m)d 分") % {"h": hours, "m": minutes}
    return gettext("%(m)d 分钟") % {"m": minutes}


def due_of(ticket: Ticket, now: datetime.datetime) -> Due:
    at = getattr(ticket, "next_due", None)
    if ticket.status == Ticket.Status.WAITING:
        return Due(at, "paused", None)
    if at is None or not ticket.is_active:
        return Due(at, "none", None)
    remaining = at - now
    state = "breached" if remaining <= datetime.timedelta(0) else "soon" if remaining <= DUE_SOON else "ok"
    return Due(at, state, remaining)
