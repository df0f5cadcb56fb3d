"""The outbox worker's rules: claims, backoff, give-ups, and a request that never breaks."""
from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from fankui.core import testing
from fankui.notify import delivery as worker
from fankui.notify.delivery import MAX_ATTEMPTS, Claim, backoff, claim_due, deliver_due
from fankui.notify.models import Delivery, Notice
from fankui.notify.services import notify_user, retry_deliveries
from fankui.notify.tasks import deliver_pending
from fankui.notify.tests import factories

pytestmark = pytest.mark.django_db

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def _queue(key: str = "k1", email: str = "someone@example.com") -> Delivery:
    notice = notify_user(None, email=email, kind=Notice.Kind.ESCALATED, dedup_key=key, subject="[FK1] 升级给您", body="正文")
    assert notice is not None
    return notice.deliveries.get()


def test_backoff_doubles_from_a_minute_up_to_an_hour() -> None:
    minutes = [backoff(n) / datetime.timedelta(minutes=1) for n in range(1, 10)]
    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def _claims(now: datetime.datetime) -> list[int]:
    return [row.pk for row in claim_due(now, limit=100).rows]


def test_only_one_claim_wins() -> None:
    row = _queue()
    now = timezone.now()
    assert _claims(now) == [row.pk]
    assert _claims(now) == []
    # A worker that died keeps the row only until its lease runs out.
    assert _claims(now + worker.lease() + datetime.timedelta(seconds=1)) == [row.pk]


def test_one_run_claims_several_rows_oldest_first_up_to_its_limit() -> None:
    rows = [_queue(f"k{n}", f"p{n}@example.com") for n in range(3)]
    first = claim_due(timezone.now(), limit=2)
    assert [row.pk for row in first.rows] == [rows[0].pk, rows[1].pk]
    assert _claims(timezone.now()) == [rows[2].pk]  # a second run gets only what the first left


def test_a_lease_runs_from_the_moment_of_the_claim_not_from_the_start_of_a_slow_batch() -> None:
    row = _queue()
    batch_started = timezone.now() - 2 * worker.lease()  # a batch that has been sending for a while
    Delivery.objects.filter(pk=row.pk).update(next_attempt_at=batch_started)
    assert _claims(batch_started) == [row.pk]
    row.refresh_from_db()
    assert row.claimed_until > timezone.now() + worker.lease() - datetime.timedelta(seconds=5)
    assert _claims(timezone.now()) == []  # a second worker cannot take it while it is sent


def test_a_slow_run_renews_its_claim_before_a_send_and_leaves_a_row_another_run_took(django_assert_num_queries: Any) -> None:
    taken, kept = _queue("k1", "taken@example.com"), _queue("k2", "kept@example.com")
    claim = claim_due(timezone.now(), limit=10)
    # The run has been sending for a whole lease; meanwhile another run took the oldest row.
    late = Claim(claim.token, claim.at - worker.lease(), claim.rows)
    Delivery.objects.update(claimed_until=timezone.now() - datetime.timedelta(seconds=1))
    assert [row.pk for row in claim_due(timezone.now(), limit=1).rows] == [taken.pk]
    assert [worker.still_held(late, row) for row in late.rows] == [False, True]
    kept.refresh_from_db()
    assert kept.claimed_until > timezone.now() + worker.lease() - datetime.timedelta(seconds=5)
    with django_assert_num_queries(0):  # early in a run the claim is live: nothing to ask
        assert worker.still_held(Claim(claim.token, timezone.now(), claim.rows), kept)


def test_a_crashed_workers_row_goes_out_again_within_a_minute() -> None:
    _queue()
    assert _claims(timezone.now())  # ... and the worker is killed before it sends
    assert worker.lease() < datetime.timedelta(minutes=1)
    assert deliver_due(timezone.now() + worker.lease() + datetime.timedelta(seconds=1)) == 1
    assert len(mail.outbox) == 1


def test_a_claimed_row_is_not_sent_by_a_second_worker() -> None:
    _queue()
    assert _claims(timezone.now())
    assert deliver_due() == 0
    assert mail.outbox == []


def test_it_sends_through_the_configured_mail_backend() -> None:
    row = _queue()
    assert deliver_due() == 1
    [message] = mail.outbox
    assert message.subject == "[FK1] 升级给您" and message.to == ["someone@example.com"]
    row.refresh_from_db()
    assert row.status == "sent" and row.sent_at is not None
    assert deliver_due() == 0  # sent rows are never picked again


def test_it_gives_up_after_the_last_attempt_and_keeps_the_error() -> None:
    row = _queue()
    now = timezone.now()
    with override_settings(EMAIL_BACKEND=SMTP, EMAIL_HOST="127.0.0.1", EMAIL_PORT=testing.free_port()):
        for _ in range(MAX_ATTEMPTS + 2):
            deliver_due(now)
            now += datetime.timedelta(hours=1)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert row.last_error.startswith("SMTP 连接失败")


def test_a_crashing_channel_is_retried_not_fatal(monkeypatch: pytest.MonkeyPatch) -> None:
    row = _queue()
    other = _queue("k2", "other@example.com")

    def boom(delivery: Delivery) -> str:
        if delivery.pk == row.pk:
            raise RuntimeError("bug in channel")
        return "<ok>"

    monkeypatch.setattr(worker.CHANNELS["email"], "notify", boom)
    assert deliver_due() == 2
    row.refresh_from_db()
    other.refresh_from_db()
    assert (row.status, row.last_error) == ("pending", "RuntimeError: bug in channel")
    assert (other.status, other.message_id) == ("sent", "<ok>")


def test_a_channel_switched_off_after_queueing_fails_with_a_reason() -> None:
    with override_settings(FANKUI_PUSH_WEBHOOK_URL="http://127.0.0.1:9/hook"):
        testing.consultant_ding()
        factories.file_report(testing.reporter_a())
    deliver_due()
    push = Delivery.objects.get(channel="webhook")
    assert push.status == "failed"
    assert push.last_error == "渠道 webhook 未配置或无收件地址，未发送"


def test_a_broken_worker_never_breaks_the_request(monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: object) -> None:
    def broken(*args: object, **kwargs: object) -> int:
        raise ConnectionError("database went away")

    monkeypatch.setattr("fankui.notify.tasks.deliver_due", broken)
    testing.consultant_ding()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # type: ignore[operator]
        ticket = factories.file_report(testing.reporter_a())
    assert callbacks  # the wake-up ran, and raised nothing
    assert Notice.objects.filter(ticket=ticket).exists()
    assert Delivery.objects.get().status == "pending"  # the sweep will send it


def test_the_wake_up_delivers_on_commit(django_capture_on_commit_callbacks: object) -> None:
    testing.consultant_ding()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        ticket = factories.file_report(testing.reporter_a())
    assert [m.subject for m in mail.outbox] == [f"[{ticket.ref}] 新问题：{ticket.title}"]
    assert deliver_pending.call_local() == 0


def test_retry_requeues_only_failed_rows() -> None:
    failed, sent = _queue("k1"), _queue("k2", "b@example.com")
    Delivery.objects.filter(pk=failed.pk).update(status="failed", attempts=8, last_error="HTTP 404")
    Delivery.objects.filter(pk=sent.pk).update(status="sent")
    assert retry_deliveries([failed.pk, sent.pk]) == 1
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("pending", 0)
    assert Delivery.objects.get(pk=sent.pk).status == "sent"


def test_admin_can_retry_failed_deliveries_now() -> None:
    row = _queue()
    Delivery.objects.filter(pk=row.pk).update(status="failed", attempts=8, last_error="SMTP 连接失败：refused")
    client = Client()
    client.force_login(testing.admin())
    page = client.get("/admin/notify/delivery/?status__exact=failed&channel__exact=email")
    assert "SMTP 连接失败：refused" in page.content.decode()
    response = client.post("/admin/notify/delivery/", {"action": "retry_failed", "_selected_action": [row.pk]}, follow=True)
    assert "已重新排队 1 条失败的投递。" in response.content.decode()
    row.refresh_from_db()
    assert row.status == "pending"


def test_admin_lists_notices_with_their_deliveries() -> None:
    row = _queue()
    client = Client()
    client.force_login(testing.admin())
    assert client.get("/admin/notify/notice/?deliveries__status=pending").status_code == 200
    page = client.get(f"/admin/notify/notice/{row.notice_id}/change/")
    assert "升级给您" in page.content.decode()


def test_a_subject_with_line_breaks_is_sent_on_one_line() -> None:
    notice = notify_user(None, email="someone@example.com", kind=Notice.Kind.ESCALATED, dedup_key="crlf",
                         subject="[FK1] EAS 打不开\r\nBcc: victim@example.com\u2028第二行", body="正文")
    assert notice is not None and deliver_due() == 1
    [message] = mail.outbox
    assert message.subject == "[FK1] EAS 打不开 Bcc: victim@example.com 第二行"
    assert "victim@example.com" not in message.bcc + message.to + message.cc
    assert b"\nBcc:" not in message.message().as_bytes()


def test_an_address_that_can_never_be_sent_fails_at_once_with_its_reason() -> None:
    row = _queue("bad-address", email="someone@example.com\nBcc: x@example.com")
    deliver_due()
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 1)
    assert "邮件头不合法" in row.last_error
