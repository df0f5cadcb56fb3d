"""The apps' push gateway: signed JSON to a real HTTP receiver, with retries and give-ups."""
from __future__ import annotations

import datetime
import hashlib
import hmac

import pytest
from django.test import override_settings
from django.utils import timezone

from fankui.core import testing
from fankui.notify.delivery import deliver_due
from fankui.notify.models import Delivery, Notice
from fankui.notify.tests import factories
from fankui.notify.tests.receivers import http_receiver

pytestmark = [pytest.mark.django_db, pytest.mark.service]

SECRET = "push-secret-for-tests"


def _webhook(ticket_ref: str) -> Delivery:
    return Delivery.objects.select_related("notice").get(notice__ticket__ref=ticket_ref, channel=Delivery.Channel.WEBHOOK)


def test_it_posts_a_signed_body_the_gateway_can_verify_and_dedupe() -> None:
    consultant = testing.consultant_ding()
    with http_receiver() as receiver, override_settings(FANKUI_PUSH_WEBHOOK_URL=receiver.url, FANKUI_PUSH_WEBHOOK_SECRET=SECRET):
        ticket = factories.file_report(testing.reporter_a())
        deliver_due()
    delivery = _webhook(ticket.ref)
    [hit] = receiver.hits
    expected = "sha256=" + hmac.new(SECRET.encode(), hit.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(hit.headers["x-fankui-signature"], expected)
    assert hit.headers["x-fankui-delivery"] == str(delivery.pk)
    assert hit.headers["idempotency-key"] == f"fankui-delivery-{delivery.pk}"
    assert hit.headers["content-type"].startswith("application/json")
    assert hit.json == {
        "event": Notice.Kind.NEW_IN_QUEUE,
        "delivery_id": delivery.pk,
        "idempotency_key": f"fankui-delivery-{delivery.pk}",
        "ticket": ticket.ref,
        "recipient": consultant.username,
        "title": delivery.notice.subject,
        "body": delivery.notice.body,
        "url": f"http://127.0.0.1:8000/tickets/{ticket.ref}/",
    }
    assert delivery.status == "sent"


def test_it_backs_off_after_a_500_and_sends_when_the_gateway_recovers() -> None:
    testing.consultant_ding()
    with http_receiver([500, 500, 200]) as receiver, override_settings(FANKUI_PUSH_WEBHOOK_URL=receiver.url, FANKUI_PUSH_WEBHOOK_SECRET=SECRET):
        ticket = factories.file_report(testing.reporter_a())
        start = timezone.now()
        assert deliver_due(start) == 2  # the email and the push
        delivery = _webhook(ticket.ref)
        assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", 1, "HTTP 500 Internal Server Error")
        assert delivery.next_attempt_at == start + datetime.timedelta(minutes=1)
        assert deliver_due(start + datetime.timedelta(seconds=30)) == 0  # not due yet
        assert deliver_due(start + datetime.timedelta(minutes=1)) == 1
        delivery.refresh_from_db()
        assert delivery.next_attempt_at == start + datetime.timedelta(minutes=3)  # then 2 minutes later
        assert deliver_due(start + datetime.timedelta(minutes=3)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 3, "")
    assert [hit.status for hit in receiver.hits] == [500, 500, 200]
    assert len({hit.headers["x-fankui-delivery"] for hit in receiver.hits}) == 1
    assert len({hit.headers["idempotency-key"] for hit in receiver.hits}) == 1  # one key across retries


def test_it_gives_up_at_once_on_a_4xx() -> None:
    testing.consultant_ding()
    with http_receiver([404]) as receiver, override_settings(FANKUI_PUSH_WEBHOOK_URL=receiver.url, FANKUI_PUSH_WEBHOOK_SECRET=SECRET):
        ticket = factories.file_report(testing.reporter_a())
        deliver_due()
        deliver_due(timezone.now() + datetime.timedelta(hours=2))
    delivery = _webhook(ticket.ref)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", 1, "HTTP 404 Not Found")
    assert len(receiver.hits) == 1


def test_it_retries_a_429() -> None:
    testing.consultant_ding()
    with http_receiver([429, 200]) as receiver, override_settings(FANKUI_PUSH_WEBHOOK_URL=receiver.url, FANKUI_PUSH_WEBHOOK_SECRET=SECRET):
        ticket = factories.file_report(testing.reporter_a())
        deliver_due()
        assert _webhook(ticket.ref).status == "pending"
        deliver_due(timezone.now() + datetime.timedelta(minutes=2))
    assert _webhook(ticket.ref).status == "sent"


def test_it_refuses_to_push_unsigned() -> None:
    testing.consultant_ding()
    with http_receiver() as receiver, override_settings(FANKUI_PUSH_WEBHOOK_URL=receiver.url, FANKUI_PUSH_WEBHOOK_SECRET=""):
        ticket = factories.file_report(testing.reporter_a())
        deliver_due()
    delivery = _webhook(ticket.ref)
    assert delivery.status == "failed"
    assert delivery.last_error == "未设置 FANKUI_PUSH_WEBHOOK_SECRET，拒绝发送未签名的推送"
    assert receiver.hits == []


def test_it_does_not_queue_a_push_for_a_bare_mailbox() -> None:
    with override_settings(FANKUI_PUSH_WEBHOOK_URL="http://127.0.0.1:9/hook"):
        from fankui.notify.services import notify_user

        notice = notify_user(None, email="team@example.com", kind=Notice.Kind.ESCALATED, dedup_key="t:1", subject="s", body="b")
    assert notice is not None
    assert list(notice.deliveries.values_list("channel", flat=True)) == ["email"]
