"""The worker's heartbeat, which /readyz reads."""
from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import periodic_task

from fankui.core.health import record_worker_heartbeat


@periodic_task(crontab(minute="*"))
def worker_heartbeat() -> None:
    record_worker_heartbeat()
