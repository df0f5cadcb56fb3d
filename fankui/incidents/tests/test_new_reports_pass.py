"""The worker's look after a wake-up reads only reports numbered above the last look's newest; the periodic
pass reads the whole window, so nothing a look skipped stays missed."""
from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from fankui.incidents import services
from fankui.incidents.models import Incident
from fankui.incidents.tests.factories import make_people, region_of
from fankui.incidents.tests.test_outage_detection import OUTAGE
from fankui.tickets.models import Ticket
from fankui.tickets.services import Intake
from fankui.workflow.intake import file_report

pytestmark = pytest.mark.django_db


def _file_while_the_worker_is_away() -> None:
    people = make_people()
    for key, text in OUTAGE.items():  # no commit in a test: the wake-up never runs
        file_report(reporter=people[key], intake=Intake(description=text, channel=Ticket.Channel.WEB, region=region_of(people[key])))
    Ticket.objects.update(created_at=timezone.now() - datetime.timedelta(seconds=60))


def test_a_look_skips_reports_it_has_seen_and_the_periodic_pass_groups_them(monkeypatch: pytest.MonkeyPatch) -> None:
    _file_while_the_worker_is_away()
    monkeypatch.setattr(services, "_LATE_COMMITS", 0)
    cache.set(services._LAST_SEEN, Ticket.objects.order_by("-pk").values_list("pk", flat=True).first())
    assert services.group_new_reports() == 0 and not Incident.objects.exists()
    services.regroup_recent()
    assert Incident.objects.get().links.count() == 3


def test_reports_just_below_the_last_look_are_read_again_in_case_they_committed_late() -> None:
    _file_while_the_worker_is_away()
    cache.set(services._LAST_SEEN, Ticket.objects.order_by("-pk").values_list("pk", flat=True).first())
    services.group_new_reports()
    assert Incident.objects.get().links.count() == 3


def test_with_no_last_look_a_wake_up_reads_the_last_two_minutes() -> None:
    _file_while_the_worker_is_away()
    services.group_new_reports()
    assert Incident.objects.get().links.count() == 3
    assert cache.get(services._LAST_SEEN) == Ticket.objects.order_by("-pk").values_list("pk", flat=True).first()


def test_a_last_look_beyond_the_newest_report_is_ignored() -> None:
    _file_while_the_worker_is_away()
    cache.set(services._LAST_SEEN, 10**9)  # a database restored from a backup: numbers went back
    services.group_new_reports()
    assert Incident.objects.get().links.count() == 3
