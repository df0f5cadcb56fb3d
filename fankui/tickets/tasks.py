"""Ticket work for the background worker."""
from __future__ import annotations

import logging

from django.core.cache import cache
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from fankui.tickets.mail.imap import Mailbox, MailboxError
from fankui.tickets.mail.imap import fetch_mailbox as fetch_once
from fankui.tickets.mail.intake import RateGuard
from fankui.tickets.models import Attachment

log = logging.getLogger(__name__)


class ScreenshotsNotStored(Exception):
    """Rows committed whose bytes storage could not give (object storage lagging, a share not mounted)."""


# Retried for about an hour: long enough for storage to come back, short enough to show up in the logs.
@db_task(retries=12, retry_delay=300)
def read_screenshots(ticket_id: int) -> int:
    """Read the text of a ticket's images, then let the router try again with it; return images read.

    A missing file is not the end: the task fails after reading the others, and Huey runs it again later
    (images already read are not read twice)."""
    from fankui.tickets.ocr import ocr_attachment
    from fankui.tickets.services import reroute_with_screenshots

    images = Attachment.objects.filter(ticket_id=ticket_id, content_type__startswith="image/", ocr_text="")
    read, missing = [], []
    for pk in images.values_list("pk", flat=True):
        try:
            if ocr_attachment(pk):
                read.append(pk)
        except FileNotFoundError:
            missing.append(pk)
    if read:
        reroute_with_screenshots(ticket_id)
    if missing:
        log.warning("OCR: files of attachments %s are not in storage yet; will retry", missing)
        raise ScreenshotsNotStored(missing)
    return len(read)


@db_periodic_task(crontab(minute="*"))
def check_sla() -> int:
    """Every minute: mark and announce tickets past their first-response or resolution deadline."""
    from fankui.tickets.sla import check_sla_breaches

    return check_sla_breaches()


@db_periodic_task(crontab(minute="0"))
def close_confirmed_tickets() -> int:
    """Hourly: close resolved tickets whose reopen window has passed."""
    from fankui.tickets import services

    return services.close_confirmed_tickets()


@db_periodic_task(crontab(hour="8", minute="30"))
def warn_of_calendar_gap() -> int:
    """Daily: tell admins weeks ahead when the coming year has no holiday data."""
    from fankui.tickets.sla import warn_of_calendar_gap as warn

    return warn()


FETCH_LOCK = "fankui:imap-fetch"
MAILBOX_GUARD = RateGuard()  # counts in the shared cache, together with the SMTP listener


@db_periodic_task(crontab(minute="*"))
def fetch_mailbox() -> int:
    """Every minute, when FANKUI_IMAP_HOST is set: one pass over the helpdesk mailbox; return mails handled.

    One pass at a time across all workers and servers (a lock in the shared cache): two passes would
    only file duplicates the idempotency key folds, but each would fail moving the other's messages."""
    mailbox = Mailbox.from_settings()
    if mailbox is None or not cache.add(FETCH_LOCK, 1, timeout=600):
        return 0
    try:
        return fetch_once(mailbox, guard=MAILBOX_GUARD).moved
    except MailboxError as exc:
        log.warning("mailbox intake: %s; trying again in a minute", exc)
        return 0
    finally:
        cache.delete(FETCH_LOCK)

