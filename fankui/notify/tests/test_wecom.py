"""The WeCom group robot: staff-facing events only, its text format, its errcode answers."""
from __future__ import annotations

import json

import pytest
from django.test import override_settings

from fankui.core import testing
from fankui.notify.delivery import deliver_due
from fankui.notify.models import Delivery, Notice
from fankui.notify.tests import factories
from fankui.notify.tests.receivers import http_receiver
from fankui.tickets.services import reply_to_ticket

pytestmark = [pytest.mark.django_db, pytest.mark.service]


def test_it_posts_staff_events_to_the_group_and_mentions_the_recipient() -> None:
    consultant = testing.consultant_ding()
    with http_receiver() as receiver, override_settings(FANKUI_WECOM_WEBHOOK_URL=receiver.url):
        ticket = factories.file_report(testing.reporter_a())
        reply_to_ticket(ticket=ticket, by=consultant, body="您好，正在排查。")
        deliver_due()
    # The new ticket reaches the group; the reply to the reporter does not.
    assert list(Delivery.objects.filter(channel="wecom").values_list("notice__kind", flat=True)) == [Notice.Kind.NEW_IN_QUEUE]
    [hit] = receiver.hits
    message = json.loads(hit.body)
    assert message["msgtype"] == "text"
    assert message["text"]["content"].startswith(f"[{ticket.ref}] 新问题：")
    assert "致：丁家贵" in message["text"]["content"]
    assert message["text"]["mentioned_mobile_list"] == ["18676682110"]
    assert Delivery.objects.get(channel="wecom").status == "sent"


def test_it_fails_for_good_on_a_bad_robot_key() -> None:
    testing.consultant_ding()
    answer = b'{"errcode": 93000, "errmsg": "invalid webhook url"}'
    with http_receiver(answer=answer) as receiver, override_settings(FANKUI_WECOM_WEBHOOK_URL=receiver.url):
        factories.file_report(testing.reporter_a())
        deliver_due()
    delivery = Delivery.objects.get(channel="wecom")
    assert (delivery.status, delivery.last_error) == ("failed", "企业微信错误 93000：invalid webhook url")


def test_it_retries_when_rate_limited() -> None:
    testing.consultant_ding()
    answer = b'{"errcode": 45009, "errmsg": "api freq out of limit"}'
    with http_receiver(answer=answer) as receiver, override_settings(FANKUI_WECOM_WEBHOOK_URL=receiver.url):
        factories.file_report(testing.reporter_a())
        deliver_due()
    delivery = Delivery.objects.get(channel="wecom")
    assert (delivery.status, delivery.attempts) == ("pending", 1)
