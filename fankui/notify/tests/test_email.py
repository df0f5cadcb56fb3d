"""Email delivery against a real SMTP server on loopback."""
from __future__ import annotations

import pytest
from django.test import override_settings

from fankui.core import testing
from fankui.notify.channels.email import reply_address
from fankui.notify.delivery import deliver_due
from fankui.notify.models import Delivery, Notice
from fankui.notify.tests import factories
from fankui.notify.tests.receivers import smtp_server

pytestmark = [pytest.mark.django_db, pytest.mark.service]

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_it_mails_the_consultant_with_the_intake_contract() -> None:
    testing.consultant_ding()
    ticket = factories.file_report(testing.reporter_a())
    notice = Notice.objects.get(ticket=ticket, kind=Notice.Kind.NEW_IN_QUEUE)
    with smtp_server() as inbox, override_settings(
        EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=inbox.port,
        DEFAULT_FROM_EMAIL="反馈 <fankui@example.com>", FANKUI_INTAKE_ADDRESS="help@example.com",
    ):
        assert deliver_due() == 1
    [message] = inbox.messages
    assert message["Message-ID"] == f"<fankui.{notice.pk}.{ticket.ref}@example.com>"
    assert f"[{ticket.ref}]" in message["Subject"]
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["X-Fankui-Ticket"] == ticket.ref
    # A per-recipient sub-address of the intake address: a reply to it proves who answers.
    with override_settings(FANKUI_INTAKE_ADDRESS="help@example.com"):
        assert message["Reply-To"] == reply_address(ticket.ref, "dingjiagui@cc-pg.cn")
    assert message["Reply-To"].startswith(f"help+{ticket.ref.lower()}.") and message["Reply-To"].endswith("@example.com")
    assert message["To"] == "dingjiagui@cc-pg.cn"
    assert f"/tickets/{ticket.ref}/" in message.get_content()
    delivery = Delivery.objects.get(notice=notice, channel=Delivery.Channel.EMAIL)
    assert (delivery.status, delivery.attempts, delivery.message_id) == ("sent", 1, message["Message-ID"])


def test_it_falls_back_to_the_sender_for_reply_to_and_a_local_domain() -> None:
    testing.consultant_ding()
    ticket = factories.file_report(testing.reporter_a())
    with smtp_server() as inbox, override_settings(EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=inbox.port, DEFAULT_FROM_EMAIL="fankui"):
        deliver_due()
    [message] = inbox.messages
    assert message["Reply-To"].startswith("fankui+") and message["Reply-To"].endswith("@fankui.local")
    assert message["Message-ID"].endswith(f".{ticket.ref}@fankui.local>")


def test_it_retries_when_the_server_says_later_and_fails_at_once_when_it_refuses() -> None:
    testing.consultant_ding()
    reporter = testing.reporter_a()
    factories.file_report(reporter)
    with smtp_server() as inbox, override_settings(EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=inbox.port):
        inbox.reply = "451 4.3.0 try again later"
        deliver_due()
        delivery = Delivery.objects.get()
        assert (delivery.status, delivery.attempts) == ("pending", 1)
        assert "451" in delivery.last_error
        Delivery.objects.update(next_attempt_at=delivery.next_attempt_at.replace(year=2000))
        inbox.reply = "550 5.1.1 mailbox unavailable"
        deliver_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    assert "550" in delivery.last_error


def test_one_run_sends_its_mails_over_one_connection() -> None:
    testing.consultant_ding()
    reporter = testing.reporter_a()
    for _ in range(3):
        factories.file_report(reporter)
    with smtp_server() as inbox, override_settings(EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=inbox.port):
        assert deliver_due() == 3
        factories.file_report(reporter)
        assert deliver_due() == 1
    assert len(inbox.messages) == 4 and Delivery.objects.filter(status="sent").count() == 4
    assert inbox.peers[0] == inbox.peers[1] == inbox.peers[2] != inbox.peers[3]  # the next run connects anew
