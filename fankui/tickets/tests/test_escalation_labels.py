"""A consultant's escalation is the router's training label."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from fankui.directory.models import Person, Region, System
from fankui.routing.examples import training_examples
from fankui.routing.models import RoutingExample
from fankui.tickets.services import Intake, create_ticket, escalate_ticket

pytestmark = pytest.mark.django_db


def test_the_final_system_chosen_at_escalation_becomes_a_training_example() -> None:
    reporter = get_user_model().objects.create_user("reporter-a")
    consultant = get_user_model().objects.create_user("consultant-a")
    text = "报表导出一直转圈，导不出来"
    ticket = create_ticket(reporter=reporter, intake=Intake(description=text, channel="web", region=Region.objects.get(name="华南"))).ticket
    escalate_ticket(ticket=ticket, by=consultant, system=System.objects.get(name="CMP"), owner=Person.objects.get(name="刘新超"))
    escalate_ticket(ticket=ticket, by=consultant, system=System.objects.get(name="KM"), owner=Person.objects.get(name="林焕婷"))

    example = RoutingExample.objects.get(ticket_id=ticket.pk)
    assert (example.text, example.label) == (text, "KM")
    assert any(e.text == text and e.label == "KM" for e in training_examples())
