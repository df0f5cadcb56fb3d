"""The outbox worker: claim due deliveries, send them, record the outcome.

Any number of workers (the Huey consumer's threads, the periodic sweep, a `deliver_pending`
woken on commit) may run `deliver_due` at once. A row is sent only by the worker whose
conditional UPDATE set its claim, and is marked sent in its own commit right after its send. A
worker killed mid-send leaves its claimed rows, one of them perhaps sent: the claims expire after
`lease()` and the rows go out again — at most one duplicate per crash, never a loss. The
e-mail keeps its Message-ID and push/WeCom their Idempotency-Key, so receivers can fold the repeat.
"""
from __future__ import annotations

import datetime
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from fankui.notify.channels import CHANNELS, TransportError, sending
from fankui.notify.models import Delivery

log = logging.getLogger(__name__)

def lease() -> datetime.timedelta:
    """How long a claim holds (FANKUI_DELIVERY_LEASE_SECONDS, 40 by default): longer than one send
    takes (HTTP 10 s, SMTP 20 s timeouts), so a live claim is not stolen; short, so a crashed worker's
    row goes out again within a minute or so (the sweep runs every minute)."""
    return datetime.timedelta(seconds=settings.FANKUI_DELIVERY_LEASE_SECONDS)
MAX_ATTEMPTS = 8
MAX_BACKOFF = datetime.timedelta(hours=1)


def backoff(attempts: int) -> datetime.timedelta:
    """Wait before the next try after `attempts` failures: 1, 2, 4 … minutes (FANKUI_DELIVERY_RETRY_SECONDS
    doubling), at most an hour."""
    first = datetime.timedelta(seconds=settings.FANKUI_DELIVERY_RETRY_SECONDS)
    return min(first * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


@dataclass(frozen=True)
class Claim:
    """Rows one run took at once, under one token; a row is sent only while the run's claim on it lives."""

    token: str
    at: datetime.datetime
    rows: list[Delivery]


def _due(now: datetime.datetime) -> QuerySet[Delivery]:
    return Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def claim_due(now: datetime.datetime, limit: int) -> Claim:
    """Take up to `limit` rows due at `now`, oldest first; of concurrent runs, exactly one gets each row.

    One conditional UPDATE marks them with this run's token, instead of one per row: the UPDATE per row was
    a fifth of the worker's time per report (benchmarks/profile_intake.py --worker). PostgreSQL re-checks the
    conditions on a row another run claimed meanwhile, SQLite runs one writer at a time. The lease runs
    from the clock at the claim, not from `now` (late in a slow batch, a lease counted from its start would
    already have run out)."""
    ids = list(_due(now).order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
    token, at = secrets.token_hex(8), max(now, timezone.now())
    if not ids or not _due(now).filter(pk__in=ids).update(claimed_until=at + lease(), claim_token=token):
        return Claim(token, at, [])
    # What sending reads (notice, ticket, recipient), in one query for the run.
    rows = Delivery.objects.filter(pk__in=ids, claim_token=token).select_related("notice__ticket", "notice__recipient")
    return Claim(token, at, list(rows.order_by("next_attempt_at", "id")))


def still_held(claim: Claim, delivery: Delivery) -> bool:
    """Whether the run may send this row now. Past half the lease a send (at most the SMTP timeout, half
    the lease) could outlast the claim, so the claim is renewed first — unless it ran out and another run
    took the row, which then is that run's to send."""
    if timezone.now() - claim.at < lease() / 2:
        return True
    renewed = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING, claim_token=claim.token)
    return renewed.update(claimed_until=timezone.now() + lease()) == 1


def send_one(delivery: Delivery, now: datetime.datetime) -> str:
    """Send a claimed row (as read with its claim) and record the outcome; return the new status."""
    pk = delivery.pk
    channel = CHANNELS.get(delivery.channel)
    done = Delivery.objects.filter(pk=pk)
    if channel is None or channel.is_noop(delivery):
        # Configuration changed after the row was queued (webhook URL removed, say). Not an
        # error to retry blindly; an admin can requeue it with 立即重试 once it is configured.
        done.update(status=Delivery.Status.FAILED, claimed_until=None, last_error=f"渠道 {delivery.channel} 未配置或无收件地址，未发送")
        return Delivery.Status.FAILED
    try:
        message_id = channel.notify(delivery)
    except TransportError as exc:
        error, permanent = exc.message, exc.permanent
    except Exception as exc:  # a bug in a channel must not stop the other rows
        log.exception("channel %s crashed on delivery %s", delivery.channel, pk)
        error, permanent = f"{type(exc).__name__}: {exc}", False
    else:
        done.update(
            status=Delivery.Status.SENT, attempts=F("attempts") + 1, sent_at=now, message_id=message_id or "", last_error="", claimed_until=None
        )
        return Delivery.Status.SENT
    # Read again: had a send outlasted the claim, another run may have tried the row meanwhile.
    attempts = done.values_list("attempts", flat=True)[0] + 1
    if permanent or attempts >= MAX_ATTEMPTS:
        log.warning("delivery %s (%s) failed for good after %s attempts: %s", pk, delivery.channel, attempts, error)
        done.update(status=Delivery.Status.FAILED, attempts=attempts, last_error=error[:2000], claimed_until=None)
        return Delivery.Status.FAILED
    done.update(attempts=attempts, last_error=error[:2000], next_attempt_at=now + backoff(attempts), claimed_until=None)
    return Delivery.Status.PENDING


def deliver_due(now: datetime.datetime | None = None, limit: int = 100) -> int:
    """Send up to `limit` due deliveries; return how many this call handled (sent, retried or failed).

    `now` is for tests: it decides what is due and when retries come due.
    """
    now = now or timezone.now()
    handled = 0
    claim = claim_due(now, limit)
    with sending():
        for delivery in claim.rows:
            if still_held(claim, delivery):
                send_one(delivery, now)
                handled += 1
    return handled


def deliver_all_due(now: datetime.datetime | None = None, batch: int = 100) -> int:
    """Drain the outbox: call `deliver_due` until a call finds nothing due."""
    total = 0
    while handled := deliver_due(now, batch):
        total += handled
    return total
