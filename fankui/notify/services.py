"""Enqueue notifications. Callers are inside their own transaction; so are these rows.

Nothing is sent here: the worker delivers pending rows after commit, so a worker that is down
delays delivery but loses nothing, and a rolled-back change notifies nobody.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from fankui.directory.models import Person
from fankui.notify.models import Delivery, Notice


def channels_for(*, email: str, has_user: bool) -> list[str]:
    """Which channels a notice goes out on, read from settings at call time."""
    channels = []
    if email:
        channels.append(Delivery.Channel.EMAIL)
    if has_user and settings.FANKUI_PUSH_WEBHOOK_URL:
        channels.append(Delivery.Channel.WEBHOOK)
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
) -> Notice | None:
    """Queue one notice for a login (in-app inbox + channels) or a bare mailbox.

    The dedup key makes this safe to call again for the same event: one notice, one delivery each.
    """
    address = email or (getattr(user, "email", "") or "")
    notice, created = Notice.objects.get_or_create(
        dedup_key=dedup_key[:200],
        defaults={"kind": kind, "recipient": user, "email": address, "ticket": ticket, "subject": subject[:200], "body": body},
    )
    if not created:
        return notice
    Delivery.objects.bulk_create(
        [Delivery(notice=notice, channel=channel) for channel in channels_for(email=address, has_user=user is not None)]
    )
    transaction.on_commit(wake_worker)
    return notice


def notify_person(person: Person, *, kind: str, dedup_key: str, subject: str, body: str, ticket: object | None = None) -> Notice | None:
    """Notify a directory person through their login if they have one, else by their email."""
    if person.user is None and not person.email:
        return None
    return notify_user(
        person.user, kind=kind, dedup_key=dedup_key, subject=subject, body=body, ticket=ticket, email=person.email
    )


def wake_worker() -> None:
    """Ask the worker to deliver now instead of at its next periodic sweep."""
    from fankui.notify.tasks import deliver_pending

    deliver_pending()
