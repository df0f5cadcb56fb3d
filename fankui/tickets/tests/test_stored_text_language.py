"""What fankui stores or sends is written in the site's language, whatever the actor's page language."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from fankui.directory.models import Region
from fankui.notify.models import Notice
from fankui.tickets.services import Intake, TicketError, create_ticket, resolve_ticket

pytestmark = pytest.mark.django_db


def test_a_report_filed_from_an_english_page_notifies_in_chinese() -> None:
    reporter = get_user_model().objects.create_user("reporter-en")
    consultant = get_user_model().objects.create_user("consultant-en", email="c@example.com")
    region = Region.objects.get(name="华南")
    region.consultant.user = consultant
    region.consultant.save()
    with translation.override("en"):
        ticket = create_ticket(reporter=reporter, intake=Intake(description="门禁刷卡没反应", channel="web", region=region)).ticket
        resolve_ticket(ticket=ticket, by=consultant, reply="已处理")
        with pytest.raises(TicketError) as refused:
            resolve_ticket(ticket=ticket, by=consultant, reply="再次处理")
    assert Notice.objects.get(kind="new_in_queue").body.startswith("非紧急 · 华南")
    assert refused.value.message == "工单当前状态为“已解决”，不能执行此操作。"
