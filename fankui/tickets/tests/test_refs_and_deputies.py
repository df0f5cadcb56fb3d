"""Ticket references survive collisions; a consultant's deputy takes their queue while they are away."""
from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from fankui.directory.models import Absence, Person, Region
from fankui.tickets import services
from fankui.tickets.selectors import visible_tickets
from fankui.tickets.services import Intake, create_ticket

pytestmark = pytest.mark.django_db


def file(description: str, region: str = "华南") -> services.Ticket:
    reporter = get_user_model().objects.get_or_create(username="reporter-a")[0]
    return create_ticket(reporter=reporter, intake=Intake(description=description, channel="web", region=Region.objects.get(name=region))).ticket


def test_a_colliding_reference_is_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    first = file("门禁刷卡没反应")
    draws = iter([first.ref, first.ref, "FK261125-ZZZZZ"])
    monkeypatch.setattr(services, "_new_ref", lambda now: next(draws))
    second = file("停车场道闸不抬杆")
    assert second.ref == "FK261125-ZZZZZ"


def test_the_deputy_gets_new_reports_and_the_queue_while_the_consultant_is_away() -> None:
    ding = Person.objects.get(name="丁家贵")
    deputy = Person.objects.get(name="陈坚")
    deputy.user = get_user_model().objects.create_user("chenjian")
    deputy.save()
    from fankui.accounts.services import set_profile

    set_profile(deputy.user, role="consultant", region=Region.objects.get(name="华东"))
    today = timezone.localdate()
    Absence.objects.create(person=ding, deputy=deputy, starts_on=today, ends_on=today + datetime.timedelta(days=2))

    ticket = file("EAS 报销单提交不了")

    assert ticket.assignee == deputy
    assert visible_tickets(deputy.user).filter(pk=ticket.pk).exists()
    Absence.objects.all().delete()
    assert file("EAS 凭证打印不出来").assignee == ding
