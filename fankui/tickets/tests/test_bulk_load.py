"""Tickets written straight into the table (a bulk load, the peer harness's seeding) read back whole."""
from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from fankui.core import testing
from fankui.tickets.models import Ticket


@pytest.mark.django_db
def test_a_row_inserted_without_its_context_gets_an_empty_one() -> None:
    reporter = testing.reporter_a()
    now = timezone.now()
    columns = "ref, reporter_id, reporter_kind, project, channel, title, description, urgency, topic, routing, status, tier, escalated_to, created_at, updated_at"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO tickets_ticket ({columns}) VALUES ({', '.join(['%s'] * 15)})",
            ["B00000001", reporter.pk, "staff", "", "web", "退款没到账", "上周申请的退款还没到账", "normal", "", "{}", "open", 1, "", now, now],
        )
    assert Ticket.objects.get(ref="B00000001").context == {}
