"""New tickets are indexed by the worker after they commit, and none is left out when a wake-up is lost."""
from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from fankui.core.testing import make_personas
from fankui.kb import tasks
from fankui.kb.models import SearchDoc
from fankui.kb.search import search
from fankui.tickets.models import Ticket
from fankui.tickets.services import Intake, create_ticket

pytestmark = pytest.mark.django_db


def _file_without_the_worker(reporter: object, description: str) -> Ticket:
    """A report whose after-commit wake-up never ran (worker down, queue lost)."""
    return create_ticket(reporter=reporter, intake=Intake(description=description, channel="web")).ticket  # type: ignore[arg-type]


def _indexed(ticket: Ticket) -> bool:
    return SearchDoc.objects.filter(kind=SearchDoc.Kind.TICKET, object_id=ticket.pk).exists()


def test_the_report_itself_writes_no_index_row_and_the_periodic_pass_adds_it() -> None:
    people = make_personas()
    ticket = _file_without_the_worker(people["reporter_a"], "道闸抬杆失灵，车辆排队出不去")
    assert not _indexed(ticket)
    assert tasks.index_missed_tickets.call_local() == 1
    assert [hit.ticket.ref for hit in search(people["admin"], "道闸 抬杆").tickets] == [ticket.ref]
    assert tasks.index_missed_tickets.call_local() == 0  # nothing twice


def test_a_worker_starting_after_a_long_stop_indexes_what_arrived_meanwhile() -> None:
    people = make_personas()
    old = _file_without_the_worker(people["reporter_a"], "三天前报的电梯困人")
    Ticket.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    assert tasks.index_missed_tickets.call_local() == 0  # older than the minute pass looks
    tasks.index_while_stopped()
    assert _indexed(old)


def test_a_wake_up_indexes_what_arrived_since_the_newest_indexed_ticket() -> None:
    people = make_personas()
    first = _file_without_the_worker(people["reporter_a"], "停车场月卡续费后还是进不去")
    second = _file_without_the_worker(people["reporter_b"], "月卡续费成功但道闸不认")
    assert tasks.index_new_tickets.call_local() == 2
    assert _indexed(first) and _indexed(second)
    assert tasks.index_new_tickets.call_local() == 0
