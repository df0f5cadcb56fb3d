"""Every write to incidents: grouping new tickets, and the owner's confirm/merge/split/dismiss/resolve.

Notifications are outbox rows written in the same transaction (fankui.notify.services), with
dedup keys per incident, event and person, so a retried call never tells anyone twice.
"""
from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from fankui.core.i18n import in_site_language
from fankui.incidents import selectors, window
from fankui.incidents.models import Incident, IncidentFollower, IncidentTicket, IncidentUpdate
from fankui.incidents.similarity import Reporter, Verdict, assess
from fankui.notify.models import Notice
from fankui.notify.services import notify_person, notify_user
from fankui.tickets.secrets import mask_secrets

log = logging.getLogger(__name__)

# Look at no more than the 30 closest candidates per new ticket: the rule needs three reporters, and a
# very generic text ("打不开") must not read hundreds of rows back from the database.
_MAX_CANDIDATES = 30
# Expand through the 3 closest look-alikes (see `similar_recent`), only when fewer than 5 were found
# directly: that is when the one hop matters, and it keeps busy windows at one product per ticket.
_HOPS = 3
_HOP_BELOW = 5


class IncidentError(Exception):
    """A request the incident workflow refuses; `code` is stable English, the message is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def min_reporters() -> int:
    return settings.FANKUI_INCIDENT_MIN_REPORTERS


def min_regions() -> int:
    return settings.FANKUI_INCIDENT_MIN_REGIONS


def same_region_reporters() -> int:
    return settings.FANKUI_INCIDENT_SAME_REGION_REPORTERS


def _incident_url(incident: Incident) -> str:
    return f"{settings.FANKUI_BASE_URL.rstrip('/')}/incidents/{incident.pk}/"


# -- grouping at intake ----------------------------------------------------------------------


@dataclass(frozen=True)
class Neighbour:
    pk: int
    ref: str
    reporter_id: int
    region: str | None
    system_id: int | None
    score: float
    incident_id: int | None
    incident_state: str | None = None
    via: str = ""  # the ref it resembles, when reached through another look-alike (one hop)


@dataclass
class Grouping:
    """What intake learns: the incident the ticket joined (if any) and what to tell the reporter."""

    incident: Incident | None = None
    proposed: bool = False
    verdict: Verdict | None = None
    notices: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Candidates:
    """Look-alikes the window nominated, by ticket id: (score, the id it was reached through or "")
    and the created_at the window holds for each (to spot an id that now belongs to another ticket)."""

    nominated: dict[int, tuple[float, str | int]] = field(default_factory=dict)
    at: dict[int, datetime.datetime] = field(default_factory=dict)


def nominate(*, title: str, description: str, system_id: int | None, at: datetime.datetime, exclude_pk: int | None = None) -> Candidates:
    """Ask the in-process window which recent tickets look like this text (CPU and one read, no write).

    Intake calls this before opening its write transaction: on SQLite the transaction holds the
    one write lock, and the vector products need none (benchmarks/bench_intake.py). A ticket
    committed by another worker in the milliseconds between this and the transaction is missed,
    as concurrent transactions already miss each other on PostgreSQL; the next report sees both.
    """
    since = at - datetime.timedelta(hours=window.window_hours())
    floor = min(selectors.similarity_threshold(), selectors.no_system_threshold())
    # Intake (no `exclude_pk`: the ticket is not filed yet) accepts a window a moment old; see `remember`.
    max_age = window.refresh_seconds() if exclude_pk is None else 0.0
    with window.current(exclude_pk=exclude_pk, max_age=max_age) as index:
        text = window.ticket_text(title, description)
        direct = index.query(text, since=since, threshold=floor, exclude=exclude_pk, limit=_MAX_CANDIDATES * 2)
        direct = [m for m in direct if _compatible(system_id, m.row.meta[0], m.score)][:_MAX_CANDIDATES]
        hop_texts = [m.row.text for m in direct[:_HOPS]] if len(direct) < _HOP_BELOW else []
        hops = index.query_many(hop_texts, since=since, threshold=floor, exclude=exclude_pk, limit=_MAX_CANDIDATES) if hop_texts else []
    found = Candidates()
    found.nominated.update({int(m.row.key): (m.score, "") for m in direct})  # type: ignore[call-overload]
    for via, matches in zip(direct, hops):
        for m in matches:
            if len(found.nominated) >= _MAX_CANDIDATES:
                break
            if m.row.key not in found.nominated and _compatible(system_id, m.row.meta[0], m.score):
                found.nominated[int(m.row.key)] = (m.score, int(via.row.key))  # type: ignore[call-overload]
    found.at.update({int(m.row.key): m.row.at for m in direct})  # type: ignore[call-overload]
    for matches in hops:
        found.at.update({int(m.row.key): m.row.at for m in matches})  # type: ignore[call-overload]
    return found


@dataclass(frozen=True)
class Plan:
    """What grouping read before intake's write transaction: the look-alikes, and the open incident
    they (or, failing them, the open incidents' own reports) point to."""

    neighbours: list[Neighbour]
    joined: tuple[Incident, float, str] | None
    reporter: Reporter


def prepare_grouping(
    *, title: str, description: str, system_id: int | None, reporter_id: int, region: str | None, at: datetime.datetime
) -> Plan | None:
    """Do grouping's reads before intake opens its transaction; None (grouping reads again inside) on failure.

    On SQLite the transaction holds the one write lock, and these reads and vector products need
    none (benchmarks/bench_intake.py). `on_ticket_created` then only writes, and re-reads under the
    lock whenever it is about to change an incident, so a stale plan can only delay a grouping (a
    ticket committed by another worker in these milliseconds is missed, as concurrent
    transactions already miss each other on PostgreSQL; the next report sees both).
    """
    try:
        candidates = nominate(title=title, description=description, system_id=system_id, at=at)
        neighbours = _confirmed(candidates, system_id=system_id, at=at, exclude_pk=None)
        return Plan(neighbours, _joinable(neighbours, window.ticket_text(title, description), system_id), Reporter(reporter_id, region))
    except Exception:
        log.exception("incident grouping could not prepare before intake; it will read inside the transaction")
        return None


def similar_recent(ticket: object, candidates: Candidates | None = None) -> list[Neighbour]:
    """Tickets in the window that look like this one, across all regions, re-read from the database.

    Direct look-alikes, plus (when there are few) the look-alikes of the three closest of those (one
    hop): reporters word one outage differently, and the third report often resembles the second
    more than the first.
    The cache only nominates candidates (`nominate`, or `candidates` nominated earlier); who filed
    them, from where and whether they are already grouped comes from the rows themselves (one
    query), so a stale cache cannot group anything.
    """
    from fankui.tickets.models import Ticket

    t: Ticket = ticket  # type: ignore[assignment]
    if candidates is None:
        candidates = nominate(title=t.title, description=t.description, system_id=t.system_id, at=t.created_at, exclude_pk=t.pk)
    return _confirmed(candidates, system_id=t.system_id, at=t.created_at, exclude_pk=t.pk)


def _confirmed(candidates: Candidates, *, system_id: int | None, at: datetime.datetime, exclude_pk: int | None) -> list[Neighbour]:
    """The nominated tickets as the database has them now (one query), best first."""
    from fankui.tickets.models import Ticket

    nominated, seen_at = candidates.nominated, candidates.at
    if not nominated:
        return []
    since = at - datetime.timedelta(hours=window.window_hours())
    rows = Ticket.objects.filter(pk__in=list(nominated), created_at__gte=since, created_at__lte=at).values_list(
        "pk", "ref", "created_at", "reporter_id", "region__name", "system_id", "incident_link__incident_id", "incident_link__incident__state"
    )
    found = {}
    for pk, ref, created_at, reporter_id, region, row_system_id, incident_id, incident_state in rows:
        if pk == exclude_pk or created_at != seen_at.get(pk):
            continue  # a different ticket now holds this id (a rolled-back one was cached)
        score, _ = nominated[pk]
        if not _compatible(system_id, row_system_id, score):
            continue
        found[pk] = Neighbour(pk, ref, reporter_id, region, row_system_id, score, incident_id, incident_state)
    # A one-hop match counts only if the ticket it was reached through is real and compatible too.
    out = [
        n if nominated[n.pk][1] == "" else dataclasses.replace(n, via=found[nominated[n.pk][1]].ref)  # type: ignore[index]
        for n in found.values()
        if nominated[n.pk][1] == "" or nominated[n.pk][1] in found
    ]
    out.sort(key=lambda n: -n.score)
    return out


def _compatible(system_a: int | None, system_b: object, score: float) -> bool:
    needed = selectors.threshold_between(system_a, system_b if isinstance(system_b, int) else None)
    return needed is not None and score >= needed


def on_ticket_created(ticket: object, plan: Plan | None = None) -> Grouping:
    """Group a just-filed ticket: join a matching open incident, or propose one if the pattern is 共性.

    Called by `tickets.services.create_ticket` inside its transaction, with the `plan` it read
    before opening it (`prepare_grouping`). A savepoint keeps intake safe: if grouping fails, the
    ticket is still filed and the failure is logged.
    """
    try:
        if plan is not None:
            # Nominated with a window up to `refresh_seconds` old: this process's own reports are
            # added here so that staleness only ever hides other workers' last fraction of a second.
            t = ticket
            window.remember(
                pk=t.pk, created_at=t.created_at, title=t.title, description=t.description, system_id=t.system_id  # type: ignore[attr-defined]
            )
        settled = _settled(plan) if plan is not None else None
        if settled is not None:
            return settled  # the usual case: nothing to write, so no savepoint either
        with transaction.atomic():
            return _group(ticket) if plan is None else _apply(ticket, plan)
    except Exception:
        log.exception("incident grouping failed for ticket %s; intake continues", getattr(ticket, "pk", None))
        return Grouping()


def _settled(plan: Plan) -> Grouping | None:
    """The outcome of a plan that writes nothing (no incident to join, not 共性), else None."""
    if plan.joined is not None:
        return None
    unlinked = [n for n in plan.neighbours if n.incident_id is None]
    if not unlinked:
        return Grouping()
    verdict = _assess(plan.reporter, unlinked)
    return None if verdict.common else Grouping(verdict=verdict)


def _apply(ticket: object, plan: Plan) -> Grouping:
    """Act on a plan read before the transaction; anything that changes an incident re-checks first."""
    from fankui.tickets.models import Ticket

    t: Ticket = ticket  # type: ignore[assignment]
    if plan.joined is not None:
        planned, score, via = plan.joined
        incident = Incident.objects.select_related("system").filter(pk=planned.pk, state__in=list(Incident.OPEN_STATES)).first()
        if incident is not None:
            return _join(t, incident, score, via)
    # About to propose an incident, or the planned one closed meanwhile: decide again under the
    # lock, on rows nobody can change now.
    return _group(t)


def _joinable(neighbours: Sequence[Neighbour], text: str, system_id: int | None) -> tuple[Incident, float, str] | None:
    joined = _open_incident_among(neighbours)
    if joined is None:
        # An incident older than the window has no members left in it: compare with its reports.
        matches = selectors.match_open_incidents(text, system_id, states=list(Incident.OPEN_STATES))
        joined = (matches[0][0], matches[0][1], "") if matches else None
    return joined


def _join(t: object, incident: Incident, score: float, via: str) -> Grouping:
    IncidentTicket.objects.create(incident=incident, ticket=t, score=round(score, 3), matched_ref=via)
    notices = [selectors.known_notice(incident.title, incident.eta)] if incident.state == Incident.State.CONFIRMED else []
    return Grouping(incident=incident, notices=notices)


def _assess(reporter: Reporter, unlinked: Sequence[Neighbour]) -> Verdict:
    reports = [reporter, *(Reporter(n.reporter_id, n.region) for n in unlinked)]
    return assess(reports, min_reporters=min_reporters(), min_regions=min_regions(), same_region_reporters=same_region_reporters())


def _group(ticket: object, candidates: Candidates | None = None) -> Grouping:
    from fankui.tickets.models import Ticket

    t: Ticket = ticket  # type: ignore[assignment]
    neighbours = similar_recent(t, candidates)
    joined = _open_incident_among(neighbours)
    if joined is None:
        # An incident older than the window has no members left in it: compare with its reports.
        text = window.ticket_text(t.title, t.description)
        matches = selectors.match_open_incidents(text, t.system_id, states=list(Incident.OPEN_STATES), exclude_pk=t.pk)
        joined = (matches[0][0], matches[0][1], "") if matches else None
    if joined is not None:
        return _join(t, *joined)
    unlinked = [n for n in neighbours if n.incident_id is None]
    if not unlinked:
        return Grouping()
    verdict = _assess(Reporter(t.reporter_id, t.region.name if t.region else None), unlinked)
    if not verdict.common:
        return Grouping(verdict=verdict)
    incident = _propose(t, unlinked, verdict)
    return Grouping(incident=incident, proposed=True, verdict=verdict)


def _open_incident_among(neighbours: Sequence[Neighbour]) -> tuple[Incident, float, str] | None:
    """The open incident the closest look-alikes already belong to (confirmed before proposed)."""
    linked = [n for n in neighbours if n.incident_id is not None and n.incident_state in Incident.OPEN_STATES]
    if not linked:
        return None
    best = min(linked, key=lambda n: (n.incident_state != Incident.State.CONFIRMED, -n.score))
    incident = Incident.objects.select_related("system").get(pk=best.incident_id)
    return incident, best.score, best.ref


def _propose(ticket: object, neighbours: Sequence[Neighbour], verdict: Verdict) -> Incident:
    from fankui.tickets.models import Ticket

    t: Ticket = ticket  # type: ignore[assignment]
    pairs = "；".join(
        f"{n.ref}（{n.region or '未分大区'}，与 {n.via or t.ref} 相似度 {n.score:.2f}）" for n in neighbours[:10]
    )
    reason = f"{verdict.why}。新报告 {t.ref} 的相似报告：{pairs}；系统均为 {t.system.name if t.system else '未识别'}。"
    incident = Incident.objects.create(system=t.system, title=t.title[:80], reason=reason)
    IncidentTicket.objects.create(incident=incident, ticket=t, score=1.0)
    IncidentTicket.objects.bulk_create(
        [IncidentTicket(incident=incident, ticket_id=n.pk, score=round(n.score, 3), matched_ref=n.via or t.ref) for n in neighbours]
    )
    IncidentUpdate.objects.create(incident=incident, kind=IncidentUpdate.Kind.PROPOSED, body=reason)
    members = list(Ticket.objects.filter(incident_link__incident=incident).select_related("region").order_by("created_at"))
    # Named after the first report: the one the others were found to resemble.
    incident.title = ((f"{t.system.name}：" if t.system else "") + members[0].title[:80])[:200]
    incident.save(update_fields=["title"])
    listing = "\n".join(f"- {m.ref} · {m.region or '一线队列'} · {timezone.localtime(m.created_at):%H:%M} · {m.title}" for m in members)
    body = f"{reason}\n\n包含的工单：\n{listing}\n\n请确认、合并、拆分或驳回：{_incident_url(incident)}"
    for person in [*selectors.owners_of(incident.system), *selectors.consultants_for(incident)]:
        notify_person(
            person,
            kind=Notice.Kind.INCIDENT,
            dedup_key=f"incident:{incident.pk}:proposed:{person.pk}",
            subject=f"[共性问题 #{incident.pk}] 疑似共性问题：{incident.title}"[:200],
            body=body,
        )
    return incident


# -- the owner's and consultants' decisions --------------------------------------------------


def _require(incident: Incident, *states: str) -> None:
    if incident.state not in states:
        raise IncidentError("incident_state", f"该共性问题当前为“{in_site_language(Incident.State(incident.state).label)}”，不能执行此操作。")


def _locked(incident: Incident) -> Incident:
    return Incident.objects.select_for_update(of=("self",)).select_related("system__department").get(pk=incident.pk)


def masked(text: str) -> str:
    """Staff text that every linked reporter will read: a credential typed into it never goes out."""
    return mask_secrets(text).text


@transaction.atomic
def confirm_incident(
    *, incident: Incident, by: AbstractBaseUser, title: str = "", summary: str = "", eta: datetime.datetime | None = None
) -> Incident:
    """It is 共性: group the tickets (a note on each timeline) and show it to new reporters at intake."""
    from fankui.tickets.models import Ticket
    from fankui.tickets.services import reply_to_ticket

    incident = _locked(incident)
    _require(incident, Incident.State.PROPOSED)
    incident.state = Incident.State.CONFIRMED
    incident.confirmed_at, incident.confirmed_by = timezone.now(), by
    incident.title = masked(title).strip()[:200] or incident.title
    incident.summary = masked(summary).strip() or incident.summary
    incident.eta = eta or incident.eta
    incident.save()
    IncidentUpdate.objects.create(incident=incident, kind=IncidentUpdate.Kind.CONFIRMED, actor=by, body=incident.summary, public=True)
    for ticket in Ticket.objects.filter(incident_link__incident=incident, status__in=[Ticket.Status.OPEN, Ticket.Status.WAITING]):
        reply_to_ticket(ticket=ticket, by=by, body=f"已归入共性问题 #{incident.pk}：{incident.title}", public=False)
    return incident


@transaction.atomic
def dismiss_incident(*, incident: Incident, by: AbstractBaseUser, reason: str = "") -> Incident:
    """个性 after all: the tickets stay individual. They stay linked, so they are not proposed again."""
    incident = _locked(incident)
    _require(incident, Incident.State.PROPOSED, Incident.State.CONFIRMED)
    incident.state = Incident.State.DISMISSED
    incident.dismissed_at = timezone.now()
    incident.save()
    IncidentUpdate.objects.create(incident=incident, kind=IncidentUpdate.Kind.DISMISSED, actor=by, body=masked(reason).strip())
    return incident


@transaction.atomic
def merge_incidents(*, target: Incident, source: Incident, by: AbstractBaseUser) -> Incident:
    """One problem reported as two: move `source`'s tickets and followers into `target`."""
    if target.pk == source.pk:
        raise IncidentError("merge_same", "不能把共性问题合并到它自己。")
    target, source = _locked(target), _locked(source)
    _require(target, *Incident.OPEN_STATES)
    _require(source, *Incident.OPEN_STATES)
    moved = IncidentTicket.objects.filter(incident=source).update(incident=target)
    already = set(IncidentFollower.objects.filter(incident=target).values_list("user_id", flat=True))
    IncidentFollower.objects.filter(incident=source).exclude(user_id__in=already).update(incident=target)
    source.state, source.merged_into, source.dismissed_at = Incident.State.DISMISSED, target, timezone.now()
    source.save()
    IncidentUpdate.objects.create(incident=source, kind=IncidentUpdate.Kind.MERGED, actor=by, body=f"已合并到 #{target.pk}")
    IncidentUpdate.objects.create(incident=target, kind=IncidentUpdate.Kind.MERGED, actor=by, body=f"并入 #{source.pk} 的 {moved} 张工单")
    return target


@transaction.atomic
def split_incident(*, incident: Incident, by: AbstractBaseUser, refs: Sequence[str], title: str = "") -> Incident:
    """Some of these tickets are a different problem: move them into a new proposed incident."""
    incident = _locked(incident)
    _require(incident, *Incident.OPEN_STATES)
    links = list(IncidentTicket.objects.filter(incident=incident, ticket__ref__in=list(refs)).select_related("ticket"))
    if not links:
        raise IncidentError("split_empty", "请选择要拆分出去的工单（须属于该共性问题）。")
    if len(links) == IncidentTicket.objects.filter(incident=incident).count():
        raise IncidentError("split_all", "不能拆出全部工单；如果整体判断有误，请驳回。")
    first = links[0].ticket
    new = Incident.objects.create(
        system=incident.system,
        title=title.strip()[:200] or ((f"{incident.system.name}：" if incident.system else "") + first.title[:80]),
        reason=f"从 #{incident.pk} 拆分：{'、'.join(link.ticket.ref for link in links)}",
    )
    IncidentTicket.objects.filter(pk__in=[link.pk for link in links]).update(incident=new)
    IncidentUpdate.objects.create(incident=new, kind=IncidentUpdate.Kind.SPLIT, actor=by, body=new.reason)
    IncidentUpdate.objects.create(incident=incident, kind=IncidentUpdate.Kind.SPLIT, actor=by, body=f"拆出 {len(links)} 张工单到 #{new.pk}")
    return new


def _audience(incident: Incident) -> dict[int, tuple[AbstractBaseUser, object | None]]:
    """Every linked reporter (with one of their tickets, for context) and every follower, once each."""
    people: dict[int, tuple[AbstractBaseUser, object | None]] = {}
    for link in IncidentTicket.objects.filter(incident=incident).select_related("ticket__reporter").order_by("id"):
        people.setdefault(link.ticket.reporter_id, (link.ticket.reporter, link.ticket))
    for follower in IncidentFollower.objects.filter(incident=incident).select_related("user"):
        people.setdefault(follower.user_id, (follower.user, None))
    return people


@transaction.atomic
def post_update(*, incident: Incident, by: AbstractBaseUser, body: str, eta: datetime.datetime | None = None) -> IncidentUpdate:
    """A public progress note: every linked reporter and follower hears it once, on each of their channels."""
    body = masked(body).strip()
    if not body:
        raise IncidentError("empty_update", "请填写进展内容。")
    incident = _locked(incident)
    _require(incident, Incident.State.CONFIRMED)
    if eta is not None:
        incident.eta = eta
        incident.save(update_fields=["eta", "updated_at"])
    update = IncidentUpdate.objects.create(incident=incident, kind=IncidentUpdate.Kind.UPDATE, actor=by, body=body, public=True)
    when = f"\n\n预计恢复：{selectors.format_eta(incident.eta)}" if incident.eta else ""
    for user_id, (user, ticket) in _audience(incident).items():
        notify_user(
            user,
            kind=Notice.Kind.INCIDENT,
            ticket=ticket,
            dedup_key=f"incident:{incident.pk}:update:{update.pk}:{user_id}",
            subject=f"[共性问题 #{incident.pk}] {incident.title} 有新进展"[:200],
            body=f"{body}{when}",
        )
    return update


@transaction.atomic
def resolve_incident(*, incident: Incident, by: AbstractBaseUser, resolution: str) -> Incident:
    """Resolve the incident and, through `resolve_ticket`, each of its open tickets (each keeps its record).

    Exactly one resolution notice per person: a reporter whose ticket is resolved now hears it through
    that ticket (its notice carries the incident's answer and the reopen link); followers and reporters
    whose tickets were already closed get one incident notice, `incident:{id}:resolved:{user_id}`.
    """
    from fankui.tickets.models import Ticket
    from fankui.tickets.services import resolve_ticket

    resolution = masked(resolution).strip()
    if not resolution:
        raise IncidentError("empty_resolution", "请写明处理结果，所有报告人都会收到。")
    incident = _locked(incident)
    _require(incident, *Incident.OPEN_STATES)
    incident.state = Incident.State.RESOLVED
    incident.resolution = resolution
    incident.resolved_at, incident.resolved_by = timezone.now(), by
    incident.save()
    IncidentUpdate.objects.create(incident=incident, kind=IncidentUpdate.Kind.RESOLVED, actor=by, body=resolution, public=True)
    heard: set[int] = set()
    active = Ticket.objects.filter(incident_link__incident=incident, status__in=[Ticket.Status.OPEN, Ticket.Status.WAITING]).order_by("created_at")
    for ticket in active:
        resolve_ticket(ticket=ticket, by=by, reply=f"【共性问题 #{incident.pk} 已解决】{resolution}")
        heard.add(ticket.reporter_id)
    for user_id, (user, ticket) in _audience(incident).items():
        if user_id in heard:
            continue
        notify_user(
            user,
            kind=Notice.Kind.INCIDENT,
            ticket=ticket,
            dedup_key=f"incident:{incident.pk}:resolved:{user_id}",
            subject=f"[共性问题 #{incident.pk}] 已解决：{incident.title}"[:200],
            body=resolution,
        )
    return incident


@transaction.atomic
def follow_incident(*, incident: Incident, user: AbstractBaseUser) -> bool:
    """Follow a confirmed incident instead of filing; return False if already following."""
    incident = Incident.objects.get(pk=incident.pk)
    if incident.state != Incident.State.CONFIRMED:
        raise IncidentError("incident_state", "只能关注正在处理中的共性问题。")
    _, created = IncidentFollower.objects.get_or_create(incident=incident, user=user)
    return created
