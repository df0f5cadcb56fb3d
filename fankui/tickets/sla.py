"""SLA breaches: mark a ticket past its deadline once, tell the next level once.

The deadlines were computed in business hours when the ticket was filed (and pushed back while it
waited on the reporter), so this only compares timestamps. Only `open` tickets run the clock:
`waiting` is paused. Run every minute by the worker (`tickets.tasks.check_sla`).

Who hears about it, following the guide's tiers:
- tier 1 (still with the consultant): the system owner the router proposed, and the consultant.
  A missed tier-1 *resolution* deadline also escalates the ticket to that owner.
- tier 2 (with the owner): the consultant and the admins.
"""
from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fankui.directory.models import Department, Person
from fankui.directory.selectors import acting_person
from fankui.notify.models import Notice
from fankui.notify.services import notify_user
from fankui.tickets.models import Ticket, TicketEvent
from fankui.tickets.services import TicketError, escalate_ticket

log = logging.getLogger(__name__)

RESPONSE, RESOLUTION = "response", "resolution"
_LABELS = {RESPONSE: "首次响应超时", RESOLUTION: "解决超时"}


@dataclass(frozen=True)
class Recipient:
    user: AbstractBaseUser | None
    email: str
    name: str

    @property
    def key(self) -> str:
        return f"u{self.user.pk}" if self.user is not None else f"m{self.email.lower()}"


def _person(person: Person | None) -> Recipient | None:
    if person is None or (person.user is None and not person.email):
        return None
    return Recipient(person.user, person.email, person.name)


@dataclass(frozen=True)
class Owner:
    """Who the router proposed to escalate to: a directory person or a team mailbox."""

    person: Person | None
    mailbox: str

    @property
    def recipient(self) -> Recipient | None:
        if self.person is not None:
            return _person(self.person)
        return Recipient(None, self.mailbox, self.mailbox) if self.mailbox else None


def proposed_owner(ticket: Ticket) -> Owner | None:
    """The routing's contact if it names a person or a mailbox, else the department's contact."""
    contact = str(ticket.routing.get("contact") or "").strip()
    if contact:
        person = Person.objects.filter(name=contact).select_related("user").first()
        if person is not None:
            return Owner(person, "")
        if "@" in contact:
            return Owner(None, contact)
    department = ticket.system.department if ticket.system else None
    if department is None and ticket.routing.get("department"):
        department = Department.objects.filter(name=ticket.routing["department"]).first()
    if department is None:
        return None
    if department.contact is not None:
        return Owner(department.contact, "")
    return Owner(None, department.mailbox) if department.mailbox else None


def _due_filter(now: datetime.datetime) -> Q:
    response = Q(first_response_due__lt=now, first_responded_at__isnull=True, response_breached_at__isnull=True)
    resolution = Q(resolution_due__lt=now, resolution_breached_at__isnull=True)
    return response | resolution


def check_sla_breaches(now: datetime.datetime | None = None) -> int:
    """Record and announce every new breach; return how many breaches were recorded."""
    now = now or timezone.now()
    found = 0
    for pk in Ticket.objects.filter(_due_filter(now), status=Ticket.Status.OPEN).values_list("pk", flat=True):
        try:
            found += _check_one(pk, now)
        except Exception:  # one broken ticket must not hide the others' breaches
            log.exception("SLA check failed for ticket %s", pk)
    return found


@transaction.atomic
def _check_one(pk: int, now: datetime.datetime) -> int:
    ticket = Ticket.objects.select_for_update(of=("self",)).select_related("system__department", "consultant").get(pk=pk)
    if ticket.status != Ticket.Status.OPEN:
        return 0
    breaches = []
    if ticket.first_response_due and ticket.first_response_due < now and ticket.first_responded_at is None and ticket.response_breached_at is None:
        ticket.response_breached_at = now
        breaches.append(RESPONSE)
    if ticket.resolution_due and ticket.resolution_due < now and ticket.resolution_breached_at is None:
        ticket.resolution_breached_at = now
        breaches.append(RESOLUTION)
    if not breaches:
        return 0
    ticket.save(update_fields=["response_breached_at", "resolution_breached_at", "updated_at"])
    for breach in breaches:
        _announce(ticket, breach, now)
    return len(breaches)


def _announce(ticket: Ticket, breach: str, now: datetime.datetime) -> None:
    tier = ticket.tier
    owner = proposed_owner(ticket) if tier == Ticket.Tier.CONSULTANT else None
    escalated = False
    if breach == RESOLUTION and tier == Ticket.Tier.CONSULTANT and owner is not None:
        escalated = _escalate(ticket, owner)
    recipients: list[Recipient | None] = []
    consultant = acting_person(ticket.consultant, timezone.localdate(now)) if ticket.consultant else None
    recipients.append(_person(consultant))
    if tier == Ticket.Tier.CONSULTANT:
        # After an automatic escalation the owner already has the 升级给您 notice; one is enough.
        if owner is not None and not escalated:
            recipients.append(owner.recipient)
    else:
        User = get_user_model()
        recipients += [Recipient(user, user.email, user.get_username()) for user in User.objects.filter(is_superuser=True, is_active=True)]
    unique: dict[str, Recipient] = {}
    for recipient in recipients:
        if recipient is not None:
            unique.setdefault(recipient.key, recipient)
    label = _LABELS[breach]
    due = ticket.first_response_due if breach == RESPONSE else ticket.resolution_due
    due_text = f"{timezone.localtime(due):%Y-%m-%d %H:%M}" if due else ""
    TicketEvent.objects.create(
        ticket=ticket,
        kind=TicketEvent.Kind.SLA_BREACH,
        actor=None,
        public=False,
        body=f"{label}（期限 {due_text}）" + ("，已自动升级" if escalated else ""),
        data={"breach": breach, "tier": tier, "due": due.isoformat() if due else None, "notified": [r.name for r in unique.values()], "escalated": escalated},
    )
    for recipient in unique.values():
        notify_user(
            recipient.user,
            email=recipient.email,
            kind=Notice.Kind.SLA_BREACH,
            ticket=ticket,
            dedup_key=f"{ticket.ref}:sla:{breach}:{recipient.key}",
            subject=f"[{ticket.ref}] {label}：{ticket.title}",
            body=f"{label}，期限 {due_text}。当前处理人：{ticket.assignee or '（未指派）'}。\n\n{ticket.description}",
        )


def _escalate(ticket: Ticket, owner: Owner) -> bool:
    """Hand an overdue tier-1 ticket to the proposed owner; True if it was escalated."""
    try:
        # `by=None`: the system escalates; the event has no actor, like the automatic close.
        escalate_ticket(
            ticket=ticket,
            by=None,  # the SLA escalates on its own: no person acted
            system=ticket.system,
            owner=owner.person,
            contact_label="" if owner.person else owner.mailbox,
            reason="解决期限已过，系统自动升级给对接人。",
        )
    except TicketError as exc:
        log.warning("could not auto-escalate %s: %s", ticket.ref, exc.message)
        return False
    ticket.refresh_from_db()
    return True


def warn_of_calendar_gap(today: datetime.date | None = None) -> int:
    """Tell every admin, once per year, when SLA deadlines within FANKUI_CALENDAR_WARN_DAYS would fall in
    a year the business calendar has no holiday data for. Returns the notices written."""
    from fankui.accounts.models import Profile
    from fankui.core.business_hours import default_calendar

    today = today or timezone.localdate()
    ahead = today + datetime.timedelta(days=settings.FANKUI_CALENDAR_WARN_DAYS)
    missing = [year for year in range(today.year, ahead.year + 1) if not default_calendar().covers(datetime.date(year, 1, 1))]
    before = Notice.objects.filter(kind=Notice.Kind.CALENDAR_GAP).count()
    admins = get_user_model().objects.filter(Q(is_superuser=True) | Q(profile__role=Profile.Role.ADMIN), is_active=True).distinct()
    for year in missing:
        for admin in admins:
            notify_user(
                admin,
                kind=Notice.Kind.CALENDAR_GAP,
                dedup_key=f"calendar:{year}:{admin.pk}",
                subject=f"缺少 {year} 年节假日安排：SLA 时限将按普通工作日计算",
                body=(f"工作日历没有 {year} 年的放假和调休数据。国务院办公厅公布当年节假日安排后，请在管理后台"
                      f"“年度节假日安排”中录入 {year} 年的放假日期和调休上班日期；录入前，{year} 年的节假日会被当作工作日计算 SLA。"),
            )
    return Notice.objects.filter(kind=Notice.Kind.CALENDAR_GAP).count() - before
