"""Email through Django's SMTP settings (EMAIL_HOST/EMAIL_PORT/…).

The Message-ID and the `[ref]` in the subject are a contract with mail intake: a reply quotes
the Message-ID in In-Reply-To/References and keeps the subject, and intake matches on exactly
`<fankui.{notice_id}.{ticket_ref}@{domain}>`. Change them only together with intake. The
Reply-To carries a per-ticket, per-recipient token that proves who answers (`reply_address`).
"""
from __future__ import annotations

import base64
import logging
import re
import smtplib
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.crypto import constant_time_compare, salted_hmac

from fankui.core.text import one_line
from fankui.notify.channels.base import Channel, TransportError, ticket_ref, ticket_url
from fankui.notify.models import Delivery

SMTP_TIMEOUT = 20

log = logging.getLogger(__name__)


def mail_domain() -> str:
    """The domain of DEFAULT_FROM_EMAIL ("反馈 <fankui@example.com>" → example.com)."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    domain = address.rpartition("@")[2] if "@" in address else ""
    return domain or "fankui.local"


def message_id_for(delivery: Delivery) -> str:
    ref = ticket_ref(delivery)
    local = f"fankui.{delivery.notice_id}.{ref}" if ref else f"fankui.{delivery.notice_id}"
    return f"<{local}@{mail_domain()}>"


def reply_token(ref: str, recipient: str) -> str:
    """Proof, for one ticket and one recipient, that a reply comes from someone fankui mailed.

    It travels only in the Reply-To of the mail sent to that recipient, so a reply carrying it was
    written by someone who received that mail; a forged From: alone cannot produce it."""
    digest = salted_hmac("fankui.mail.reply", f"{ref.upper()}:{recipient.strip().lower()}", algorithm="sha256").digest()
    return base64.b32encode(digest[:10]).decode().lower()


def reply_address(ref: str, recipient: str) -> str:
    """The helpdesk's intake address with `+<ref>.<token>` (RFC 5233 sub-addressing)."""
    local, _, domain = (parseaddr(settings.FANKUI_INTAKE_ADDRESS or settings.DEFAULT_FROM_EMAIL)[1]).partition("@")
    return f"{local}+{ref.lower()}.{reply_token(ref, recipient)}@{domain or mail_domain()}"


_SUBADDRESS = re.compile(r"\+(?P<ref>[a-z0-9-]+)\.(?P<token>[a-z2-7]{16})@", re.IGNORECASE)


def refs_vouched_for(sender: str, recipients: Sequence[str]) -> set[str]:
    """The ticket refs whose reply token, for this sender, is on one of the recipient addresses."""
    vouched = set()
    for address in recipients:
        found = _SUBADDRESS.search(address)
        if found and constant_time_compare(found["token"].lower(), reply_token(found["ref"], sender)):
            vouched.add(found["ref"].upper())
    return vouched


class EmailChannel(Channel):
    name = "email"

    def __init__(self) -> None:
        # The Huey worker delivers on several threads: each run holds its own connection.
        self._run = threading.local()

    def is_noop(self, delivery: Delivery) -> bool:
        return not delivery.notice.email

    @contextmanager
    def session(self) -> Iterator[None]:
        """One SMTP connection for a run of mails, opened by the first and closed at the end: connecting
        and EHLO were half of the worker's time per mail (benchmarks/bench_intake.py --worker)."""
        self._run.active, self._run.backend = True, None
        try:
            yield
        finally:
            self._drop()
            self._run.active = False

    def _connection(self) -> BaseEmailBackend:
        fresh = get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT or SMTP_TIMEOUT)
        if not getattr(self._run, "active", False):
            return fresh  # one mail on its own: the backend connects and closes around it
        if self._run.backend is None:
            fresh.open()
            self._run.backend = fresh
        return self._run.backend

    def _drop(self) -> None:
        """Forget the run's connection (after a failure it may be half-closed: the next mail reconnects)."""
        backend, self._run.backend = getattr(self._run, "backend", None), None
        if backend is not None:
            try:
                backend.close()
            except (smtplib.SMTPException, OSError):
                log.info("closing the SMTP connection failed; it is dropped anyway", exc_info=True)

    def notify(self, delivery: Delivery) -> str | None:
        notice = delivery.notice
        ref = ticket_ref(delivery)
        # A title pasted from another program can hold CR/LF: in a header that is BadHeaderError on every
        # retry (or, unfolded, an injected header). Headers get one line.
        subject = one_line(notice.subject)
        subject = subject if not ref or f"[{ref}]" in subject else f"[{ref}] {subject}"
        message_id = message_id_for(delivery)
        headers = {"Message-ID": message_id, "Auto-Submitted": "auto-generated"}
        if notice.in_reply_to:  # an answer to someone's mail (RFC 3834 § 5)
            headers.update({"In-Reply-To": notice.in_reply_to, "References": notice.in_reply_to, "Auto-Submitted": "auto-replied"})
        if ref:
            headers["X-Fankui-Ticket"] = ref
        intake = settings.FANKUI_INTAKE_ADDRESS or settings.DEFAULT_FROM_EMAIL
        # A mail contact cannot sign in: a link to the ticket page would only show them a login form.
        link = "" if notice.recipient is not None and not notice.recipient.is_active else f"查看详情：{ticket_url(delivery)}\n\n"
        message = EmailMessage(
            subject=subject,
            body=f"{notice.body}\n\n{link}（直接回复本邮件即可补充或回复，请保留标题中的编号。）",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notice.email],
            # Per recipient: a reply to this mail proves it comes from them (fankui.tickets.mail.trust).
            reply_to=[reply_address(ref, notice.email) if ref else intake],
            headers=headers,
        )
        try:
            self._send(message)
        except BadHeaderError as exc:  # an address with a line break: no retry will ever send it
            raise TransportError(f"邮件头不合法，无法发送：{exc}", permanent=True) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            raise TransportError(f"收件人被拒绝：{exc.recipients}", permanent=all(500 <= c < 600 for c in codes)) from exc
        except smtplib.SMTPResponseException as exc:
            raise TransportError(f"SMTP {exc.smtp_code} {exc.smtp_error!r}", permanent=500 <= exc.smtp_code < 600) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TransportError(f"SMTP 连接失败：{exc}") from exc
        return message_id

    def _send(self, message: EmailMessage) -> None:
        try:
            message.connection = self._connection()
            message.send()
        except Exception:
            self._drop()
            raise
