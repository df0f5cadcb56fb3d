"""The acknowledgement a mailed report's sender gets: its reference, what happens next, and the
knowledge-base answers the matcher is confident about.

It goes through the notify outbox in the ticket's own transaction (a worker that is down delays it,
loses nothing) as an RFC 3834 auto-reply to the sender's mail (In-Reply-To, `Auto-Submitted:
auto-replied`), with the Message-ID and the per-recipient Reply-To token every notice carries: the
sender's answer to it threads onto the ticket as their own (`fankui.tickets.mail.trust`).

Mail intake turns away auto-replies, bounces, lists, spam and fankui's own mail before anything is
filed, so none of those is ever answered. On top of that, at most FANKUI_MAIL_ACKS_PER_HOUR
acknowledgements go to one address per hour, counted in Django's cache (Redis when several servers
share the work): a sender or a misbehaving client that mails in a loop gets a handful, not a flood.
"""
from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from fankui.core.counters import count_one
from fankui.kb.suggest import suggest
from fankui.notify.models import Notice
from fankui.notify.services import notify_user
from fankui.routing.services import KB_STRONG
from fankui.tickets.models import Ticket

log = logging.getLogger(__name__)

MAX_ANSWERS = 3
MAX_ANSWER_CHARS = 600  # an article's text in a mail: enough to act on, the rest is on the site
WINDOW_SECONDS = 3600


def acknowledge_mailed_report(*, ticket: Ticket, reporter: AbstractBaseUser, address: str, message_id: str) -> Notice | None:
    """Queue the acknowledgement of a report mailed from `address`; None when its sender had enough this hour."""
    if not _within_allowance(address):
        log.info("acknowledgement of %s not sent: %s had %s this hour", ticket.ref, address, settings.FANKUI_MAIL_ACKS_PER_HOUR)
        return None
    return notify_user(
        reporter,
        kind=Notice.Kind.RECEIVED,
        ticket=ticket,
        email=address,
        dedup_key=f"{ticket.ref}:received",
        subject=f"已收到您的问题：{ticket.title}",  # the title is stored masked; the channel adds [ref]
        body=acknowledgement_text(ticket),
        in_reply_to=message_id,
    )


def acknowledgement_text(ticket: Ticket) -> str:
    """What the sender reads: the reference, who looks at it and by when, and confident KB answers."""
    due = timezone.localtime(ticket.first_response_due) if ticket.first_response_due else None
    who = f"{ticket.region}大区的系统实施顾问" if ticket.region else "一线客服"
    lines = [
        f"您好，您的问题已登记，编号 {ticket.ref}。",
        "",
        f"接下来：{who}会查看并回复您" + (f"，最迟在工作时间 {due:%m月%d日 %H:%M} 前首次答复。" if due else "。"),
        "需要补充信息或截图时，直接回复本邮件即可，请保留标题中的编号。",
    ]
    answers = suggest(f"{ticket.title}\n{ticket.description}", limit=MAX_ANSWERS, min_score=KB_STRONG)
    if answers:
        lines += ["", "以下知识库文章可能已经能解决您的问题；若已解决，回复“已解决”即可：", ""]
        for answer in answers:
            text = answer.as_text()
            lines += [text if len(text) <= MAX_ANSWER_CHARS else f"{text[:MAX_ANSWER_CHARS]}……", ""]
    return "\n".join(lines).rstrip()


def _within_allowance(address: str) -> bool:
    """Count one acknowledgement for `address` in the shared cache; False once the hour's allowance is used."""
    key = "mail-ack:" + hashlib.sha256(address.strip().lower().encode()).hexdigest()
    return count_one(key, timeout=WINDOW_SECONDS) <= settings.FANKUI_MAIL_ACKS_PER_HOUR
