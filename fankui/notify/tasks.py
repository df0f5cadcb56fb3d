"""Huey tasks. Huey only wakes the outbox worker: the rows are the queue, so a lost task loses nothing.

`deliver_pending` is called on commit by `notify.services.wake_worker`; with Huey in immediate
mode (tests, FANKUI_HUEY_IMMEDIATE) it runs inside the caller's request, so it must never raise.
The periodic sweep picks up whatever a wake-up missed (worker down, retries coming due).
"""
from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from fankui.notify.delivery import deliver_due

log = logging.getLogger(__name__)


@db_task()
def deliver_pending() -> int:
    """Deliver what is due now. Errors are logged, never raised into the request that woke us."""
    try:
        return deliver_due()
    except Exception:
        log.exception("outbox delivery failed; the periodic sweep will try again")
        return 0


@db_periodic_task(crontab(minute="*"))
def sweep_outbox() -> int:
    """Every minute: retries that came due and anything queued while no worker ran."""
    return deliver_pending.call_local()
