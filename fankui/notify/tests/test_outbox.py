"""The issue's outbox test: changes made while delivery is down are each delivered exactly once later."""
from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from fankui.core import testing
from fankui.directory.models import Person
from fankui.notify.delivery import deliver_due
from fankui.notify.models import Delivery
from fankui.notify.tests import factories
from fankui.notify.tests.receivers import http_receiver, smtp_server
from fankui.tickets.services import escalate_ticket, reply_to_ticket, request_information, resolve_ticket

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


def _make_changes() -> None:
    ding, chen = testing.consultant_ding(), testing.consultant_chen()
    testing.owner_peng()
    a, b = testing.reporter_a(), testing.reporter_b()
    eas = factories.file_report(a)
    parking = factories.file_report(b, "停车场道闸不抬杆，临时车缴费后也出不去")
    factories.file_report(a, "一应生活APP 登录后一直闪退", urgency="urgent")
    reply_to_ticket(ticket=eas, by=ding, body="收到，正在确认您的组织权限。")
    escalate_ticket(ticket=eas, by=ding, system=eas.system, owner=Person.objects.get(name="彭戈"), reason="需要开通组织权限")
    request_information(ticket=parking, by=chen, question="请提供车牌号和出场时间。")
    reply_to_ticket(ticket=parking, by=b, body="粤B12345，今天 9 点。")
    resolve_ticket(ticket=parking, by=chen, reply="已在停车系统补录出场记录。")


def _drain(later: datetime.datetime) -> None:
    """Run the worker until nothing is due: from two threads at once on PostgreSQL."""
    if connection.vendor != "postgresql":
        while deliver_due(later, limit=3):
            pass
        return
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            start.wait()
            while deliver_due(later, limit=2):
                pass
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


@pytest.mark.parametrize("outage", ["channels_down", "worker_stopped"])
def test_every_notification_arrives_exactly_once_after_an_outage(guide_loaded: None, outage: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if outage == "worker_stopped":
        # No worker: the on-commit wake-up reaches nobody, the rows just wait.
        monkeypatch.setattr("fankui.notify.tasks.deliver_pending", lambda: None)
    smtp_port, hook_port = testing.free_port(), testing.free_port()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=smtp_port,
        DEFAULT_FROM_EMAIL="fankui@example.com",
        FANKUI_PUSH_WEBHOOK_URL=f"http://127.0.0.1:{hook_port}/hook",
        FANKUI_PUSH_WEBHOOK_SECRET="s3cret",
    ):
        _make_changes()  # nothing listens on either port yet
        emails = set(Delivery.objects.filter(channel="email").values_list("pk", flat=True))
        pushes = set(Delivery.objects.filter(channel="webhook").values_list("pk", flat=True))
        # 8 notices: 3 new tickets, a reply, an escalation, a question, the reporter's answer, a
        # resolution. Each has a login (push); 彭戈 has no email in the guide, so 7 emails.
        assert (len(emails), len(pushes)) == (7, 8)
        assert not Delivery.objects.exclude(status="pending").exists()
        tried = Delivery.objects.filter(attempts__gt=0).count()
        assert tried == (len(emails) + len(pushes) if outage == "channels_down" else 0)

        with smtp_server(smtp_port) as inbox, http_receiver(port=hook_port) as receiver:
            later = timezone.now() + datetime.timedelta(hours=2)
            _drain(later)
            _drain(later + datetime.timedelta(days=1))  # a later sweep finds nothing left to send

    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    expected_ids = sorted(Delivery.objects.filter(channel="email").values_list("message_id", flat=True))
    assert sorted(m["Message-ID"] for m in inbox.messages) == expected_ids  # each once, none missing
    assert len(set(expected_ids)) == len(emails)
    pushed = [int(hit.headers["x-fankui-delivery"]) for hit in receiver.hits]
    assert sorted(pushed) == sorted(pushes)
