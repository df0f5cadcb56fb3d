"""The worker's share of incident detection."""
from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from fankui.incidents import services


@db_periodic_task(crontab(minute="*"))
def regroup_recent_reports() -> int:
    """Every minute: reports of the last minutes in no incident are looked at again, so that one whose
    grouping failed, or that another server filed in the same instant, is not missed for good."""
    return services.regroup_recent()


@db_task()
def group_new_reports() -> int:
    """Soon after reports commit (coalesced wake-ups): join their incidents or propose new ones."""
    return services.group_new_reports()
