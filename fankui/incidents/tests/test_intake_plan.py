"""Grouping's reads run before intake's write transaction; these pin what that must not change.

The plan (`services.prepare_grouping`) is read with the write lock free, so by the time the ticket is
written the world may have moved: an incident closed, another worker filed a look-alike. Each test
files reports through the real `create_ticket` (see benchmarks/bench_intake.py for why).
"""
from __future__ import annotations

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fankui.incidents import services, window
from fankui.incidents.models import Incident, IncidentTicket
from fankui.incidents.tests.factories import APP_OUTAGE, People, file, make_people, region_of
from fankui.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> People:
    return make_people()


def _plan_for(people: People, key: str, text: str) -> services.Plan:
    plan = services.prepare_grouping(
        title=text, description=text, system_id=None, reporter_id=people[key].pk, region=region_of(people[key]).name, at=timezone.now()  # type: ignore[union-attr]
    )
    assert plan is not None
    return plan


def test_intake_writes_no_grouping_rows_inside_its_transaction_when_nothing_groups(people: People) -> None:
    file(people["huanan"], APP_OUTAGE[0])
    with CaptureQueriesContext(connection) as queries:
        file(people["huadong"], APP_OUTAGE[1])
    statements = [q["sql"] for q in queries.captured_queries]
    # The look-alike (huanan's) was read before the ticket was inserted, not under the write lock.
    first_insert = next(i for i, sql in enumerate(statements) if sql.startswith('INSERT INTO "tickets_ticket"'))
    assert any('"incident_link' in sql or "incidents_incidentticket" in sql for sql in statements[:first_insert])
    assert not any(sql.startswith('INSERT INTO "incidents_') for sql in statements)


def test_an_incident_closed_after_the_plan_is_not_joined(people: People) -> None:
    tickets = [file(people[key], text).ticket for key, text in zip(("huanan", "huadong", "huabei"), APP_OUTAGE)]
    incident = Incident.objects.get()
    plan = _plan_for(people, "huazhong", APP_OUTAGE[3])
    assert plan.joined is not None and plan.joined[0].pk == incident.pk
    services.dismiss_incident(incident=incident, by=people["xiaou"], reason="个性问题")
    late = Ticket.objects.create(
        ref="FK-LATE", reporter=people["huazhong"], title=APP_OUTAGE[3], description=APP_OUTAGE[3], channel=Ticket.Channel.WEB
    )
    grouping = services.on_ticket_created(late, plan)
    assert grouping.incident is None or grouping.incident.pk != incident.pk
    assert not IncidentTicket.objects.filter(ticket=late, incident=incident).exists()
    assert IncidentTicket.objects.filter(incident=incident).count() == len(tickets)


@override_settings(FANKUI_INCIDENT_WINDOW_REFRESH_SECONDS=3600)
def test_this_processs_own_reports_are_seen_without_a_window_refresh(people: People) -> None:
    # With a window that never refreshes, only `window.remember` can show the first two reports to the third.
    file(people["huanan"], APP_OUTAGE[0])
    file(people["huadong"], APP_OUTAGE[1])
    file(people["huabei"], APP_OUTAGE[2])
    assert Incident.objects.get().state == "proposed"


def test_a_ticket_filed_by_another_process_is_read_once_the_window_is_stale(people: People) -> None:
    file(people["huanan"], APP_OUTAGE[0])  # loads the window
    other = Ticket.objects.create(  # as another worker would: not through this process's intake
        ref="FK-OTHER", reporter=people["huadong"], title=APP_OUTAGE[1], description=APP_OUTAGE[1], channel=Ticket.Channel.WEB
    )
    with window.current(max_age=3600) as index:
        assert other.pk not in index
    with window.current(max_age=0) as index:
        assert other.pk in index
