"""Enqueue notifications. Callers are inside their own transaction; so are these rows.

Nothing is sent here: the worker delivers pending rows after commit, so a worker that is down
delays delivery but loses nothing, and a rolled-back change notifies nobody.
"""
from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from fankui.core.wakeup import Wakeup
from fankui.directory.models import Person
from fankui.notify.models import Delivery, Notice


# Events for the people who work tickets; the WeCom group is theirs, reporters are never in it.
STAFF_KINDS = frozenset({Notice.Kind.NEW_IN_QUEUE, Notice.Kind.ESCALATED, Notice.Kind.SLA_BREACH})


def channels_for(*, email: str, has_user: bool, kind: str = "") -> list[str]:
    """Which channels a notice goes out on, read from settings at call time.

    The in-app inbox is the Notice itself and needs no delivery row.
    """
    channels = []
    if email:
        channels.append(Delivery.Channel.EMAIL)
    if has_user and settings.FANKUI_PUSH_WEBHOOK_URL:
        channels.append(Delivery.Channel.WEBHOOK)
    if kind in STAFF_KINDS and settings.FANKUI_WECOM_WEBHOOK_URL:
        channels.append(Delivery.Channel.WECOM)
    return channels


def notify_user(
    user: AbstractBaseUser | None,
    *,
    kind: str,
    dedup_key: str,
    subject: str,
    body: str,
    ticket: object | None = None,
    email: str = "",
    in_reply_to: str = "",
) -> Notice | None:
    """Queue one notice for a login (in-app inbox + channels) or a bare mailbox.

    The dedup key makes this safe to call again for the same event: one notice, one delivery each.
    """
    address = email or (getattr(user, "email", "") or "")
    return _queue(user.pk if user is not None else None, address, kind=kind, dedup_key=dedup_key, subject=subject, body=body,
                  ticket=ticket, in_reply_to=in_reply_to)


def notify_person(
    person: Person, *, kind: str, dedup_key: str, subject: str, body: str, ticket: object | None = None, fresh_key: bool = False
) -> Notice | None:
    """Notify a directory person through their login if they have one, else by their email.

    `fresh_key`: the key names something written in the caller's transaction (a new ticket), so no notice
    can hold it yet and the insert needs no savepoint (two round trips fewer on PostgreSQL)."""
    if person.email:
        # The login is only the inbox's owner here: its id will do, no need to read the user.
        return _queue(person.user_id, person.email, kind=kind, dedup_key=dedup_key, subject=subject, body=body, ticket=ticket,
                      fresh_key=fresh_key)
    if person.user_id is None:
        return None
    return notify_user(person.user, kind=kind, dedup_key=dedup_key, subject=subject, body=body, ticket=ticket)


def _queue(
    recipient_id: int | None, address: str, *, kind: str, dedup_key: str, subject: str, body: str, ticket: object | None, in_reply_to: str = "",
    fresh_key: bool = False,
) -> Notice:
    def insert() -> Notice:
        return Notice.objects.create(
            dedup_key=dedup_key[:200], kind=kind, recipient_id=recipient_id, email=address, ticket=ticket, subject=subject[:200],
            body=body, in_reply_to=in_reply_to[:300],
        )

    # Insert first, read only on a clash: almost every key is new (intake's is `{ref}:new`), so this
    # saves get_or_create's SELECT inside the caller's write transaction (benchmarks/bench_intake.py).
    if fresh_key:
        notice = insert()
    else:
        try:
            with transaction.atomic():
                notice = insert()
        except IntegrityError:
            existing = Notice.objects.filter(dedup_key=dedup_key[:200]).first()
            if existing is None:
                raise
            return existing
    Delivery.objects.bulk_create(
        [
            Delivery(notice=notice, channel=channel)
            for channel in channels_for(email=address, has_user=recipient_id is not None, kind=kind)
        ]
    )
    # robust: the change is committed whatever happens to the wake-up; the sweep sends it anyway.
    transaction.on_commit(wake_worker, robust=True)
    return notice


# At most one wake-up per process per this many seconds. Each one is a queue write and, in the
# worker, a claim on the outbox (a write on SQLite's single lock); at 150 reports/s one per report
# is wasted work, since a single delivery run sends everything pending (benchmarks/bench_intake.py).
WAKE_INTERVAL = 0.5
deliveries = Wakeup("fankui.notify.tasks:deliver_pending", WAKE_INTERVAL)


def wake_worker() -> None:
    """Ask the worker to deliver now instead of at its next periodic sweep (coalesced, never raises)."""
    deliveries()


def retry_deliveries(ids: Iterable[int]) -> int:
    """Put failed deliveries back in the queue now (the admin's 立即重试); return how many."""
    count = Delivery.objects.filter(pk__in=list(ids), status=Delivery.Status.FAILED).update(
        status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_until=None
    )
    if count:
        transaction.on_commit(wake_worker, robust=True)
    return count


def mark_read(user: AbstractBaseUser, notice_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own unread notices read (all of them when no ids are given); return how many."""
    unread = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if notice_ids is not None:
        unread = unread.filter(pk__in=list(notice_ids))
    return unread.update(read_at=timezone.now())
