"""Knowledge-base work for the background worker."""
from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup
from django.utils import timezone

from fankui.kb import indexing

# New tickets are indexed by the worker (fankui.kb.indexing): at once when woken, every minute
# for what a lost wake-up left, and a week back when a worker starts after being down.
PASS_MINUTES = 120
START_MINUTES = 7 * 24 * 60


@db_task()
def index_new_tickets() -> int:
    return indexing.index_new_tickets()


@db_periodic_task(crontab(minute="*"))
def index_missed_tickets() -> int:
    return indexing.index_missed_tickets(minutes=PASS_MINUTES)


@on_startup()
def index_while_stopped() -> None:
    indexing.index_missed_tickets(minutes=START_MINUTES)


@db_periodic_task(crontab(hour="9", minute="0"))
def remind_expiring_articles() -> int:
    """Daily: remind article owners before an article or one of its links expires."""
    from fankui.kb.services import remind_expiring_articles as remind

    return remind(timezone.localdate())
