"""Huey tasks of the integrations."""
from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fankui.integrations.services import forget_old_nonces


@db_periodic_task(crontab(minute="*/5"))
def forget_nonces() -> int:
    """Every five minutes: the used-nonce table holds only the last ~11 minutes."""
    return forget_old_nonces()
