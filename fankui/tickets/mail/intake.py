"""Mail intake: a parsed mail becomes a new ticket, or a reply on its ticket's timeline.

Every write goes through the same functions as the web and API intake (`workflow.intake.file_report`,
`reply_to_ticket`). What this module decides:

- **Dropped, never answered**: auto-replies, bounces, lists and fankui's own notifications
  (`ParsedMail.automated`), and more than `FANKUI_MAIL_RATE_LIMIT` (default 20) mails per sender
  per hour. Answering an auto-responder is how mail loops start, so nothing is sent back.
- **Who sent it**: the active user with the From address (case-insensitive). An unknown sender
  becomes a mail contact (`Profile.mail_contact`): an inactive user without a password, username =
  the address, 员工 for the group's domains and 业主 otherwise. Mail never makes a login; a contact
  follows their tickets by mail. Automated, spam and own-address mail is turned away before this.
  The listener must only be reachable from the intranet MTA (it binds to 127.0.0.1 unless told otherwise).
- **Reply or new**: a reply is matched by In-Reply-To/References against the Message-IDs fankui
  sent (`Delivery.message_id`, and the ref inside `<fankui.{notice}.{ref}@domain>`) or the
  sender's own earlier mail, then by a `[FK251125-ABCDE]` ref in the subject when a client
  drops those headers. Only the reporter or someone who may see the ticket
  (`selectors.visible_tickets`) appends; anyone else, or a reply to a closed ticket, files a new one.
- **Proof of sender** (`trust.py`): a reply is recorded as its sender's own words only with the reply
  token of the mail fankui sent them, or the trusted relay's word; otherwise it is kept as an
  unverified comment for handlers, attributed to no one.
- **Attachments**: each is validated by content first. A refused file does not lose the mail:
  the ticket is filed without it and a public note on its timeline names the file and the reason
  (for a reply, the reason is added to the reply itself).
- **Acknowledgement**: every new mailed report is answered with its reference, what happens next and
  confident KB answers (`fankui.workflow.acknowledge`, through the outbox, rate-limited per sender).
- **Redelivery**: the Message-ID is the idempotency key ("mail:<id>") of a new ticket and is kept
  on a reply's event, so a mail delivered twice is filed once.
- Only the trimmed part (no quoted history or signature) goes on the timeline, for a reply and for a new
  ticket alike; a new ticket keeps the whole mail as a note for handlers, since a forwarded problem
  report *is* the quoted part.
- Mail from fankui's own addresses is dropped (a notice that came back); mail the receiving server
  marked as spam is held for review (`HeldMail`), never queued.
"""
from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import parseaddr
from typing import Literal

from django.conf import settings
from django.core.cache import cache
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import IntegrityError, transaction
from django.db.models import Case, Q, When

from fankui.accounts.models import Profile
from fankui.accounts.selectors import profile_of
from fankui.core.counters import count_one
from fankui.directory.models import Person
from fankui.notify.models import Delivery
from fankui.tickets.attachments import UploadRejected, max_upload_files, validate_upload
from fankui.tickets.mail.parse import MailAttachment, ParsedMail, parse_mail, ref_from_message_id
from fankui.tickets.models import HeldMail, IdempotencyKey, Ticket, TicketEvent
from fankui.tickets.selectors import visible_tickets
from fankui.tickets.mail.trust import speaks_for_sender
from fankui.tickets.secrets import mask_secrets
from fankui.tickets.services import (
    Intake,
    IncomingFile,
    TicketError,
    add_colleague_comment,
    add_unverified_comment,
    keep_original_mail,
    link_mentioned_ticket,
    reply_to_ticket,
)

log = logging.getLogger(__name__)

MAX_THREAD_IDS = 10  # the nearest Message-IDs of a long References chain are enough
_CLOSED = {Ticket.Status.CLOSED, Ticket.Status.DEFLECTED}
_REPLY_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|回复|答复|转发)\s*[:：]\s*)+", re.IGNORECASE)


@dataclass(frozen=True)
class MailResult:
    """What became of one mail; the SMTP handler logs it and tests assert on it."""

    action: Literal["created", "replied", "commented", "unverified", "duplicate", "dropped", "held"]
    ticket: Ticket | None = None
    reason: str = ""
    refused: tuple[str, ...] = field(default=())


class RateGuard:
    """At most N mails per sender in a sliding hour: more is a loop or a flood, and is dropped.

    Counted in Django's cache, which every process shares (Redis with REDIS_URL; the data folder's SQLite cache on
    one machine), so the SMTP listener and the workers fetching by IMAP on any server count together. The
    hour slides as two fixed windows, the previous one weighted by how much of it still overlaps.
    """

    def __init__(self, limit: int | None = None, window_seconds: float = 3600) -> None:
        self._limit = limit
        self.window = window_seconds

    @property
    def limit(self) -> int:
        return self._limit if self._limit is not None else settings.FANKUI_MAIL_RATE_LIMIT

    def allow(self, sender: str, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        index, into = divmod(now, self.window)
        who = hashlib.sha256(sender.lower().encode()).hexdigest()[:32]  # an address never becomes a key
        current, previous = (f"fankui:mail-rate:{who}:{int(i)}" for i in (index, index - 1))
        counts = cache.get_many([current, previous])
        estimate = counts.get(previous, 0) * (1 - into / self.window) + counts.get(current, 0)
        if estimate >= self.limit:
            return False
        count_one(current, timeout=int(2 * self.window) + 60)
        return True


def handle_raw(raw: bytes, *, envelope_from: str | None = None, envelope_to: Sequence[str] = (), guard: RateGuard | None = None) -> MailResult:
    """Parse and accept one mail as received over SMTP."""
    return accept_mail(parse_mail(raw, envelope_from=envelope_from, envelope_to=envelope_to), guard=guard)


def accept_mail(mail: ParsedMail, *, guard: RateGuard | None = None) -> MailResult:
    """File a mail as a new ticket or a reply, or drop it (automated, flooding, no usable sender)."""
    if mail.automated:
        return _dropped(mail, mail.automated)
    if not mail.sender:
        return _dropped(mail, "no sender address")
    if from_the_helpdesk(mail.sender):
        return _dropped(mail, "loop: sent from the helpdesk's own address")
    if mail.spam:
        return _held(mail)
    if guard is not None and not guard.allow(mail.sender):
        log.warning("mail dropped: more than %s mails from %s within an hour (message-id=%s)", guard.limit, mail.sender, mail.message_id)
        return MailResult("dropped", reason="rate limited")
    with transaction.atomic():
        user = sender_user(mail.sender, mail.sender_name)
        if user is None:
            return _dropped(mail, "sender's account is deactivated")
        place = thread_for(mail, user)
        if place.ticket is not None:
            return _reply(mail, place.ticket, user, colleague=place.colleague)
        return _create(mail, user, mentioned=place.mentioned)


def _already_on(mail: ParsedMail, ticket: Ticket) -> bool:
    return bool(mail.message_id) and TicketEvent.objects.filter(ticket=ticket, data__message_id=mail.message_id).exists()


def from_the_helpdesk(address: str) -> bool:
    """One of fankui's own addresses (any +sub-address of them too): as a sender, a notice that came back."""
    def base(value: str) -> str:
        local, _, domain = parseaddr(value)[1].lower().partition("@")
        return f"{local.split('+', 1)[0]}@{domain}"

    ours = {base(a) for a in (settings.FANKUI_INTAKE_ADDRESS, settings.DEFAULT_FROM_EMAIL) if a and "@" in a}
    return base(address) in ours


def _held(mail: ParsedMail) -> MailResult:
    """The server called it spam: kept for an admin to review (admin → 拦截的垃圾邮件), never queued."""
    if not (mail.message_id and HeldMail.objects.filter(message_id=mail.message_id).exists()):
        HeldMail.objects.create(
            sender=mail.sender[:254], subject=mail.subject[:300], reason=mail.spam[:200],
            excerpt=mask_secrets(mail.text[:2000]).text, message_id=mail.message_id[:300],
        )
    log.info("mail held as spam (%s): from=%s message-id=%s", mail.spam, mail.sender, mail.message_id or "-")
    return MailResult("held", reason=mail.spam)


def _dropped(mail: ParsedMail, reason: str) -> MailResult:
    log.info("mail dropped: %s (from=%s message-id=%s)", reason, mail.sender or "-", mail.message_id or "-")
    return MailResult("dropped", reason=reason)


def sender_user(address: str, name: str = "") -> AbstractUser | None:
    """Who a mail is from: the active login with this address, else the mail contact already made for it,
    else a new contact (never a login). None when the address belongs to a deactivated account."""
    User = get_user_model()
    known = User.objects.filter(Q(email__iexact=address) | Q(username__iexact=address)).select_related("profile")
    active = [u for u in known if u.is_active]
    if active:
        return min(active, key=lambda u: (u.email.lower() != address, u.pk))  # the address as e-mail first
    # A directory person whose login carries another address (an LDAP uid, say) files as that login.
    person = Person.objects.filter(email__iexact=address, user__is_active=True).select_related("user").first()
    if person is not None and person.user is not None:
        return person.user
    contact = next((u for u in known if _is_contact(u)), None)
    if contact is not None:
        return contact
    if known or len(address) > 150:
        return None  # a deactivated account keeps its address: do not quietly bring it back
    return _new_contact(address, name)


def _is_contact(user: AbstractUser) -> bool:
    profile = profile_of(user)
    return profile is not None and profile.mail_contact


def _new_contact(address: str, name: str) -> AbstractUser | None:
    """A reporter identity for someone who mailed in: inactive, no password, so it can never sign in;
    staff when the address is the group's (or a directory person's), else an owner (业主)."""
    User = get_user_model()
    try:
        with transaction.atomic():
            user = User(username=address, email=address, first_name=name[:150], is_active=False)
            user.set_unusable_password()
            user.save()
    except IntegrityError:  # a second mail from the same newcomer, handled at the same moment
        return User.objects.filter(username=address, profile__mail_contact=True).first()
    ours = address.rpartition("@")[2] in settings.FANKUI_MAIL_STAFF_DOMAINS or Person.objects.filter(email__iexact=address).exists()
    Profile.objects.create(user=user, role=Profile.Role.REPORTER, kind=Profile.Kind.STAFF if ours else Profile.Kind.OWNER, mail_contact=True)
    log.info("mail intake added a mail contact (no login) for %s", address)
    return user


def _candidates(mail: ParsedMail, user: AbstractUser) -> list[Ticket]:
    """Tickets the mail may answer, most specific first (thread headers, then subject refs)."""
    found: list[Ticket] = []
    refs: list[str] = []
    for mid in mail.thread_ids[:MAX_THREAD_IDS]:
        delivery = Delivery.objects.select_related("notice__ticket").filter(message_id=mid, notice__ticket__isnull=False).first()
        if delivery is not None and delivery.notice.ticket is not None:
            found.append(delivery.notice.ticket)
        ref = ref_from_message_id(mid)
        if ref:
            refs.append(ref)
        # An earlier mail filed as a ticket: the sender's own follow-up ("补充截图"), or a reply-all from
        # someone it was addressed or copied to. Who may add to that ticket is decided afterwards.
        earlier = IdempotencyKey.objects.select_related("ticket").filter(key=_key_for(mid)).order_by(
            Case(When(user=user, then=0), default=1), "pk"
        ).first()
        if earlier is not None:
            found.append(earlier.ticket)
    refs.extend(mail.subject_refs)
    by_ref = {t.ref: t for t in Ticket.objects.filter(ref__in=refs)}
    found.extend(by_ref[ref] for ref in refs if ref in by_ref)
    return list(dict.fromkeys(found))


def _key_for(message_id: str) -> str:
    return ParsedMail(message_id=message_id, sender="", sender_name="", subject="", text="").idempotency_key


def may_append(user: AbstractUser, ticket: Ticket) -> bool:
    """The reporter, or anyone the permission chokepoint lets see the ticket."""
    return ticket.reporter_id == user.pk or visible_tickets(user).filter(pk=ticket.pk).exists()


def is_colleague(mail: ParsedMail, user: AbstractUser) -> bool:
    """Someone of the group: an address in the group's mail domains, a directory person or a staff login."""
    domain = mail.sender.rpartition("@")[2]
    if domain and domain in settings.FANKUI_MAIL_STAFF_DOMAINS:
        return True
    profile = profile_of(user)
    if profile is not None and profile.role != Profile.Role.REPORTER:
        return True
    return Person.objects.filter(email__iexact=mail.sender).exists()


@dataclass(frozen=True)
class Thread:
    """Where a mail goes: onto `ticket` (as a colleague's comment when `colleague`), or a new ticket that
    names `mentioned` (a ticket its sender may not add to)."""

    ticket: Ticket | None = None
    colleague: bool = False
    mentioned: Ticket | None = None


def thread_for(mail: ParsedMail, user: AbstractUser) -> Thread:
    """The open ticket this mail answers and in what capacity, or the ticket a new one should name.

    The reporter and the ticket's handlers add to it; a colleague of the group who wrote to the helpdesk
    adds a comment; anyone else files a new ticket, linked for handlers to the one it named.
    """
    mentioned = None
    addressed_us = any(from_the_helpdesk(address) for address in mail.recipients)
    for ticket in _candidates(mail, user):
        if ticket.status in _CLOSED:
            continue
        if may_append(user, ticket):
            return Thread(ticket)
        if addressed_us and is_colleague(mail, user):
            return Thread(ticket, colleague=True)
        log.info("mail from %s names %s but may not add to it: filing a new ticket", mail.sender, ticket.ref)
        mentioned = mentioned or ticket
    return Thread(mentioned=mentioned)


def _screen(attachments: Sequence[MailAttachment]) -> tuple[list[IncomingFile], list[str]]:
    """Split the mail's files into acceptable ones and refusal messages that name the file."""
    accepted: list[IncomingFile] = []
    refused: list[str] = []
    for item in attachments:
        if len(accepted) >= max_upload_files():
            refused.append(f"“{item.filename}”未保存：一份报告最多附 {max_upload_files()} 个文件。")
            continue
        try:
            validate_upload(item.filename, item.data)
        except UploadRejected as exc:
            refused.append(exc.message)
            continue
        accepted.append(IncomingFile(filename=item.filename, data=item.data))
    return accepted, refused


def _refusal_note(refused: Sequence[str]) -> str:
    return "邮件中的以下附件未能保存，如有需要请重新发送：\n" + "\n".join(f"- {line}" for line in refused)


def _title(subject: str) -> str:
    """The subject without its "Re:/回复:/转发:" prefixes."""
    return _REPLY_PREFIX.sub("", subject).strip()


def _create(mail: ParsedMail, user: AbstractUser, *, mentioned: Ticket | None = None) -> MailResult:
    profile = profile_of(user)
    accepted, refused = _screen(mail.attachments)
    names = "、".join(a.filename for a in mail.attachments)
    # The sender's own words, without their signature and the quoted history; a bare forward keeps it all.
    description = mail.reply_text.strip() or mail.text.strip() or mail.subject.strip() or (f"（邮件无正文，附件：{names}）" if names else "（邮件无正文）")
    intake = Intake(
        description=description,
        channel=Ticket.Channel.EMAIL,
        title=_title(mail.subject),
        urgency=Ticket.Urgency.URGENT if mail.urgent else Ticket.Urgency.NORMAL,
        region=profile.region if profile else None,
        project=profile.project if profile else "",
        reporter_kind=profile.kind if profile else Ticket.Kind.STAFF,
        files=accepted,
        idempotency_key=mail.idempotency_key,
    )
    try:
        from fankui.workflow.acknowledge import acknowledge_mailed_report
        from fankui.workflow.intake import file_report  # the pipeline above tickets, like the web and API

        result = file_report(reporter=user, intake=intake)
    except TicketError as exc:
        if exc.code != "idempotency_conflict":
            raise
        # Another mail reused this Message-ID: keep the first, do not guess.
        return _dropped(mail, f"message-id already used by a different mail ({exc.code})")
    if not result.created:
        log.info("mail redelivered, already filed as %s (message-id=%s)", result.ticket.ref, mail.message_id)
        return MailResult("duplicate", ticket=result.ticket)
    if mail.text.strip() and mail.text.strip() != description:
        keep_original_mail(ticket=result.ticket, text=mail.text)
    if mentioned is not None:
        link_mentioned_ticket(ticket=result.ticket, mentioned=mentioned)
    if refused:
        reply_to_ticket(ticket=result.ticket, by=user, body=_refusal_note(refused))
    acknowledge_mailed_report(ticket=result.ticket, reporter=user, address=mail.sender, message_id=mail.message_id)
    log.info("mail from %s filed as %s", mail.sender, result.ticket.ref)
    return MailResult("created", ticket=result.ticket, refused=tuple(refused))


def _reply(mail: ParsedMail, ticket: Ticket, user: AbstractUser, *, colleague: bool = False) -> MailResult:
    """Add the mail's own words to `ticket`: as its sender's reply, as a colleague's comment, or, when
    nothing proves who wrote it, as an unverified note for handlers."""
    if _already_on(mail, ticket):
        log.info("mail redelivered, already on %s (message-id=%s)", ticket.ref, mail.message_id)
        return MailResult("duplicate", ticket=ticket)
    accepted, refused = _screen(mail.attachments)
    body = mail.reply_text or ("（见附件）" if accepted else "（邮件回复无正文）")
    if refused:
        body = f"{body}\n\n{_refusal_note(refused)}"
    source = {"channel": Ticket.Channel.EMAIL.value, "message_id": mail.message_id} if mail.message_id else {"channel": Ticket.Channel.EMAIL.value}
    if not speaks_for_sender(mail, ticket.ref):
        add_unverified_comment(ticket=ticket, claimed_sender=mail.sender, body=body, files=accepted, source=source)
        log.info("mail claiming to be from %s names %s but proves nothing: kept as an unverified comment", mail.sender, ticket.ref)
        return MailResult("unverified", ticket=ticket, refused=tuple(refused))
    if colleague:
        add_colleague_comment(ticket=ticket, by=user, body=body, files=accepted, source=source)
        log.info("mail from colleague %s added to %s as a comment", mail.sender, ticket.ref)
        return MailResult("commented", ticket=ticket, refused=tuple(refused))
    reply_to_ticket(ticket=ticket, by=user, body=body, files=accepted, source=source)
    log.info("mail from %s added to %s", mail.sender, ticket.ref)
    return MailResult("replied", ticket=ticket, refused=tuple(refused))
