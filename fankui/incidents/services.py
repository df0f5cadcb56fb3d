"""Every write to incidents: grouping new tickets, and the owner's merge/split/dismiss/updates.

Confirming and resolving also write to each ticket, so they live above both apps, in fankui.workflow.incidents.

Notifications are outbox rows written in the same transaction (fankui.notify.services), with
dedup keys per incident, event and person, so a retried call never tells anyone twice.
"""
from __future__ import annotations

import datetime
import logging
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Q
from django.core.cache import cache
from django.utils import timezone

from fankui.core.i18n import in_site_language
from fankui.core.wakeup import Wakeup
from fankui.incidents import selectors
from fankui.incidents.models import Incident, IncidentFollower, IncidentTicket, IncidentUpdate
from fankui.incidents.similarity import Reporter, Verdict, assess
from fankui.incidents.symptoms import (
    LINK_SCORE, Signature, at_odds, describe, empty_across_functions, same_function_or_symptom, same_problem, same_subject,
)
from fankui.notify.models import Notice
from fankui.notify.services import notify_person, notify_user
from fankui.tickets.secrets import mask_secrets

log = logging.getLogger(__name__)



class IncidentError(Exception):
    """A request the incident workflow refuses; `code` is stable English, the message is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _incident_url(incident: Incident) -> str:
    return f"{settings.FANKUI_BASE_URL.rstrip('/')}/incidents/{incident.pk}/"


# -- grouping ----------------------------------------------------------------------------------
#
# The database is the only state: every process, on every server, reads the same recent tickets, and
# grouping for one system runs under a lock on that system's row, so two app servers filing three
# reports within milliseconds still make one incident. A ticket missed at intake (its grouping failed,
# or another server committed in the same instant) is looked at again by the worker's pass every minute.


@dataclass
class Grouping:
    """What intake learns: the incident the ticket joined (if any) and what to tell the reporter."""

    incident: Incident | None = None
    proposed: bool = False
    verdict: Verdict | None = None
    notices: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    """A recent ticket on the same system, as grouping compares it."""

    pk: int
    ref: str
    reporter_id: int
    region: str | None
    created_at: datetime.datetime
    incident_id: int | None
    incident_state: str | None
    signature: Signature
    routed: bool = True  # False: it names no system, and is compared because it may belong to this one
    leans: selectors.Leans = selectors.Leans()  # naming none, the systems it may be about
    system_id: int | None = None
    incident_system_id: int | None = None


_CANDIDATES = 400  # the most recent tickets on one system that a new one is compared with
_PASS_CANDIDATES = 2000  # the pass reads a system's window once for all its pending reports
_OPEN_MEMBERS = 20  # the newest reports of an open incident a pending one is compared with
_HOPS = 10  # look-alikes of the closest look-alikes: the third report often resembles the second more
# A report that names no system joins a burst on one system only when it clearly describes the same
# problem (it has no system name to agree on, so it needs more than LINK_SCORE).
_BURST_MINUTES = 60
BURST_LINK_SCORE = 0.5
# On a system that is usually quiet, failures reported minutes apart are themselves the signal: the burst
# links them even when their wording shares nothing (still never two different functions, never a request).
QUIET_LINK_SCORE = 0.05
QUIET_JOIN_SCORE = 0.1  # joining an open incident on a quiet system still takes wording in common
QUIET_PAIR_MINUTES = 30
_QUIET_SPAN = datetime.timedelta(minutes=QUIET_PAIR_MINUTES)
# In a sudden outage people report whatever they were doing when it failed (one cannot print vouchers, another
# cannot export a ledger), so their reports name different functions and never link by wording. Once two
# reporters on a usually quiet system describe one failure in words in common (not by timing alone), failures
# reported on it within these minutes of them join the burst whatever function they name; four unrelated
# reports with nothing in common stay apart.
BURST_COMPANION_MINUTES = 10
_COMPANION_SPAN = datetime.timedelta(minutes=BURST_COMPANION_MINUTES)
_BURST_SPAN = datetime.timedelta(minutes=_BURST_MINUTES)


def _worded(score: float) -> bool:
    """Whether a link comes from wording in common, not from a quiet system's timing alone (QUIET_LINK_SCORE)."""
    return score > QUIET_LINK_SCORE


def window_hours() -> float:
    return settings.FANKUI_INCIDENT_WINDOW_HOURS


def _reports(
    system_id: int, since: datetime.datetime, until: datetime.datetime, *, exclude_pk: int | None = None, limit: int = _CANDIDATES
) -> list[Report]:
    """A system's recent reports, and those that name no system (nor other systems), read as that system's reports:
    how they tie to its reports is `_links`' to decide."""
    reports = _read_reports(Q(system_id=system_id) | Q(system__isnull=True), since, until, exclude_pk=exclude_pk, limit=limit, read_as=system_id)
    # One that already joined another system's incident belongs there: it must not carry this system's
    # reports into that incident.
    return [r for r in reports if not _sites_own(r.signature, r.system_id)
            and (r.routed or (not r.leans.named and r.signature.groupable))
            and r.incident_system_id in (None, system_id)]


def _sites_own(sig: Signature, routed_to: int | None) -> bool:
    """Office or building equipment (快递柜, 投影) naming no system, or one the router only guessed from everyday
    words (会议室): the site's own problem, never part of a system's outage, even when its words lean to one."""
    return sig.equipment and not (routed_to is not None and sig.named)


def _read_reports(
    where: Q, since: datetime.datetime, until: datetime.datetime, *, limit: int, exclude_pk: int | None = None, read_as: int | None = None
) -> list[Report]:
    """Recent reports, newest first; each signature leaves out the names of `read_as` (else its own system).
    A report that names no system but leans to `read_as` is read as naming it."""
    from fankui.tickets.models import Ticket

    rows = (
        Ticket.objects.filter(where, created_at__gte=since, created_at__lte=until)
        .exclude(pk=exclude_pk)
        .order_by("-created_at")
        .values_list("pk", "ref", "reporter_id", "region__name", "created_at", "title", "description",
                     "incident_link__incident_id", "incident_link__incident__state", "system_id", "incident_link__incident__system_id")[:limit]
    )
    reports = []
    for pk, ref, reporter_id, region, created_at, title, description, incident_id, state, routed_to, incident_system in rows:
        leans = selectors.leanings_of(title, description) if routed_to is None else selectors.Leans()
        reports.append(Report(pk, ref, reporter_id, region, created_at, incident_id, state,
                              selectors.signature_of(title, description, read_as or routed_to),
                              routed=routed_to is not None or read_as in leans.systems, system_id=routed_to, leans=leans,
                              incident_system_id=incident_system))
    return reports


def _links(a: Signature, b: Signature, *, both_routed: bool, quiet_pair: bool = False, forming: bool = True) -> float:
    """same_problem's score if it is enough to link: a report that names no system needs a clearer match,
    two reports minutes apart on a usually quiet system a weaker one."""
    score = same_problem(a, b)
    # Wording that shares nothing may start an incident on a quiet system, never join one already open:
    # an open incident would otherwise collect every failure reported beside it. Nor does timing alone tie
    # in a report about one household's or person's own case.
    # Timing is evidence only about a system someone named: two reports the router guessed at from everyday
    # words (财务, 会议室) are not a burst on the system it guessed.
    if (quiet_pair and both_routed and (a.named or b.named) and not at_odds(a, b) and not (a.one_case or b.one_case)
            and (forming or score >= QUIET_JOIN_SCORE)):
        return max(score, QUIET_LINK_SCORE)
    if both_routed:
        return score if score >= LINK_SCORE else 0.0
    # A report naming no system needs more than a symptom every system shows ("点不了" beside "云屋打不开"): the
    # same function, symptom, code or message; or a clear match with a subject in common.
    if same_function_or_symptom(a, b):
        # Within minutes on a quiet system a weaker match will do, unless an empty result across functions is all they share.
        weaker = quiet_pair and not empty_across_functions(a, b)
        return score if score >= (LINK_SCORE if weaker else BURST_LINK_SCORE) else 0.0
    return score if score >= BURST_LINK_SCORE and same_subject(a, b) else 0.0


def _weekly_reports(systems: Collection[int], before: datetime.datetime) -> dict[int, int]:
    """How many reports each of `systems` got over the week before `before` (absent: none)."""
    from fankui.tickets.models import Ticket

    week = Ticket.objects.filter(system_id__in=systems, created_at__gte=before - datetime.timedelta(days=7), created_at__lt=before)
    return dict(week.values_list("system_id").annotate(n=Count("id")))


def _oftener(systems: Sequence[int], before: datetime.datetime) -> int:
    """Of `systems`, the one with more reports over the week before `before`; on a tie, the first."""
    counts = _weekly_reports(systems, before)
    return max(systems, key=lambda s: counts.get(s, 0))


def quiet_systems(systems: Collection[int | None], before: datetime.datetime) -> frozenset[int]:
    """The systems among `systems` that usually get few reports: over the week before `before`, at most
    FANKUI_INCIDENT_QUIET_WEEKLY — fewer than one per half hour of the working week (5 days × 10 hours),
    so three reporters within minutes are far above their usual rate."""
    wanted = {s for s in systems if s is not None}
    busy = {system for system, n in _weekly_reports(wanted, before).items() if n > settings.FANKUI_INCIDENT_QUIET_WEEKLY}
    return frozenset(wanted - busy)


class Window:
    """A system's recent reports, newest first, indexed by what their signatures name: a report is scored
    only against the reports that share something with it, so a pass over thousands stays near-linear.
    Reports in an open incident have an index of their own: joining one is the pass's commonest question."""

    def __init__(self, reports: list[Report], *, quiet: Collection[int] = (), system_id: int | None = None) -> None:
        self.reports = reports
        self.quiet = quiet  # the usually quiet systems among the reports': see QUIET_LINK_SCORE
        self.system_id = system_id  # one system's window: the system its unrouted reports are read as
        self._at = {report.pk: i for i, report in enumerate(reports)}
        self._instants = [-report.created_at.timestamp() for report in reports]  # ascending: the reports are newest first
        self._postings: dict[str, list[int]] = {}
        self._open_postings: dict[str, list[int]] = {}
        for i, report in enumerate(reports):
            self._index(i, self._postings)
            if report.incident_state in Incident.OPEN_STATES:
                self._index(i, self._open_postings)

    def alike(
        self, sig: Signature, *, routed: bool, since: datetime.datetime, exclude_pk: int, at: datetime.datetime, on: int | None = None
    ) -> list[tuple[Report, float]]:
        """Reports enough like `sig` (reported `at`) to link, closest first (newest first among equals); with
        `on`, only the reports routed to that system."""
        near = self._near(sig, self._postings, at, on=on)
        if on is not None:
            near = {i for i in near if self.reports[i].system_id == on}
        return self._scored(near, sig, routed, since, exclude_pk, at)

    def open_match(
        self, sig: Signature, *, routed: bool, since: datetime.datetime, exclude_pk: int, at: datetime.datetime
    ) -> tuple[tuple[int, str], float, str] | None:
        """`_best_open(self.alike(...), at)`, scoring only the reports already in an open incident, and of each
        incident only its newest _OPEN_MEMBERS that share something with `sig`: an outage's latest reports say
        what it looks like now, and scoring every one of hundreds made the pass quadratic in a large outage."""
        per_incident: dict[int | None, list[int]] = {}
        for i in sorted(self._near(sig, self._open_postings)):  # newest first
            members = per_incident.setdefault(self.reports[i].incident_id, [])
            if len(members) < _OPEN_MEMBERS:
                members.append(i)
        near = {i for members in per_incident.values() for i in members}
        return _best_open(self._scored(near, sig, routed, since, exclude_pk, at, forming=False), at)

    def enough_reporters(
        self, sig: Signature, *, routed: bool, since: datetime.datetime, exclude_pk: int, at: datetime.datetime, reporter: int, needed: int
    ) -> bool:
        """Whether look-alikes come from at least `needed` reporters (with `reporter`), stopping once they do; on
        a usually quiet system two may be enough, as failures filed beside them may join (see `companions`).
        Look-alikes by wording of the closest look-alikes by wording count too, as in group_ticket (a chain of
        timing alone would tie every failure on a quiet system through one that names no function)."""
        seen, alike_by_wording = {reporter}, {reporter}
        direct: list[Report] = []
        for i in self._near(sig, self._postings, at):
            r = self.reports[i]
            if r.reporter_id in seen or r.pk == exclude_pk or r.created_at < since or self._too_far(r, routed, at):
                continue
            if score := _links(sig, r.signature, both_routed=routed and r.routed, quiet_pair=self._quiet_pair(r, routed, at)):
                seen.add(r.reporter_id)
                if _worded(score):
                    direct.append(r)
                    if r.routed:
                        alike_by_wording.add(r.reporter_id)
                if len(seen) >= needed:
                    return True
        for hop in direct[:_HOPS]:
            found = self.alike(hop.signature, routed=hop.routed, since=since, exclude_pk=exclude_pk, at=hop.created_at)
            seen.update(r.reporter_id for r, score in found if _worded(score))
            if len(seen) >= needed:
                return True
        return routed and len(alike_by_wording) >= 2 and self.system_id in self.quiet

    def companions(self, burst: Sequence[tuple[datetime.datetime, str]], *, exclude: Collection[int]) -> list[tuple[Report, float, str]]:
        """Failures on this usually quiet system filed within _COMPANION_SPAN of a report in `burst` (instants
        and refs of reports alike by wording, from two reporters at least), in no incident, whatever function
        they name; each with the report it was filed beside. A request, a non-failure or one household's own
        case never joins."""
        if self.system_id not in self.quiet:
            return []
        found = []
        for r in self.reports:
            if r.pk in exclude or r.incident_id is not None or not r.routed or r.system_id != self.system_id:
                continue
            if not r.signature.groupable or r.signature.one_case or not r.signature.named:
                continue
            at, ref = min(burst, key=lambda b: abs(b[0] - r.created_at))
            if abs(at - r.created_at) <= _COMPANION_SPAN:
                found.append((r, QUIET_LINK_SCORE, ref))
        return found

    def mark(self, pks: set[int], incident_id: int, state: str) -> None:
        """Reports just linked to an incident, as the database now has them."""
        for pk in pks:
            if (i := self._at.get(pk)) is not None:
                self.reports[i] = replace(self.reports[i], incident_id=incident_id, incident_state=state)
                self._index(i, self._open_postings)

    def _index(self, i: int, postings: dict[str, list[int]]) -> None:
        # A report that cannot be part of an outage links to nothing (same_problem and at_odds say so): it
        # is never a candidate, which leaves most of a busy window out of every comparison.
        if not self.reports[i].signature.groupable:
            return
        for key in self.reports[i].signature.features:
            postings.setdefault(key, []).append(i)

    def _near(self, sig: Signature, postings: dict[str, list[int]], at: datetime.datetime | None = None, *, on: int | None = None) -> set[int]:
        """The reports sharing something with `sig`; on a quiet system (this window's, or `on`), with `at`,
        also every one that could be part of an outage reported within _QUIET_SPAN of it."""
        near = {i for key in sig.features for i in postings.get(key, ())}
        system = self.system_id if on is None else on
        if at is not None and system is not None and system in self.quiet:
            span = _QUIET_SPAN.total_seconds()
            instant = -at.timestamp()
            around = range(bisect_left(self._instants, instant - span), bisect_right(self._instants, instant + span))
            near |= {i for i in around if self.reports[i].signature.groupable}
        return near

    @staticmethod
    def _too_far(r: Report, routed: bool, at: datetime.datetime) -> bool:
        """A report that names no system is tied to a burst only within _BURST_MINUTES of it: what it
        resembles hours away is another problem on some system."""
        return not (routed and r.routed) and abs(r.created_at - at) > _BURST_SPAN

    def _quiet_pair(self, r: Report, routed: bool, at: datetime.datetime) -> bool:
        """Whether `r` and a report filed `at` are minutes apart on a usually quiet system. A system's quiet is
        evidence only about reports on it: two that neither name nor lean to it are no pair of its."""
        system = r.system_id if r.system_id is not None else self.system_id
        return (routed or r.routed) and system in self.quiet and abs(r.created_at - at) <= _QUIET_SPAN

    def _scored(
        self, near: set[int], sig: Signature, routed: bool, since: datetime.datetime, exclude_pk: int, at: datetime.datetime,
        *, forming: bool = True,
    ) -> list[tuple[Report, float]]:
        found = []
        for i in near:
            r = self.reports[i]
            if r.pk == exclude_pk or r.created_at < since or self._too_far(r, routed, at):
                continue
            if score := _links(sig, r.signature, both_routed=routed and r.routed, quiet_pair=self._quiet_pair(r, routed, at), forming=forming):
                found.append((-score, i, r))
        found.sort(key=lambda item: item[:2])
        return [(r, -negative) for negative, _, r in found]


def _system_window(system_id: int, since: datetime.datetime, until: datetime.datetime, *, limit: int = _CANDIDATES,
                   exclude_pk: int | None = None) -> Window:
    reports = _reports(system_id, since, until, exclude_pk=exclude_pk, limit=limit)
    return Window(reports, quiet=quiet_systems([system_id], since), system_id=system_id)


def _burst_window(since: datetime.datetime, until: datetime.datetime, *, limit: int) -> Window:
    """Recent reports that name a system, on every system (where a report that names none may belong), and
    those naming none that say what fails (who else may have reported the same burst without naming it)."""
    routed = _read_reports(Q(system__isnull=False), since, until, limit=limit)
    unnamed = [r for r in _read_reports(Q(system__isnull=True), since, until, limit=limit) if _says_what_fails(r)]
    return Window(sorted(routed + unnamed, key=lambda r: r.created_at, reverse=True),
                  quiet=quiet_systems({r.system_id for r in routed}, since))


def _says_what_fails(r: Report) -> bool:
    """Naming no system, it says what fails (one whose words name other systems, 公众号, is theirs)."""
    return not r.leans.named and not r.signature.equipment and r.signature.says_what_fails


def group_ticket(
    ticket: object, *, now: datetime.datetime | None = None, recent: Window | None = None, system_id: int | None = None
) -> Grouping:
    """Join the open incident this ticket's problem belongs to, or propose one when the pattern is 共性.

    Call inside a transaction. Idempotent: a ticket already in an incident is left alone. `recent` (the
    worker's pass) is the system's window as just read, saving the read; `system_id` the system the pass
    found for a report that names none, or another that its words lean to (`_misrouted`).
    """
    from fankui.directory.models import System
    from fankui.tickets.models import Ticket

    t: Ticket = ticket  # type: ignore[assignment]
    if IncidentTicket.objects.filter(ticket_id=t.pk).exists():
        return Grouping()
    now = now or timezone.now()
    system_id = system_id or t.system_id or _system_of_burst(t, now)
    if system_id is None:
        return Grouping()
    mine = selectors.signature_of(t.title, t.description, system_id)
    if not mine.groupable or _sites_own(mine, t.system_id):
        return Grouping()
    # One grouping per system at a time, on every server: the second waits, then sees the first's rows.
    System.objects.select_for_update().filter(pk=system_id).first()
    window = datetime.timedelta(hours=window_hours())
    since = t.created_at - window
    if recent is None:
        recent = _system_window(system_id, since, max(now, t.created_at), exclude_pk=t.pk)
    routed = _names(t, system_id)
    direct = recent.alike(mine, routed=routed, since=since, exclude_pk=t.pk, at=t.created_at)
    joinable = [(r, score) for r, score in direct if score >= QUIET_JOIN_SCORE]
    joined = _open_incident_among(joinable, t.created_at) or _open_incident_matching(mine, system_id)
    if joined is not None:
        return _join(t, *joined)
    unlinked = [(r, score, t.ref) for r, score in direct if r.incident_id is None]
    found = {r.pk for r, _, _ in unlinked}
    for hop, _, _ in unlinked[:_HOPS]:
        for r, score in recent.alike(hop.signature, routed=hop.routed, since=since, exclude_pk=t.pk, at=hop.created_at):
            if r.pk not in found and r.incident_id is None:
                unlinked.append((r, score, hop.ref))
                found.add(r.pk)
    if not unlinked:
        return Grouping()
    alike_by_wording = {t.reporter_id, *(r.reporter_id for r, score, _ in unlinked if _worded(score) and r.routed)}
    if routed and not mine.one_case and len(alike_by_wording) >= 2:
        unlinked += recent.companions([(t.created_at, t.ref), *((r.created_at, r.ref) for r, _, _ in unlinked)], exclude=found | {t.pk})
    region = t.region.name if t.region else None
    verdict = assess(
        [Reporter(t.reporter_id, region), *(Reporter(r.reporter_id, r.region) for r, _, _ in unlinked)],
        min_reporters=min_reporters(), min_regions=min_regions(), same_region_reporters=same_region_reporters(),
    )
    if not verdict.common:
        return Grouping(verdict=verdict)
    incident = _propose(t, mine, unlinked, verdict, system_id)
    return Grouping(incident=incident, proposed=True, verdict=verdict)


def _names(ticket: object, system_id: int) -> bool:
    """Whether a report names the system it is grouped on, or, naming none, leans to it. One routed elsewhere is
    grouped here only because its words lean here (`_misrouted`): it names a system either way."""
    from fankui.tickets.models import Ticket

    t: Ticket = ticket  # type: ignore[assignment]
    return t.system_id is not None or system_id in selectors.leanings_of(t.title, t.description).systems


def _system_of_burst(ticket: object, now: datetime.datetime, routed: Window | None = None) -> int | None:
    """The system a report that names none belongs to: among the systems the router leans to (a bare name
    shared by two systems, else its business words), the one whose recent reports it
    resembles; else the one system whose recent reports describe its problem clearly ("登录一直转圈，网络
    异常" while the app's outage is being reported).

    `routed` is the window of recent reports that name a system, when the caller has read it."""
    from fankui.tickets.models import Ticket

    t: Ticket = ticket  # type: ignore[assignment]
    plain = selectors.signature_of(t.title, t.description, None)
    if not plain.groupable or plain.equipment:
        return None
    since = t.created_at - datetime.timedelta(minutes=_BURST_MINUTES)
    if routed is None:
        routed = _burst_window(since, max(now, t.created_at), limit=_CANDIDATES)
    # Among the systems the router leans to, the one whose recent reports it resembles most. Of the systems a
    # bare name means, the only one with failures reported beside it (a quiet system's burst): "收费云账单翻倍了"
    # while one of the two 收费云 is failing is that one's report. (Business words are a weaker lean: timing
    # alone does not pick among them.)
    scores: dict[int, float] = {}
    leans = selectors.leanings_of(t.title, t.description)
    for system_id in leans.systems:
        mine = selectors.signature_of(t.title, t.description, system_id)
        alike = routed.alike(mine, routed=True, since=since, exclude_pk=t.pk, at=t.created_at, on=system_id) if mine.groupable else []
        if alike:
            scores[system_id] = max(score for _, score in alike)
    if scores:
        best = max(scores, key=scores.__getitem__)
        if scores[best] >= QUIET_JOIN_SCORE or (len(scores) == 1 and len(leans.named) > 1):
            return best
    if len(leans.named) > 1 and not scores:
        # A bare name two systems share, neither failing: reports naming it so within minutes are a burst of their
        # own ("收费系统登不上" ×3 while nothing names either 收费云). They are looked at on the system reported
        # more often, the likelier meaning; its owner confirms or dismisses.
        return _oftener(leans.named, t.created_at)
    if leans.systems:
        # Its words name or point to other systems (公众号, "app里报修"): another system's burst is not its outage.
        return None
    if not plain.says_what_fails:
        return None  # a bare "打不开" or "连不上" could belong to any system's outage, or to the reporter's VPN
    # A burst: look-alikes from two reporters at least within the hour, all on one system (one look-alike is a
    # coincidence).
    alike = routed.alike(plain, routed=False, since=since, exclude_pk=t.pk, at=t.created_at)
    needed = 2
    if not (plain.functions or plain.codes or plain.messages):
        # Saying only how it fails ("没声了", "客服消息没人回"), it joins a failure of that kind on one system within
        # minutes of it, and only one: the same symptom an hour away, or on two systems at once, says nothing
        # about which. So close in time, one look-alike is enough to say where; the verdict still wants three
        # reporters before anything is proposed.
        alike = [(r, score) for r, score in alike if abs(r.created_at - t.created_at) <= _COMPANION_SPAN]
        needed = 1
    # Look-alikes that name no system count as reporters of the burst, as long as those that name one agree
    # on the system: two staff write "提交不了" while a third names 物业云 — a burst on 物业云 by the third report.
    systems = {r.system_id for r, _ in alike if r.system_id is not None}
    return systems.pop() if len(systems) == 1 and len({r.reporter_id for r, _ in alike}) >= needed else None


# New reports are grouped by the worker soon after they commit, in one pass for all that arrived since the
# last look (a wake-up per interval and process, not a task per report): those numbered above the last
# look's newest, less a few that may have committed after a higher number did, at most two minutes back.
_NEW_MINUTES = 2
_LATE_COMMITS = 20
_LAST_SEEN = "fankui:grouping-last-seen"
wake_grouping = Wakeup("fankui.incidents.tasks:group_new_reports", 0.5)


def group_new_reports() -> int:
    """The worker's look at reports that arrived since its last look (every worker's, in the shared cache):
    looking again at the last two minutes on every wake-up cost more than all other intake work at a
    few dozen reports a second. A failure is logged, never raised: the periodic pass looks again within
    a minute, over the whole repass window, so a report a look skipped is not missed for good."""
    from fankui.tickets.models import Ticket

    try:
        newest = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        last_seen = cache.get(_LAST_SEEN) or 0
        after = max(0, last_seen - _LATE_COMMITS) if last_seen <= newest else 0
        grouped = regroup_recent(minutes=_NEW_MINUTES, candidates=_CANDIDATES, after_pk=after)
        cache.set(_LAST_SEEN, newest, timeout=3600)
        return grouped
    except Exception:
        log.exception("grouping new reports failed; the worker's periodic pass will retry")
        return 0


def regroup_recent(*, now: datetime.datetime | None = None, minutes: float | None = None, candidates: int = _PASS_CANDIDATES,
                   after_pk: int = 0) -> int:
    """The worker's pass: look again at the last `minutes` (FANKUI_INCIDENT_REPASS_MINUTES) of reports in no
    incident (only those numbered above `after_pk`), each against the `candidates` newest reports of its
    system. Returns how many found one.

    Per system, the window is read once and compared in memory; only a report that now has an open
    incident or enough look-alikes to be 共性 goes through `group_ticket` (and its lock and writes).
    """
    from fankui.tickets.models import Ticket

    now = now or timezone.now()
    since = now - datetime.timedelta(minutes=settings.FANKUI_INCIDENT_REPASS_MINUTES if minutes is None else minutes)
    pending = Ticket.objects.filter(created_at__gte=since, created_at__lte=now, incident_link__isnull=True, pk__gt=after_pk)
    by_system: dict[int | None, list[object]] = {}
    # Only what comparing needs: most pending reports find nothing, and the few that go on to group_ticket
    # read the rest then (a pass over a busy window spent a third of its time building unused objects).
    for ticket in pending.only("pk", "system_id", "reporter_id", "title", "description", "created_at").order_by("created_at"):
        by_system.setdefault(ticket.system_id, []).append(ticket)
    window = datetime.timedelta(hours=window_hours())
    grouped = 0
    if unrouted := by_system.pop(None, []):
        # Reports that name no system join the per-system passes below when they describe one system's burst.
        routed = _burst_window(since - datetime.timedelta(minutes=_BURST_MINUTES), now, limit=candidates)
        for ticket in unrouted:
            if (burst_system := _system_of_burst(ticket, now, routed)) is not None:
                by_system.setdefault(burst_system, []).append(ticket)
    for system_id, tickets in by_system.items():
        with transaction.atomic():
            grouped += _regroup_system(system_id, tickets, now=now, since=now - window, candidates=candidates)
    # A second look where their words lean, for the reports the router placed (not those a burst placed above).
    placed_by_router = [t for system_id, tickets in by_system.items() for t in tickets if t.system_id == system_id]  # type: ignore[attr-defined]
    for system_id, tickets in _misrouted(placed_by_router).items():
        with transaction.atomic():
            grouped += _regroup_system(system_id, tickets, now=now, since=now - window, candidates=candidates)
    return grouped


def _misrouted(tickets: Sequence[object]) -> dict[int, list[object]]:
    """Reports routed to one system, still in no incident, by the other systems their words lean to
    ("业主卡那个钱包重复扣款" went to 业主卡微信公众号 and names 业主钱包): looked at again there, as its reports, where
    an outage under way is the better guess than the router's. The per-system pass decides as for any report."""
    linked = set(IncidentTicket.objects.filter(ticket_id__in=[t.pk for t in tickets]).values_list("ticket_id", flat=True))  # type: ignore[attr-defined]
    again: dict[int, list[object]] = {}
    for t in tickets:
        if t.pk in linked or not selectors.signature_of(t.title, t.description, None).groupable:  # type: ignore[attr-defined]
            continue
        for system_id in selectors.leanings_of(t.title, t.description).systems:  # type: ignore[attr-defined]
            if system_id != t.system_id:  # type: ignore[attr-defined]
                again.setdefault(system_id, []).append(t)
    return again


def _regroup_system(system_id: int, tickets: Sequence[object], *, now: datetime.datetime, since: datetime.datetime, candidates: int) -> int:
    """One system's share of the pass, under its lock: reports whose look-alikes are in an open incident
    join it (written together at the end); one with enough look-alikes proposes a new incident."""
    from fankui.directory.models import System

    System.objects.select_for_update().filter(pk=system_id).first()
    recent = _system_window(system_id, since, now, limit=candidates)
    linked = {r.pk for r in recent.reports if r.incident_id is not None}
    # A report naming no system may have joined another system's incident (not in this window) meanwhile.
    linked |= set(IncidentTicket.objects.filter(ticket_id__in=[t.pk for t in tickets]).values_list("ticket_id", flat=True))  # type: ignore[attr-defined]
    confirmed = Incident.objects.filter(system_id=system_id, state=Incident.State.CONFIRMED).exists()
    joins: list[IncidentTicket] = []
    proposed = 0
    for ticket in tickets:
        if ticket.pk in linked:  # type: ignore[attr-defined]
            continue
        mine = selectors.signature_of(ticket.title, ticket.description, system_id)  # type: ignore[attr-defined]
        if not mine.groupable or _sites_own(mine, ticket.system_id):  # type: ignore[attr-defined]
            continue
        scope = {"routed": _names(ticket, system_id), "since": ticket.created_at - (now - since), "exclude_pk": ticket.pk,  # type: ignore[attr-defined]
                 "at": ticket.created_at}  # type: ignore[attr-defined]
        open_match = recent.open_match(mine, **scope)
        if open_match is None and confirmed and (older := _open_incident_matching(mine, system_id)):
            open_match = (older[0].pk, older[0].state), older[1], older[2]  # an outage that began before the window
        if open_match is not None:
            (incident_id, state), score, via = open_match
            joins.append(IncidentTicket(incident_id=incident_id, ticket_id=ticket.pk, score=round(score, 3), matched_ref=via))  # type: ignore[attr-defined]
            recent.mark({ticket.pk}, incident_id, state)  # type: ignore[attr-defined]
            linked.add(ticket.pk)  # type: ignore[attr-defined]
            continue
        # Reporters counted loosely here (one hop further may add more); group_ticket decides exactly.
        needed = min(min_reporters(), same_region_reporters())
        if not recent.enough_reporters(mine, **scope, reporter=ticket.reporter_id, needed=needed):  # type: ignore[attr-defined]
            continue
        incident = group_ticket(ticket, now=now, recent=recent, system_id=system_id).incident
        if incident is not None:
            proposed += 1
            members = set(IncidentTicket.objects.filter(incident=incident).values_list("ticket_id", flat=True))
            recent.mark(members, incident.pk, incident.state)
            linked |= members
    IncidentTicket.objects.bulk_create(joins)
    return proposed + len(joins)


def _stale_proposal(r: Report, at: datetime.datetime) -> bool:
    """A member of a proposal nobody has confirmed, reported more than _BURST_MINUTES from `at`: what it
    resembles an hour later is a new burst to propose, not this one to grow (a confirmed outage still
    collects its late reports)."""
    return r.incident_state == Incident.State.PROPOSED and abs(r.created_at - at) > _BURST_SPAN


def _best_open(alike: Sequence[tuple[Report, float]], at: datetime.datetime) -> tuple[tuple[int, str], float, str] | None:
    """The open incident the closest look-alikes of a report filed `at` belong to (confirmed before proposed, never a
    stale proposal), without reading it."""
    linked = [(r, score) for r, score in alike
              if r.incident_id is not None and r.incident_state in Incident.OPEN_STATES and not _stale_proposal(r, at)]
    if not linked:
        return None
    best, score = min(linked, key=lambda pair: (pair[0].incident_state != Incident.State.CONFIRMED, -pair[1]))
    return (best.incident_id, best.incident_state), score, best.ref  # type: ignore[return-value]


def _open_incident_among(matches: Sequence[tuple[Report, float]], at: datetime.datetime) -> tuple[Incident, float, str] | None:
    """The open incident the closest look-alikes already belong to (confirmed before proposed)."""
    found = _best_open(matches, at)
    if found is None:
        return None
    (incident_id, _state), score, via = found
    return Incident.objects.select_related("system").get(pk=incident_id), score, via


def _open_incident_matching(mine: Signature, system_id: int) -> tuple[Incident, float, str] | None:
    """A confirmed incident older than the window (no members left in it), matched on its own reports. A
    proposal nobody confirmed and nobody reported within the window is stale: a new burst is a new proposal."""
    found = selectors.match_open_incidents(lambda: mine, system_id, states=[Incident.State.CONFIRMED])
    return (found[0][0], found[0][1], "") if found else None


def _join(t: object, incident: Incident, score: float, via: str) -> Grouping:
    IncidentTicket.objects.create(incident=incident, ticket=t, score=round(score, 3), matched_ref=via)
    notices = [selectors.known_notice(incident.title, incident.eta)] if incident.state == Incident.State.CONFIRMED else []
    return Grouping(incident=incident, notices=notices)


def min_reporters() -> int:
    return settings.FANKUI_INCIDENT_MIN_REPORTERS


def min_regions() -> int:
    return settings.FANKUI_INCIDENT_MIN_REGIONS


def same_region_reporters() -> int:
    return settings.FANKUI_INCIDENT_SAME_REGION_REPORTERS


def _tie(score: float) -> str:
    """What tied a report to the one it was found beside, in the proposal's words: a score no wording reaches
    is the timing of a burst on a quiet system (QUIET_LINK_SCORE), not likeness."""
    return f"相似 {score:.2f}" if _worded(score) else "同一时段报告"


def _also_meant(ticket: object, unlinked: Sequence[tuple[Report, float, str]], system_id: int) -> str:
    """When some reports give only a name another system shares (收费云), which other system they may mean."""
    from fankui.directory.models import System
    from fankui.tickets.models import Ticket

    t: Ticket = ticket  # type: ignore[assignment]
    leans = [selectors.leanings_of(t.title, t.description) if t.system_id is None else selectors.Leans(),
             *(r.leans for r, _, _ in unlinked)]
    others = {n for lean in leans if system_id in lean.named and len(lean.named) > 1 for n in lean.named} - {system_id}
    if not others:
        return ""
    names = "、".join(System.objects.filter(pk__in=others).order_by("name").values_list("name", flat=True))
    return f"部分报告只写了两个系统共用的名称，也可能是{names}的问题。"


def _propose(ticket: object, mine: Signature, unlinked: Sequence[tuple[Report, float, str]], verdict: Verdict, system_id: int) -> Incident:
    from fankui.directory.models import System
    from fankui.tickets.models import Ticket

    t: Ticket = ticket  # type: ignore[assignment]
    system = System.objects.get(pk=system_id)
    times = [t.created_at, *(r.created_at for r, _, _ in unlinked)]
    minutes = max(1, round((max(times) - min(times)).total_seconds() / 60))
    what = describe([mine, *(r.signature for r, _, _ in unlinked)])
    regions = "、".join(verdict.regions) or "未分大区"
    refs = "；".join(f"{r.ref}（{r.region or '未分大区'}，与 {via} {_tie(score)}）" for r, score, via in unlinked[:10])
    reason = (
        f"{verdict.reporters} 位报告人、{len(verdict.regions)} 个大区（{regions}）、{minutes} 分钟内报告{system.name} {what}："
        f"新报告 {t.ref}，相似的报告 {refs}。{_also_meant(t, unlinked, system_id)}"
    )
    incident = Incident.objects.create(system=system, title=t.title[:80], reason=reason)
    IncidentTicket.objects.create(incident=incident, ticket=t, score=1.0)
    IncidentTicket.objects.bulk_create(
        [IncidentTicket(incident=incident, ticket_id=r.pk, score=round(score, 3), matched_ref=via) for r, score, via in unlinked]
    )
    IncidentUpdate.objects.create(incident=incident, kind=IncidentUpdate.Kind.PROPOSED, body=reason)
    members = list(Ticket.objects.filter(incident_link__incident=incident).select_related("region").order_by("created_at"))
    # Named after the first report: the one the others were found to resemble.
    incident.title = f"{system.name}：{members[0].title[:80]}"[:200]
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


def require_state(incident: Incident, *states: str) -> None:
    if incident.state not in states:
        raise IncidentError("incident_state", f"该共性问题当前为“{in_site_language(Incident.State(incident.state).label)}”，不能执行此操作。")


def locked(incident: Incident) -> Incident:
    return Incident.objects.select_for_update(of=("self",)).select_related("system__department").get(pk=incident.pk)


def masked(text: str) -> str:
    """Staff text that every linked reporter will read: a credential typed into it never goes out."""
    return mask_secrets(text).text


@transaction.atomic
def dismiss_incident(*, incident: Incident, by: AbstractBaseUser, reason: str = "") -> Incident:
    """个性 after all: the tickets stay individual. They stay linked, so they are not proposed again."""
    incident = locked(incident)
    require_state(incident, Incident.State.PROPOSED, Incident.State.CONFIRMED)
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
    target, source = locked(target), locked(source)
    require_state(target, *Incident.OPEN_STATES)
    require_state(source, *Incident.OPEN_STATES)
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
    incident = locked(incident)
    require_state(incident, *Incident.OPEN_STATES)
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


def audience(incident: Incident) -> dict[int, tuple[AbstractBaseUser, object | None]]:
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
    incident = locked(incident)
    require_state(incident, Incident.State.CONFIRMED)
    if eta is not None:
        incident.eta = eta
        incident.save(update_fields=["eta", "updated_at"])
    update = IncidentUpdate.objects.create(incident=incident, kind=IncidentUpdate.Kind.UPDATE, actor=by, body=body, public=True)
    when = f"\n\n预计恢复：{selectors.format_eta(incident.eta)}" if incident.eta else ""
    tell_audience(incident, event=f"update:{update.pk}", subject=f"{incident.title} 有新进展", body=f"{body}{when}")
    return update


def tell_audience(incident: Incident, *, event: str, subject: str, body: str, skip: Collection[int] = ()) -> None:
    """One incident notice per linked reporter and follower (but those in `skip`), on each of their channels;
    the dedup key `incident:{id}:{event}:{user}` makes a retried call tell nobody twice."""
    for user_id, (user, ticket) in audience(incident).items():
        if user_id in skip:
            continue
        notify_user(
            user,
            kind=Notice.Kind.INCIDENT,
            ticket=ticket,
            dedup_key=f"incident:{incident.pk}:{event}:{user_id}",
            subject=f"[共性问题 #{incident.pk}] {subject}"[:200],
            body=body,
        )


@transaction.atomic
def follow_incident(*, incident: Incident, user: AbstractBaseUser) -> bool:
    """Follow a confirmed incident instead of filing; return False if already following."""
    incident = Incident.objects.get(pk=incident.pk)
    if incident.state != Incident.State.CONFIRMED:
        raise IncidentError("incident_state", "只能关注正在处理中的共性问题。")
    _, created = IncidentFollower.objects.get_or_create(incident=incident, user=user)
    return created


@transaction.atomic
def link_ticket(*, incident: Incident, ticket: object, by: AbstractBaseUser) -> IncidentTicket:
    """A handler puts a report into an open incident by hand; both timelines say so."""
    from fankui.tickets.models import TicketEvent

    incident = locked(incident)
    require_state(incident, *Incident.OPEN_STATES)
    existing = IncidentTicket.objects.filter(ticket=ticket).first()
    if existing is not None:
        if existing.incident_id == incident.pk:
            raise IncidentError("already_linked", f"已在共性问题 #{incident.pk} 中。")
        raise IncidentError("linked_elsewhere", f"已属于共性问题 #{existing.incident_id}，请先从那里拆分。")
    link = IncidentTicket.objects.create(incident=incident, ticket=ticket)
    ref = getattr(ticket, "ref", "")
    TicketEvent.objects.create(
        ticket=ticket, kind=TicketEvent.Kind.NOTE, actor=by, public=False, body=f"归入共性问题 #{incident.pk}：{incident.title}", data={"incident": incident.pk}
    )
    IncidentUpdate.objects.create(incident=incident, kind=IncidentUpdate.Kind.UPDATE, actor=by, body=f"手动归入 {ref}")
    return link
