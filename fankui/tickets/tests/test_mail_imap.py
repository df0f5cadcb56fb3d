"""Mailbox intake over IMAP against a real Dovecot on loopback (imaps, a certificate made for the run).

The mailbox stands in for the helpdesk's 腾讯企业邮箱 box; mail lands in it the way Foxmail and QQ Mail
users send it. Personas: reporter 张三 (华南), an owner on QQ Mail nobody knows.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from fankui.core import testing
from fankui.tickets import tasks
from fankui.tickets.mail.imap import Mailbox, MailboxError, connect, fetch_mailbox, file_message, folder_name, pending_uids, watch_mailbox
from fankui.tickets.models import Ticket
from fankui.tickets.tests import mail_samples as samples
from fankui.tickets.tests.dovecot import PASSWORD, Dovecot, running_dovecot

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dovecot(guide_loaded: None) -> Iterator[Dovecot]:
    with running_dovecot() as server, override_settings(**server.settings()):
        yield server


def report(n: int = 1) -> bytes:
    return samples.foxmail_gbk(
        address="zhangsan@cc-pg.cn", name="张三", subject=f"收费云打印收据报错 {n}", body="收费云打印收据时提示“模板不存在”，麻烦看下",
        message_id=f"<2026120409{n:02d}@cc-pg.cn>", extra={"To": "helpdesk@cc-pg.cn"},
    )


def test_a_mail_in_the_mailbox_is_filed_once_and_moved_to_the_done_folder(dovecot: Dovecot) -> None:
    testing.reporter("张三", "华南", email="zhangsan@cc-pg.cn")
    dovecot.deliver(report())
    call_command("mail-fetch")
    ticket = Ticket.objects.get()
    assert (ticket.reporter.email, ticket.channel, ticket.region.name) == ("zhangsan@cc-pg.cn", "email", "华南")
    assert (dovecot.uids("INBOX"), len(dovecot.uids("fankui-done"))) == ([], 1)
    call_command("mail-fetch")  # nothing left to file
    assert Ticket.objects.count() == 1


def test_a_worker_that_died_between_filing_and_moving_files_nothing_twice(dovecot: Dovecot) -> None:
    dovecot.deliver(report())
    mailbox = Mailbox.from_settings()
    assert mailbox is not None
    with connect(mailbox) as client:  # the first worker files the mail, then is gone before moving it
        [uid] = pending_uids(client)
        assert file_message(client, uid, mailbox).action == "created"
    assert len(dovecot.uids("INBOX")) == 1
    after_restart = fetch_mailbox(mailbox)  # the restarted worker's pass
    assert (dict(after_restart.outcomes), after_restart.moved) == ({"duplicate": 1}, 1)
    assert Ticket.objects.count() == 1 and dovecot.uids("INBOX") == []


def test_the_worker_fetches_every_minute_only_when_a_mailbox_is_configured(dovecot: Dovecot) -> None:
    dovecot.deliver(report())
    with override_settings(FANKUI_IMAP_HOST=""):
        assert tasks.fetch_mailbox.call_local() == 0
    assert len(dovecot.uids("INBOX")) == 1
    assert tasks.fetch_mailbox.call_local() == 1
    assert Ticket.objects.count() == 1


def test_watching_files_mail_as_it_arrives_and_stops_when_told(dovecot: Dovecot) -> None:
    mailbox = Mailbox.from_settings()
    assert mailbox is not None
    stop, lines = threading.Event(), []
    watcher = threading.Thread(target=watch_mailbox, args=(mailbox, stop), kwargs={"interval": 0.2, "report": lines.append})
    watcher.start()
    try:
        dovecot.deliver(report(1))
        dovecot.deliver(samples.utf8_plain(address="owner.wang@qq.com", name="王先生", subject="APP 问卷打不开", body="满意度问卷打不开",
                                           message_id="<qq-9@qq.com>"))
        deadline = time.monotonic() + 20
        # Watch the mailbox, not the database: the test database lives in memory, where a read while the
        # watcher's thread writes is refused ("table is locked") instead of waiting.
        while dovecot.uids("INBOX") and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        watcher.join(timeout=30)
    assert not watcher.is_alive()
    assert Ticket.objects.count() == 2 and dovecot.uids("INBOX") == []
    assert not Ticket.objects.get(reporter__email="owner.wang@qq.com").reporter.is_active  # a contact, no login


def test_a_chinese_done_folder_is_created_and_used(dovecot: Dovecot) -> None:
    dovecot.deliver(report())
    with override_settings(FANKUI_IMAP_DONE_FOLDER="反馈已处理"):
        call_command("mail-fetch")
    assert folder_name("~peter/mail/台北/日本語") == '"~peter/mail/&U,BTFw-/&ZeVnLIqe-"'  # RFC 3501's example
    with dovecot.client() as client:
        assert client.select(folder_name("反馈已处理"))[0] == "OK"
        assert len(client.uid("SEARCH", None, "ALL")[1][0].split()) == 1


def test_the_password_is_never_logged_or_shown(dovecot: Dovecot, caplog: pytest.LogCaptureFixture) -> None:
    dovecot.deliver(report())
    mailbox = Mailbox.from_settings()
    assert mailbox is not None and PASSWORD not in repr(mailbox)
    with caplog.at_level(logging.DEBUG):
        call_command("mail-fetch")
        with override_settings(FANKUI_IMAP_PASSWORD="wrong-" + PASSWORD), pytest.raises(CommandError) as refused:
            call_command("mail-fetch")
    assert str(refused.value) == "收取邮件失败：login refused for helpdesk@cc-pg.cn on 127.0.0.1"
    assert PASSWORD not in caplog.text and Ticket.objects.count() == 1


def test_a_server_whose_certificate_is_not_trusted_is_refused(dovecot: Dovecot) -> None:
    dovecot.deliver(report())
    with override_settings(FANKUI_IMAP_CA_FILE=""):  # TLS is on by default: the system CAs do not know this server
        mailbox = Mailbox.from_settings()
        assert mailbox is not None
        with pytest.raises(MailboxError, match="cannot reach 127.0.0.1"):
            fetch_mailbox(mailbox)
    assert not Ticket.objects.exists() and len(dovecot.uids("INBOX")) == 1
