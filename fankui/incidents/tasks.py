"""The worker's share of incident detection."""
from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from fankui.incidents import services


@db_periodic_task(crontab(minute="*"))
def regroup_recent_reports() -> int:
    """Every minute: reports of the last minutes in no incident are looked at again, so that one whose
    grouping failed, or that another server filed in the same instant, is not missed for good."""
    return services.regroup_recent()
