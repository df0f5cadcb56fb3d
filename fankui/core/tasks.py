"""The worker's heartbeat, which /readyz reads."""
from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import on_startup, periodic_task

from fankui.core.health import record_worker_heartbeat


@periodic_task(crontab(minute="*"))
def worker_heartbeat() -> None:
    record_worker_heartbeat()


@on_startup()
def heartbeat_at_start() -> None:
    """A worker just started (a deploy, a restart) is ready at once, not at the next minute."""
    record_worker_heartbeat()
