"""Every write to a ticket. Web, API, email and app intake all come through here.

Each service does its write, a TicketEvent on the timeline and its notifications (outbox rows)
in one transaction, so a crash leaves either all of it or none.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import logging
import secrets as random_secrets
from functools import partial
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from fankui.core import business_hours
from fankui.core.crypto import decrypt, encrypt
from fankui.core.i18n import in_site_language
from fankui.core.text import one_line
from fankui.directory.models import Person, Region, System
from fankui.directory.selectors import acting_person
from fankui.notify.models import Notice
from fankui.notify.services import notify_person, notify_user
from fankui.tickets.attachments import save_attachment, validate_uploads
from fankui.tickets.models import CannedReply, CannedUse, IdempotencyKey, SavedView, Secret, Ticket, TicketEvent, TicketFollower, TicketSeen
from fankui.tickets.secrets import mask_secrets

log = logging.getLogger(__name__)

_REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class TicketError(Exception):
    """A request the workflow refuses; `code` is stable English, the message is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


# What the author of a text is told when a credential typed into it went to the vault, on every channel.
VAULTED_NOTICE = "您输入的账号/密码已移入加密保险箱，文字中已屏蔽，只有处理人可以查看。"


@dataclass(frozen=True)
class SecretInput:
    label: str
    value: str


@dataclass(frozen=True)
class IncomingFile:
    """An uploaded file as received, before validation by content."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class Intake:
    """What a reporter sends, whichever the channel."""

    description: str
    channel: str
    title: str = ""
    urgency: str = Ticket.Urgency.NORMAL
    system: System | None = None
    region: Region | None = None
    project: str = ""
    reporter_kind: str = Ticket.Kind.STAFF
    secrets: Sequence[SecretInput] = ()
    files: Sequence[IncomingFile] = ()
    idempotency_key: str = ""
    # Knowledge-base answers the reporter saw and said did not solve it.
    suggested_articles: Sequence[str] = ()
    # The system a report is about when its text names none (an app's own feedback entry).
    default_system: System | None = None
    # Where it was filed from (app version, device, page …), as the calling app reports it.
    context: Mapping[str, str] = field(default_factory=dict)
    # Single-use claims made inside the ticket's own transaction (an integration's nonce): one that raises
    # writes nothing, and on SQLite the report takes the write lock once, not twice.
    claims: Sequence[Callable[[], None]] = ()


@dataclass
class IntakeResult:
    ticket: Ticket
    created: bool
    masked_secrets: int = 0
    notices: list[str] = field(default_factory=list)


def _system_named(name: str | None) -> System | None:
    """The router's system by name; unordered, so the lookup needs no join on the department."""
    return System.objects.filter(name=name).order_by().first() if name else None


def _insert_with_new_ref(now: datetime.datetime, **fields: object) -> Ticket:
    """Insert a ticket under a fresh random reference, drawing again on the rare collision.

    Refs are short enough to read out on the phone (FK251125-ABCDE: 32^5 per day), so a busy day
    can draw one twice; a savepoint lets the draw repeat instead of failing the report.
    """
    for _ in range(5):
        ref = _new_ref(now)
        try:
            with transaction.atomic():
                return Ticket.objects.create(ref=ref, **fields)
        except IntegrityError:
            if not Ticket.objects.filter(ref=ref).exists():
                raise
    raise TicketError("ref_exhausted", "暂时无法生成工单编号，请稍后重试。")


def _new_ref(now: datetime.datetime) -> str:
    suffix = "".join(random_secrets.choice(_REF_ALPHABET) for _ in range(5))
    return f"FK{timezone.localtime(now):%y%m%d}-{suffix}"


def _intake_hash(intake: Intake) -> str:
    payload = {
        "description": intake.description,
        "title": intake.title,
        "urgency": intake.urgency,
        "system": intake.system.pk if intake.system else None,
        "secrets": [(s.label, hashlib.sha256(s.value.encode()).hexdigest()) for s in intake.secrets],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def sla_targets(urgency: str) -> tuple[datetime.timedelta, datetime.timedelta]:
    """(first response, resolution) in business time, from settings.FANKUI_SLA_HOURS."""
    hours = settings.FANKUI_SLA_HOURS[urgency]
    return datetime.timedelta(hours=hours["response"]), datetime.timedelta(hours=hours["resolution"])


def first_line_consultant() -> Person | None:
    """The consultant who takes reports with no region (owners, head office), from settings."""
    name = settings.FANKUI_FIRST_LINE_CONSULTANT
    return Person.objects.filter(name=name).first() if name else None


def first_line_watchers() -> list[Person]:
    """Who hears of a report nobody is assigned: the regions' consultants, who all see the first-line queue."""
    return list(Person.objects.filter(regions__isnull=False).distinct().order_by("pk"))


def _event(ticket: Ticket, kind: str, *, actor: AbstractBaseUser | None, body: str = "", public: bool = True, **data: object) -> TicketEvent:
    """Every text a person types onto a ticket's timeline enters here (or through `_events`), masked: a
    reply, note, question or reason carrying a credential keeps a mask, the credential goes to the ticket's
    vault, and the event says how many (`data["vaulted"]`) so every channel can tell its author. Notices are
    built from `event.body`, never from the text as typed."""
    event = _masked(TicketEvent(ticket=ticket, kind=kind, actor=actor, body=body, public=public, data=data))
    event.save()
    return event


def _events(*events: TicketEvent) -> list[TicketEvent]:
    """Several new events of one ticket in one insert, masked as `_event` masks. No post_save runs: not for
    replies, whose save the search index listens to."""
    return TicketEvent.objects.bulk_create([_masked(event) for event in events])


def _masked(event: TicketEvent) -> TicketEvent:
    body = vault_typed_secrets(event.ticket, event.body)
    event.body, event.data = body.text, {**event.data, **body.data}
    return event


@dataclass(frozen=True)
class VaultedText:
    text: str
    vaulted: int

    @property
    def data(self) -> dict[str, int]:
        return {"vaulted": self.vaulted} if self.vaulted else {}


def vault_typed_secrets(ticket: Ticket, text: str) -> VaultedText:
    """`text` with any credential typed into it moved to the ticket's vault."""
    masked = mask_secrets(text)
    _store_secrets(ticket, [SecretInput(s.label, s.value) for s in masked.secrets])
    return VaultedText(masked.text, len(masked.secrets))


def _store_secrets(ticket: Ticket, items: Sequence[SecretInput]) -> None:
    Secret.objects.bulk_create(
        [Secret(ticket=ticket, label=item.label[:50], ciphertext=encrypt(item.value)) for item in items if item.value]
    )


def create_ticket(*, reporter: AbstractBaseUser, intake: Intake) -> IntakeResult:
    """Write a report: mask pasted passwords, route it, start the SLA clock, tell the consultant.

    With an idempotency key, a retry returns the first ticket instead of filing a second one. This is
    the ticket step of `fankui.workflow.intake.file_report`, which every channel calls.
    """
    from fankui.routing.services import route_report

    if intake.idempotency_key:
        existing = _replayed(reporter, intake)
        if existing is not None:
            return IntakeResult(existing, created=False)
    if not intake.description.strip():
        raise TicketError("empty_description", "请描述遇到的问题。")
    # Every file is checked before anything is written: a bad one refuses the whole report.
    uploads = validate_uploads(intake.files)  # the count, then each file's content and size
    masked = mask_secrets(intake.description)
    masked_title = mask_secrets(intake.title)
    route = route_report(
        masked.text, region=intake.region.name if intake.region else None, reporter=intake.reporter_kind, channel=intake.channel
    )
    system = intake.system or _system_named(route.system) or intake.default_system
    consultant = (intake.region.consultant if intake.region else None) or first_line_consultant()
    now = timezone.now()
    response_in, resolve_in = sla_targets(intake.urgency)
    title = one_line(masked_title.text) or one_line(masked.text.strip().splitlines()[0])[:60]
    # Reads and CPU go before the transaction: on SQLite it holds the one write lock, so only the
    # writes belong inside it (benchmarks/bench_intake.py: ~70% of a request was inside the lock).
    assignee = acting_person(consultant, timezone.localdate(now)) if consultant else None
    first_response_due = business_hours.add_business_time(now, response_in)
    resolution_due = business_hours.add_business_time(now, resolve_in)
    try:
        with transaction.atomic():
            for claim in intake.claims:
                claim()
            ticket = _insert_with_new_ref(
                now,
                reporter=reporter,
                reporter_kind=intake.reporter_kind,
                region=intake.region,
                project=intake.project,
                channel=intake.channel,
                title=title[:200],
                description=masked.text,
                urgency=intake.urgency,
                system=system,
                topic=route.topic or "",
                routing=route.as_stored(),
                context={name: mask_secrets(value).text for name, value in intake.context.items()},
                consultant=consultant,
                assignee=assignee,
                first_response_due=first_response_due,
                resolution_due=resolution_due,
            )
            if intake.idempotency_key:
                IdempotencyKey.objects.create(user=reporter, key=intake.idempotency_key, request_hash=_intake_hash(intake), ticket=ticket)
            typed = (*masked_title.secrets, *masked.secrets)
            _store_secrets(ticket, [*intake.secrets, *(SecretInput(s.label, s.value) for s in typed)])
            created, _routed = _events(
                TicketEvent(ticket=ticket, kind=TicketEvent.Kind.CREATED, actor=reporter, body=masked.text,
                            data={"channel": intake.channel, "not_solved_by": list(intake.suggested_articles)}),
                TicketEvent(ticket=ticket, kind=TicketEvent.Kind.ROUTED, actor=None, public=False, body=route.explanation,
                            data={"system": route.system, "contact": route.contact, "confidence": route.confidence}),
            )
            for upload in uploads:
                save_attachment(ticket, upload, by=reporter, event=created)
            if settings.FANKUI_OCR and any(upload.content_type.startswith("image/") for upload in uploads):
                transaction.on_commit(partial(_read_screenshots, ticket.pk), robust=True)
            body = f"{in_site_language(Ticket.Urgency(ticket.urgency).label)} · {ticket.region or '一线队列'} · {ticket.project}\n\n{ticket.description}"
            # Nobody to assign (no region, no FANKUI_FIRST_LINE_CONSULTANT): every consultant sees the
            # first-line queue, so every one of them hears of it rather than no one.
            for person in [ticket.assignee] if ticket.assignee is not None else first_line_watchers():
                notify_person(
                    person,
                    kind=Notice.Kind.NEW_IN_QUEUE,
                    ticket=ticket,
                    dedup_key=f"{ticket.ref}:new" if ticket.assignee is not None else f"{ticket.ref}:new:{person.pk}",
                    subject=f"[{ticket.ref}] 新问题：{ticket.title}",
                    body=body,
                    fresh_key=True,
                )
    except IntegrityError:
        # Two retries with one key raced; the loser returns the winner's ticket.
        if intake.idempotency_key:
            existing = _replayed(reporter, intake)
            if existing is not None:
                return IntakeResult(existing, created=False)
        raise
    notices = [VAULTED_NOTICE] if typed else []
    return IntakeResult(ticket, created=True, masked_secrets=len(typed), notices=notices)


def _read_screenshots(ticket_id: int) -> None:
    from fankui.tickets.tasks import read_screenshots

    read_screenshots(ticket_id)


@transaction.atomic
def reroute_with_screenshots(ticket_id: int) -> Ticket:
    """Route again with the text read from the screenshots, when the typed text alone named no system.

    Reporters often paste the error dialog instead of typing the error; a handler who already
    chose a system keeps it.
    """
    from fankui.routing.services import route_report

    ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
    screenshot_text = "\n".join(ticket.attachments.exclude(ocr_text="").values_list("ocr_text", flat=True))
    if ticket.system_id is not None or ticket.tier != Ticket.Tier.CONSULTANT or not ticket.is_active or not screenshot_text:
        return ticket
    route = route_report(
        f"{ticket.description}\n{screenshot_text}",
        region=ticket.region.name if ticket.region else None,
        reporter=ticket.reporter_kind,
        channel=ticket.channel,
    )
    system = _system_named(route.system)
    if system is None:
        return ticket
    ticket.system, ticket.topic, ticket.routing = system, route.topic or "", route.as_stored()
    ticket.save(update_fields=["system", "topic", "routing", "updated_at"])
    _event(
        ticket,
        TicketEvent.Kind.ROUTED,
        actor=None,
        public=False,
        body=f"根据截图中的文字：{route.explanation}",
        system=route.system,
        contact=route.contact,
        confidence=route.confidence,
        source="ocr",
    )
    return ticket


def _replayed(reporter: AbstractBaseUser, intake: Intake) -> Ticket | None:
    key = IdempotencyKey.objects.select_related("ticket").filter(user=reporter, key=intake.idempotency_key).first()
    if key is None:
        return None
    if key.request_hash != _intake_hash(intake):
        raise TicketError("idempotency_conflict", "该 Idempotency-Key 已用于另一份不同的报告。")
    return key.ticket


def _require_active(ticket: Ticket) -> None:
    if not ticket.is_active:
        raise TicketError("ticket_not_active", f"工单当前状态为“{in_site_language(Ticket.Status(ticket.status).label)}”，不能执行此操作。")


def _mark_responded(ticket: Ticket, by: AbstractBaseUser) -> list[str]:
    """The first public word from a handler stops the first-response clock."""
    if ticket.first_responded_at is None and by.pk != ticket.reporter_id:
        ticket.first_responded_at = timezone.now()
        return ["first_responded_at"]
    return []


def _resume_clock(ticket: Ticket, now: datetime.datetime) -> list[str]:
    """Coming out of 'waiting', push the deadlines back by the business time spent paused."""
    if ticket.paused_at is None:
        return []
    paused = business_hours.business_time_between(ticket.paused_at, now)
    for name in ("first_response_due", "resolution_due"):
        due = getattr(ticket, name)
        if due is not None:
            setattr(ticket, name, business_hours.add_business_time(due, paused))
    ticket.paused_at = None
    return ["paused_at", "first_response_due", "resolution_due"]


def _notify_reporter(ticket: Ticket, *, kind: str, dedup: str, subject: str, body: str) -> None:
    notify_user(ticket.reporter, kind=kind, ticket=ticket, dedup_key=f"{ticket.ref}:{dedup}", subject=f"[{ticket.ref}] {subject}", body=body)


def _notify_followers(ticket: Ticket, event: TicketEvent) -> None:
    """A handler's public reply reaches the colleagues who joined the ticket by mail, too."""
    for follower in TicketFollower.objects.filter(ticket=ticket).exclude(user=event.actor_id).select_related("user"):
        notify_user(
            follower.user, kind=Notice.Kind.REPLY, ticket=ticket, dedup_key=f"{ticket.ref}:reply:{event.pk}:follower:{follower.user_id}",
            subject=f"[{ticket.ref}] 您关注的问题有新回复：{ticket.title}", body=event.body,
        )


def _notify_assignee(ticket: Ticket, *, kind: str, dedup: str, subject: str, body: str) -> None:
    """Tell whoever works the ticket now (nobody, while it waits in the first-line queue)."""
    if ticket.assignee is not None:
        notify_person(
            ticket.assignee, kind=kind, ticket=ticket, dedup_key=f"{ticket.ref}:{dedup}", subject=f"[{ticket.ref}] {subject}：{ticket.title}", body=body
        )


@transaction.atomic
def reply_to_ticket(
    *,
    ticket: Ticket,
    by: AbstractBaseUser,
    body: str,
    public: bool = True,
    files: Sequence[IncomingFile] = (),
    source: Mapping[str, str] | None = None,
) -> TicketEvent:
    """A public reply (the reporter hears it) or an internal note (staff only).

    `files` are validated by content like a report's (a bad one refuses the reply). `source` is
    kept on the event's data; mail intake stores the mail's Message-ID there to spot redelivery.
    """
    body = body.strip()
    if not body:
        raise TicketError("empty_reply", "回复内容不能为空。")
    uploads = validate_uploads(files)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    fields = ["updated_at"]
    is_reporter = by.pk == ticket.reporter_id
    if is_reporter and ticket.status == Ticket.Status.WAITING:
        ticket.status = Ticket.Status.OPEN
        fields += ["status", *_resume_clock(ticket, timezone.now())]
    if public and not is_reporter:
        fields += _mark_responded(ticket, by)
    ticket.save(update_fields=fields)
    event = _event(ticket, TicketEvent.Kind.REPLY if public else TicketEvent.Kind.NOTE, actor=by, body=body, public=public, **(source or {}))
    for upload in uploads:
        save_attachment(ticket, upload, by=by, event=event)
    if public and not is_reporter:
        _notify_reporter(ticket, kind=Notice.Kind.REPLY, dedup=f"reply:{event.pk}", subject="您的问题有新回复", body=event.body)
        _notify_followers(ticket, event)
    elif is_reporter:
        _notify_assignee(ticket, kind=Notice.Kind.REPLY, dedup=f"reply:{event.pk}", subject="报告人补充", body=event.body)
    return event


def keep_original_mail(*, ticket: Ticket, text: str) -> TicketEvent:
    """A mailed report's whole text (quoted history, signature), for handlers: the description has only
    the sender's own words, and nothing of the mail is lost."""
    return _event(ticket, TicketEvent.Kind.NOTE, actor=None, public=False, body=f"原始邮件全文（含引用和签名，仅处理人可见）：\n\n{text.strip()}")


@transaction.atomic
def add_colleague_comment(
    *, ticket: Ticket, by: AbstractBaseUser, body: str, files: Sequence[IncomingFile] = (), source: Mapping[str, str] | None = None
) -> TicketEvent:
    """A colleague of the group who is not on the ticket answers it by mail (a forward's Cc, a manager).

    It goes on the public timeline under their name, marked as a third party's: it does not count as
    the handler's first response and does not reopen or pause anything; whoever works the ticket is told,
    and the colleague follows the ticket (hears of its public replies).
    """
    body = body.strip()
    if not body:
        raise TicketError("empty_reply", "回复内容不能为空。")
    uploads = validate_uploads(files)
    _follower, started = TicketFollower.objects.get_or_create(ticket=ticket, user=by)  # hears of replies from now on
    follows = {"follows": True} if started else {}
    event = _event(ticket, TicketEvent.Kind.REPLY, actor=by, body=body, public=True, third_party=True, **follows, **(source or {}))
    for upload in uploads:
        save_attachment(ticket, upload, by=by, event=event)
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=timezone.now())
    _notify_assignee(ticket, kind=Notice.Kind.REPLY, dedup=f"colleague:{event.pk}", subject="同事补充", body=event.body)
    return event


def link_mentioned_ticket(*, ticket: Ticket, mentioned: Ticket) -> TicketEvent:
    """A mail filed as a new ticket named another one its sender may not add to: handlers see the link,
    the sender learns nothing of the other ticket."""
    return _event(
        ticket, TicketEvent.Kind.NOTE, actor=None, public=False, body=f"来信提到工单 {mentioned.ref}，发件人不在该工单上，因此另建本单。", linked_ref=mentioned.ref
    )


@transaction.atomic
def add_unverified_comment(
    *, ticket: Ticket, claimed_sender: str, body: str, files: Sequence[IncomingFile] = (), source: Mapping[str, str] | None = None
) -> TicketEvent:
    """A mail that names this ticket but cannot prove who wrote it (fankui.tickets.mail.trust).

    Nothing is lost and nobody is impersonated: it is kept as a note for handlers, marked as unverified
    and attributed to no one, with its files; the assignee is told.
    """
    uploads = validate_uploads(files)
    event = _event(
        ticket,
        TicketEvent.Kind.NOTE,
        actor=None,
        public=False,
        body=f"【未经验证的邮件】发件人自称 {claimed_sender}，未能证明是本人，仅处理人可见：\n\n{body.strip()}",
        unverified_sender=claimed_sender,
        **(source or {}),
    )
    for upload in uploads:
        save_attachment(ticket, upload, by=None, event=event)
    _notify_assignee(ticket, kind=Notice.Kind.REPLY, dedup=f"unverified:{event.pk}", subject="收到未经验证的邮件", body=event.body)
    return event


@transaction.atomic
def request_information(*, ticket: Ticket, by: AbstractBaseUser, question: str) -> Ticket:
    """Ask the reporter for more; the SLA clock pauses until they answer."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _require_active(ticket)  # on the locked row: the caller's copy may be stale
    if not question.strip():
        raise TicketError("empty_reply", "请写明需要报告人补充什么信息。")
    ticket.status = Ticket.Status.WAITING
    ticket.paused_at = timezone.now()
    fields = ["status", "paused_at", "updated_at", *_mark_responded(ticket, by)]
    ticket.save(update_fields=fields)
    event = _event(ticket, TicketEvent.Kind.STATUS, actor=by, body=question.strip(), status=ticket.status)
    _notify_reporter(ticket, kind=Notice.Kind.WAITING, dedup=f"waiting:{event.pk}", subject="请补充信息", body=event.body)
    return ticket


@transaction.atomic
def escalate_ticket(*, ticket: Ticket, by: AbstractBaseUser | None, system: System | None, owner: Person | None, contact_label: str = "", reason: str = "") -> Ticket:
    """Tier 1 → tier 2: hand the ticket to the system's owner for the topic (or their deputy)."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _require_active(ticket)  # on the locked row: the caller's copy may be stale
    if owner is None and not contact_label:
        raise TicketError("no_owner", "请选择要升级给的对接人。")
    acting = acting_person(owner, timezone.localdate()) if owner else None
    previous = {"system": ticket.system.name if ticket.system else None, "escalated_to": ticket.escalated_to}
    ticket.tier = Ticket.Tier.OWNER
    ticket.system = system or ticket.system
    ticket.assignee = acting
    ticket.escalated_to = owner.name if owner else contact_label
    ticket.save(update_fields=["tier", "system", "assignee", "escalated_to", "updated_at"])
    if ticket.system is not None:
        from fankui.routing.services import record_decision

        record_decision(ticket_id=ticket.pk, text=ticket.description, system=ticket.system.name)
    event = _event(
        ticket,
        TicketEvent.Kind.ESCALATED,
        actor=by,
        public=True,
        body=reason.strip(),
        system=ticket.system.name if ticket.system else None,
        owner=ticket.escalated_to,
        acting=acting.name if acting else None,
        proposed=ticket.routing.get("contact"),
        previous=previous,
    )
    if acting is not None:
        notify_person(
            acting,
            kind=Notice.Kind.ESCALATED,
            ticket=ticket,
            dedup_key=f"{ticket.ref}:escalated:{event.pk}",
            subject=f"[{ticket.ref}] 升级给您：{ticket.title}",
            body=f"{event.body}\n\n{ticket.description}",
        )
    elif contact_label and "@" in contact_label:
        notify_user(
            None,
            email=contact_label,
            kind=Notice.Kind.ESCALATED,
            ticket=ticket,
            dedup_key=f"{ticket.ref}:escalated:{event.pk}",
            subject=f"[{ticket.ref}] {ticket.title}",
            body=f"{event.body}\n\n{ticket.description}",
        )
    return ticket


@transaction.atomic
def resolve_ticket(*, ticket: Ticket, by: AbstractBaseUser, reply: str, individual: bool = False, tell_reporter: bool = True) -> Ticket:
    """Resolve with a public answer; `individual` marks the guide's 个性 (network, operation) problems.

    `tell_reporter=False` when the reporter already hears this answer another way (an incident resolving
    several of their tickets at once): the answer is still on the timeline."""
    if not reply.strip():
        raise TicketError("empty_reply", "解决时请写明处理结果，报告人会收到这条回复。")
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _require_active(ticket)  # on the locked row: the caller's copy may be stale
    now = timezone.now()
    fields = ["status", "resolved_at", "updated_at", *_mark_responded(ticket, by), *_resume_clock(ticket, now)]
    ticket.status = Ticket.Status.RESOLVED
    ticket.resolved_at = now
    ticket.save(update_fields=fields)
    answer = _event(ticket, TicketEvent.Kind.REPLY, actor=by, body=reply.strip())
    event = _event(ticket, TicketEvent.Kind.STATUS, actor=by, status=ticket.status, individual=individual)
    if not tell_reporter:
        return ticket
    _notify_reporter(
        ticket,
        kind=Notice.Kind.RESOLVED,
        dedup=f"resolved:{event.pk}",
        subject="您的问题已解决",
        body=f"{answer.body}\n\n如未解决，可在 {settings.FANKUI_REOPEN_WINDOW_DAYS} 天内重新打开。",
    )
    return ticket


@transaction.atomic
def reopen_ticket(*, ticket: Ticket, by: AbstractBaseUser, reason: str) -> Ticket:
    """The reporter says it is not solved, within the confirmation window."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status != Ticket.Status.RESOLVED:
        raise TicketError("ticket_not_resolved", "只有已解决的工单可以重新打开。")
    window = datetime.timedelta(days=settings.FANKUI_REOPEN_WINDOW_DAYS)
    if ticket.resolved_at and timezone.now() > ticket.resolved_at + window:
        raise TicketError("reopen_window_passed", "已超过可重新打开的期限，请提交新的问题。")
    ticket.status = Ticket.Status.OPEN
    ticket.resolved_at = None
    ticket.save(update_fields=["status", "resolved_at", "updated_at"])
    event = _event(ticket, TicketEvent.Kind.STATUS, actor=by, body=reason.strip(), status=ticket.status, reopened=True)
    _notify_assignee(ticket, kind=Notice.Kind.REOPENED, dedup=f"reopened:{event.pk}", subject="报告人重新打开", body=event.body)
    return ticket


def _close(ticket: Ticket, *, by: AbstractBaseUser | None, body: str) -> Ticket:
    ticket.status = Ticket.Status.CLOSED
    ticket.closed_at = timezone.now()
    ticket.save(update_fields=["status", "closed_at", "updated_at"])
    # The guide's credentials are only for reproducing the problem: gone once it is closed.
    ticket.secrets.filter(destroyed_at__isnull=True).update(ciphertext="", destroyed_at=ticket.closed_at)
    _event(ticket, TicketEvent.Kind.STATUS, actor=by, body=body, status=ticket.status)
    return ticket


@transaction.atomic
def confirm_resolution(*, ticket: Ticket, by: AbstractBaseUser) -> Ticket:
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.status != Ticket.Status.RESOLVED:
        raise TicketError("ticket_not_resolved", "只有已解决的工单可以确认关闭。")
    return _close(ticket, by=by, body="报告人确认已解决")


def close_confirmed_tickets(now: datetime.datetime | None = None) -> int:
    """Close resolved tickets whose confirmation window has passed (run by the worker)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.FANKUI_REOPEN_WINDOW_DAYS)
    closed = 0
    for pk in Ticket.objects.filter(status=Ticket.Status.RESOLVED, resolved_at__lte=cutoff).values_list("pk", flat=True):
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().get(pk=pk)
            if ticket.status == Ticket.Status.RESOLVED:
                _close(ticket, by=None, body="确认期限已过，自动关闭")
                closed += 1
    return closed


@transaction.atomic
def reveal_secrets(*, ticket: Ticket, by: AbstractBaseUser) -> list[tuple[str, str]]:
    """Decrypt a ticket's credentials for its current handler; every reveal is on the (internal) timeline."""
    from fankui.tickets.selectors import is_current_handler, live_secrets

    if not is_current_handler(by, ticket):
        raise TicketError("not_current_handler", "只有当前处理人可以查看账号密码。")
    items = [(secret.label, decrypt(secret.ciphertext)) for secret in live_secrets(ticket)]
    _event(ticket, TicketEvent.Kind.SECRET_REVEALED, actor=by, public=False, count=len(items))
    return items


def save_queue_view(*, user: AbstractBaseUser, name: str, query: str) -> SavedView:
    """A handler's named queue view; saving under a name they already use replaces its filters."""
    view, _created = SavedView.objects.update_or_create(user=user, name=name.strip(), defaults={"query": query})
    return view


@transaction.atomic
def assign_ticket(*, ticket: Ticket, by: AbstractBaseUser, assignee: Person) -> Ticket:
    """Give the ticket to another handler (their deputy while they are away); they are told."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _require_active(ticket)  # on the locked row: the caller's copy may be stale
    acting = acting_person(assignee, timezone.localdate())
    if ticket.assignee_id == acting.pk:
        raise TicketError("already_assigned", f"已由 {acting.name} 处理，无需再指派。")
    previous = ticket.assignee.name if ticket.assignee else None
    ticket.assignee = acting
    ticket.save(update_fields=["assignee", "updated_at"])
    event = _event(ticket, TicketEvent.Kind.ASSIGNED, actor=by, public=False, body=f"指派给 {acting.name}", assignee=acting.name, previous=previous)
    notify_person(
        acting,
        kind=Notice.Kind.NEW_IN_QUEUE,
        ticket=ticket,
        dedup_key=f"{ticket.ref}:assigned:{event.pk}",
        subject=f"[{ticket.ref}] 指派给您：{ticket.title}",
        body=ticket.description,
    )
    return ticket


def _retarget(created: datetime.datetime, due: datetime.datetime, old: datetime.timedelta, new: datetime.timedelta) -> datetime.datetime:
    """A deadline under another target, keeping the business time it was already pushed back (pauses)."""
    old_due = business_hours.add_business_time(created, old)
    pushed = business_hours.business_time_between(old_due, due) if due > old_due else datetime.timedelta(0)
    return business_hours.add_business_time(business_hours.add_business_time(created, new), pushed)


@transaction.atomic
def set_urgency(*, ticket: Ticket, by: AbstractBaseUser, urgency: str) -> Ticket:
    """Change the priority; the SLA deadlines follow the new priority's targets."""
    if urgency not in Ticket.Urgency.values:
        raise TicketError("invalid_urgency", "未知的紧急程度。")
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _require_active(ticket)
    if ticket.urgency == urgency:
        raise TicketError("same_urgency", f"紧急程度已是“{in_site_language(Ticket.Urgency(urgency).label)}”。")
    old, new = sla_targets(ticket.urgency), sla_targets(urgency)
    previous = ticket.urgency
    for name, before, after in (("first_response_due", old[0], new[0]), ("resolution_due", old[1], new[1])):
        due = getattr(ticket, name)
        if due is not None:
            setattr(ticket, name, _retarget(ticket.created_at, due, before, after))
    ticket.urgency = urgency
    ticket.save(update_fields=["urgency", "first_response_due", "resolution_due", "updated_at"])
    label = in_site_language(Ticket.Urgency(urgency).label)
    _event(ticket, TicketEvent.Kind.STATUS, actor=by, public=False, body=f"紧急程度改为“{label}”", urgency=urgency, previous=previous)
    return ticket


def mark_seen(*, ticket: Ticket, user: AbstractBaseUser) -> None:
    """The handler opened the ticket: what is on its timeline now is no longer new to them."""
    # One upsert: opening a ticket costs a single query, the first time as every time after.
    TicketSeen.objects.bulk_create(
        [TicketSeen(user=user, ticket=ticket, seen_at=timezone.now())], update_conflicts=True, unique_fields=["user", "ticket"], update_fields=["seen_at"]
    )


def fill_placeholders(text: str, ticket: Ticket) -> str:
    reporter = ticket.reporter
    name = reporter.get_full_name() or reporter.get_username()  # type: ignore[attr-defined]
    return text.replace("{报告人}", name).replace("{编号}", ticket.ref)


@transaction.atomic
def use_canned(*, user: AbstractBaseUser, ticket: Ticket, kind: str, pk: int, allowed_replies: object) -> str:
    """The text to insert into a reply (placeholders filled, an article's expired links left out),
    counted so the most used answers come first. `allowed_replies` is the user's canned replies queryset."""
    from fankui.kb.models import Article
    from fankui.kb.selectors import article_as_reply, valid_on

    if kind == CannedUse.Kind.REPLY:
        reply = allowed_replies.filter(pk=pk).first()  # type: ignore[attr-defined]
        if reply is None:
            raise TicketError("canned_not_found", "没有找到这条常用回复。")
        text = fill_placeholders(reply.body, ticket)
    elif kind == CannedUse.Kind.ARTICLE:
        article = Article.objects.filter(valid_on(timezone.localdate()), is_published=True, pk=pk).prefetch_related("links").first()
        if article is None:
            raise TicketError("canned_not_found", "没有找到这篇文章，或它已过期。")
        text = article_as_reply(article)
    else:
        raise TicketError("canned_not_found", "未知的插入内容。")
    use, _created = CannedUse.objects.get_or_create(user=user, kind=kind, object_id=pk)
    CannedUse.objects.filter(pk=use.pk).update(uses=F("uses") + 1)
    return text


def save_canned_reply(*, user: AbstractBaseUser, title: str, body: str, region: Region | None) -> CannedReply:
    """A personal saved reply, or (with `region`) one shared with that region's handlers."""
    if not title.strip() or not body.strip():
        raise TicketError("empty_reply", "请填写名称和内容。")
    return CannedReply.objects.create(title=title.strip(), body=body.strip(), owner=None if region else user, region=region, created_by=user)
