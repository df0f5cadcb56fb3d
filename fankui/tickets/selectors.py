"""The only way views, API endpoints and commands fetch tickets: filtered by who is asking.

Anything a user may not see is "not found", exactly like a ticket that does not exist.
"""
from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Case, Count, DateTimeField, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext

from fankui.accounts.models import Profile
from fankui.accounts.selectors import person_of, role_of
from fankui.directory.models import Person, Region
from fankui.directory.selectors import people_acting_as
from fankui.tickets.models import Attachment, CannedReply, CannedUse, SavedView, Secret, Ticket, TicketEvent, TicketSeen

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


def answers_since(ticket: Ticket, user: AbstractBaseUser, seen: int | None) -> list[TicketEvent]:
    """Other handlers' public answers posted after the timeline entry `seen` (the newest one the
    user's page showed): a reply written meanwhile may repeat or contradict them."""
    if seen is None:
        return []
    answers = ticket.events.filter(pk__gt=seen, kind=TicketEvent.Kind.REPLY, public=True, actor__isnull=False)
    return list(answers.exclude(actor=user).exclude(actor_id=ticket.reporter_id).select_related("actor"))


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


def with_news(tickets: QuerySet[Ticket], user: AbstractBaseUser) -> QuerySet[Ticket]:
    """`is_new`: someone else (a reporter's reply, a colleague, the SLA clock) added to the timeline
    since the user last opened the ticket, or the user never opened it."""
    news = TicketEvent.objects.filter(ticket=OuterRef("pk")).exclude(actor=user).order_by("-at").values("at")[:1]
    seen = TicketSeen.objects.filter(ticket=OuterRef("pk"), user=user).values("seen_at")[:1]
    tickets = tickets.annotate(last_news_at=Subquery(news, output_field=DateTimeField()), seen_at=Subquery(seen, output_field=DateTimeField()))
    return tickets.annotate(
        is_new=Case(
            When(last_news_at__isnull=True, then=Value(0)),
            When(seen_at__isnull=True, then=Value(1)),
            When(last_news_at__gt=F("seen_at"), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def count_new(tickets: QuerySet[Ticket], user: AbstractBaseUser) -> int:
    """How many of `tickets` have news for the user (see `with_news`), for the queue's badge.

    Two grouped queries compared here: the same test as `with_news` as a correlated subquery per
    ticket cost 230 ms over 2,000 active tickets among 100,000 (benchmarks/bench_queue.py)."""
    ids = tickets.order_by().values("pk")
    latest = TicketEvent.objects.filter(ticket_id__in=ids).exclude(actor=user).values("ticket_id").annotate(last=Max("at")).values_list("ticket_id", "last")
    seen = dict(TicketSeen.objects.filter(user=user, ticket_id__in=ids).values_list("ticket_id", "seen_at"))
    return sum(1 for pk, last in latest if pk not in seen or last > seen[pk])


def queue_rows(tickets: QuerySet[Ticket], sort: str = "due", *, by_incident: bool = False) -> QuerySet[Ticket]:
    """The queue's rows with everything a row shows, in one query: the next deadline and when the
    reporter last wrote (their report or a reply)."""
    last_from_reporter = (
        TicketEvent.objects.filter(ticket=OuterRef("pk"), actor=OuterRef("reporter_id"), kind__in=[TicketEvent.Kind.CREATED, TicketEvent.Kind.REPLY])
        .order_by("-at", "-id")
        .values("at")[:1]
    )
    return (
        tickets.select_related("region", "system", "assignee", "reporter", "incident_link__incident")
        .annotate(next_due=next_due(), last_reporter_at=Subquery(last_from_reporter, output_field=DateTimeField()))
        .order_by(*(["incident_link__incident_id"] if by_incident else []), *_queue_order(sort))
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


ACTIVE = Q(status__in=[Ticket.Status.OPEN, Ticket.Status.WAITING])


def status_q(status: str) -> Q:
    """No status means the work still to do: open and waiting."""
    if not status:
        return ACTIVE
    return Q() if status == "all" else Q(status=status)


def acting_for_user(user: AbstractBaseUser, now: datetime.datetime) -> list[Person]:
    """The people whose tickets are the user's own today: themself and those they deputise for."""
    person = person_of(user)
    return people_acting_as(person, timezone.localdate(now)) if person else []


def builtin_view_q(view: str, user: AbstractBaseUser, acting_for: list[Person], now: datetime.datetime) -> Q:
    """What each built-in view holds, within the tickets the user may see (and the active ones)."""
    running_due = Q(status=Ticket.Status.OPEN) & (
        Q(first_responded_at__isnull=True, first_response_due__isnull=False) | Q(first_responded_at__isnull=False, resolution_due__isnull=False)
    )
    def due_before(moment: datetime.datetime) -> Q:
        return Q(first_responded_at__isnull=True, first_response_due__lte=moment) | Q(first_responded_at__isnull=False, resolution_due__lte=moment)

    if view == "mine":
        return Q(assignee__in=acting_for)
    if view == "due_soon":
        return running_due & due_before(now + DUE_SOON) & ~due_before(now)
    if view == "breached":
        return running_due & due_before(now)
    if view == "waiting":
        return Q(status=Ticket.Status.WAITING)
    if view == "first_line":
        return Q(tier=Ticket.Tier.CONSULTANT, region__isnull=True, consultant__isnull=True)
    if view == "escalated_by_me":
        # Not correlated (no OuterRef): it must also work inside the counts' aggregate.
        return Q(pk__in=TicketEvent.objects.filter(kind=TicketEvent.Kind.ESCALATED, actor=user).values("ticket_id"))
    if view == "incidents":
        return Q(incident_link__isnull=False)
    return Q()


def filters_q(data: dict) -> Q:
    """The queue's field filters (a cleaned QueueFilterForm), all of them together."""
    q = status_q(data.get("status") or "")
    for field in ("tier", "system", "region", "assignee", "channel"):
        if data.get(field):
            q &= Q(**{field: data[field]})
    if data.get("owner"):
        owner = data["owner"]
        q &= Q(tier=Ticket.Tier.OWNER) & (Q(assignee=owner) | Q(escalated_to=owner.name))
    if data.get("incident"):
        q &= Q(incident_link__incident_id=data["incident"])
    if data.get("since"):
        q &= Q(created_at__date__gte=data["since"])
    if data.get("until"):
        q &= Q(created_at__date__lte=data["until"])
    return q


def saved_views_of(user: AbstractBaseUser) -> list[SavedView]:
    return list(SavedView.objects.filter(user=user))


def view_counts(visible: QuerySet[Ticket], views: dict[str, Q]) -> dict[str, int]:
    """How many tickets each view holds, all counted in one query over what the user may see."""
    if not views:
        return {}
    return visible.order_by().aggregate(**{key: Count("pk", filter=q) for key, q in views.items()})


def canned_replies_for(user: AbstractBaseUser, ticket: Ticket | None = None) -> QuerySet[CannedReply]:
    """The user's own saved replies and those shared with a region they handle (or the ticket's)."""
    person = person_of(user)
    acting_for = people_acting_as(person, timezone.localdate()) if person else []
    shared = Q(region__consultant__in=acting_for)
    if ticket is not None and ticket.region_id:
        shared |= Q(region_id=ticket.region_id)
    return CannedReply.objects.filter(Q(owner=user) | shared).distinct()


@dataclass(frozen=True)
class CannedChoice:
    kind: str
    pk: int
    title: str
    uses: int

    @property
    def value(self) -> str:
        return f"{self.kind}:{self.pk}"


def canned_choices(user: AbstractBaseUser, ticket: Ticket) -> list[CannedChoice]:
    """Saved replies and current KB articles for the picker, the user's most used first."""
    from fankui.kb.models import Article
    from fankui.kb.selectors import valid_on

    uses = {(kind, pk): n for kind, pk, n in CannedUse.objects.filter(user=user).values_list("kind", "object_id", "uses")}
    choices = [CannedChoice(CannedUse.Kind.REPLY, r.pk, r.title, uses.get((CannedUse.Kind.REPLY, r.pk), 0)) for r in canned_replies_for(user, ticket)]
    articles = Article.objects.filter(valid_on(timezone.localdate()), is_published=True).only("pk", "title")
    choices += [CannedChoice(CannedUse.Kind.ARTICLE, a.pk, a.title, uses.get((CannedUse.Kind.ARTICLE, a.pk), 0)) for a in articles]
    return sorted(choices, key=lambda c: (-c.uses, c.kind != CannedUse.Kind.REPLY, c.title))
