"""Knowledge-base work for the background worker."""
from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task
from django.utils import timezone


@db_periodic_task(crontab(hour="9", minute="0"))
def remind_expiring_articles() -> int:
    """Daily: remind article owners before an article or one of its links expires."""
    from fankui.kb.services import remind_expiring_articles as remind

    return remind(timezone.localdate())
