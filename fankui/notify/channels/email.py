"""Email through Django's SMTP settings (EMAIL_HOST/EMAIL_PORT/…).

The Message-ID and the `[ref]` in the subject are a contract with mail intake: a reply quotes
the Message-ID in In-Reply-To/References and keeps the subject, and intake matches on exactly
`<fankui.{notice_id}.{ticket_ref}@{domain}>`. Change them only together with intake.
"""
from __future__ import annotations

import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage, get_connection

from fankui.notify.channels.base import Channel, TransportError, ticket_ref, ticket_url
from fankui.core.text import one_line
from fankui.notify.models import Delivery

SMTP_TIMEOUT = 20


def mail_domain() -> str:
    """The domain of DEFAULT_FROM_EMAIL ("反馈 <fankui@example.com>" → example.com)."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    domain = address.rpartition("@")[2] if "@" in address else ""
    return domain or "fankui.local"


def message_id_for(delivery: Delivery) -> str:
    ref = ticket_ref(delivery)
    local = f"fankui.{delivery.notice_id}.{ref}" if ref else f"fankui.{delivery.notice_id}"
    return f"<{local}@{mail_domain()}>"


class EmailChannel(Channel):
    name = "email"

    def is_noop(self, delivery: Delivery) -> bool:
        return not delivery.notice.email

    def notify(self, delivery: Delivery) -> str | None:
        notice = delivery.notice
        ref = ticket_ref(delivery)
        # A title pasted from another program can hold CR/LF: in a header that is BadHeaderError on every
        # retry (or, unfolded, an injected header). Headers get one line.
        subject = one_line(notice.subject)
        subject = subject if not ref or f"[{ref}]" in subject else f"[{ref}] {subject}"
        message_id = message_id_for(delivery)
        headers = {"Message-ID": message_id, "Auto-Submitted": "auto-generated"}
        if ref:
            headers["X-Fankui-Ticket"] = ref
        intake = settings.FANKUI_INTAKE_ADDRESS or settings.DEFAULT_FROM_EMAIL
        message = EmailMessage(
            subject=subject,
            body=f"{notice.body}\n\n查看详情：{ticket_url(delivery)}\n\n（直接回复本邮件即可补充或回复，请保留标题中的编号。）",
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notice.email],
            reply_to=[intake],
            headers=headers,
            connection=get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT or SMTP_TIMEOUT),
        )
        try:
            message.send()
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
