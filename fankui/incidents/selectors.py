"""Reads of incidents, filtered by who is asking, and the known-problem lookup used at intake."""
from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from fankui.accounts.models import Profile
from fankui.accounts.selectors import person_of, profile_of, role_of
from fankui.core.dates import show
from fankui.core.process_cache import ProcessCache
from fankui.directory.models import Person, Region, System
from fankui.directory.selectors import acting_person, match_system, normalize, people_acting_as
from fankui.routing.selectors import get_index
from fankui.routing.services import leaning_systems
from fankui.routing.text import normalize_text
from fankui.incidents.symptoms import LINK_SCORE, Signature, same_problem, signature
from fankui.incidents.models import Incident, IncidentTicket

STAFF_ROLES = {Profile.Role.CONSULTANT, Profile.Role.OWNER, Profile.Role.ADMIN}
PUBLIC_STATES = (Incident.State.CONFIRMED, Incident.State.RESOLVED)
T = TypeVar("T")


class IncidentNotFound(Exception):
    """Missing or not yours: the caller cannot tell which."""


# A signature and a leaning are pure functions of a report's text and the directory: memoised per process,
# keyed by the text itself (never by id: a rolled-back ticket's id is reused on SQLite) and by the directory's
# version, so every process and server reads a directory edit the same way once its stamp moves (the
# router's own agreement, fankui.routing.selectors).
_SIGNATURES: dict[tuple[str, str, int | None, tuple[object, ...]], Signature] = {}
_SIGNATURES_MAX = 50_000


def _memo(table: dict[tuple[object, ...], T], key: tuple[object, ...], compute: Callable[[], T]) -> T:
    found = table.get(key)
    if found is None:
        if len(table) >= _SIGNATURES_MAX:
            table.clear()
        found = table[key] = compute()
    return found


def signature_of(title: str, description: str, system_id: int | None) -> Signature:
    """What a report says is wrong (fankui.incidents.symptoms), with its system's own names left out."""
    index = get_index()

    def read() -> Signature:
        text = _report_text(title, description)
        words = _system_words(system_id, index.version)
        return signature(text, strip=words.names, own=words.own, tokens=index.segmenter.tokens)

    return _memo(_SIGNATURES, (title, description, system_id, index.version), read)


@dataclass(frozen=True)
class Leans:
    """`fankui.routing.services.Leaning` by system id."""

    named: tuple[int, ...] = ()
    systems: tuple[int, ...] = ()  # the named ones, else the guessed ones


_LEANINGS: dict[tuple[str, str, tuple[object, ...]], Leans] = {}


def leanings_of(title: str, description: str) -> Leans:
    """The systems a report that names none may be about, by id, likeliest first. Memoised like signatures:
    the worker's pass reads the same unrouted reports every minute."""
    version = get_index().version

    def lean() -> Leans:
        ids = _system_ids(version)
        leaning = leaning_systems(_report_text(title, description))
        return Leans(tuple(ids[n] for n in leaning.named if n in ids), tuple(ids[n] for n in leaning.systems if n in ids))

    return _memo(_LEANINGS, (title, description, version), lean)


def _report_text(title: str, description: str) -> str:
    """The title and the description as one text, the title left out when the description begins with it."""
    return description if not title.strip() or description.strip().startswith(title.strip()) else f"{title}\n{description}"


@functools.lru_cache(maxsize=8)
def _system_ids(directory_version: tuple[object, ...]) -> dict[str, int]:
    return dict(System.objects.values_list("name", "pk"))


class SystemWords(NamedTuple):
    names: tuple[str, ...]  # its name and aliases, normalized, longest first: left out of what a report says
    own: tuple[str, ...]  # its own words in the routing lexicon (`Lexicon.own_words`): a report using one names it


@functools.lru_cache(maxsize=256)
def _system_words(system_id: int | None, directory_version: tuple[object, ...]) -> SystemWords:
    """A system's words as grouping reads them; read again whenever the directory changes."""
    if system_id is None:
        return SystemWords((), ())
    row = System.objects.filter(pk=system_id).values_list("name", "aliases").first()
    if row is None:
        return SystemWords((), ())
    names = {normalize_text(n).strip() for n in [row[0], *(a for a in (row[1] or []) if isinstance(a, str))]}
    return SystemWords(tuple(sorted((n for n in names if n), key=len, reverse=True)), get_index().lexicon.own_words.get(row[0], ()))


def is_staff_user(user: AbstractBaseUser | AnonymousUser) -> bool:
    return role_of(user) in STAFF_ROLES


# -- who answers for an incident -------------------------------------------------------------


def raw_owners_of(system: System | None) -> list[Person]:
    """The system's contacts as the directory names them: its topic owners, else its department's contact."""
    if system is None:
        return []
    people = [r.person for r in system.responsibilities.select_related("person") if r.person is not None]
    if not people and system.department.contact is not None:
        people = [system.department.contact]
    return list({p.pk: p for p in people}.values())


def raw_consultants_for(incident: Incident) -> list[Person]:
    """The consultants of the regions the incident's tickets came from, plus the tickets' own."""
    tickets = list(IncidentTicket.objects.filter(incident=incident).values_list("ticket__region_id", "ticket__consultant_id"))
    person_ids = {c for _, c in tickets if c}
    region_ids = {r for r, _ in tickets if r}
    person_ids |= set(Region.objects.filter(pk__in=region_ids, consultant__isnull=False).values_list("consultant_id", flat=True))
    return list(Person.objects.filter(pk__in=person_ids).order_by("name"))


def _acting(people: Sequence[Person]) -> list[Person]:
    today = timezone.localdate()
    seen: dict[int, Person] = {}
    for person in people:
        acting = acting_person(person, today)
        seen.setdefault(acting.pk, acting)
    return list(seen.values())


def owners_of(system: System | None) -> list[Person]:
    """Who hears about the system's incidents today (a deputy while the owner is away)."""
    return _acting(raw_owners_of(system))


def consultants_for(incident: Incident) -> list[Person]:
    """The consultants concerned, as they act today."""
    return _acting(raw_consultants_for(incident))


def can_manage(user: AbstractBaseUser | AnonymousUser, incident: Incident) -> bool:
    """Confirm, merge, split, dismiss, update, resolve: admins, the system's owner, the consultants concerned
    (or whoever deputises for one of them today)."""
    role = role_of(user)
    if role == Profile.Role.ADMIN:
        return True
    if role not in {Profile.Role.CONSULTANT, Profile.Role.OWNER}:
        return False
    person = person_of(user)  # type: ignore[arg-type]
    if person is None:
        return False
    mine = {p.pk for p in people_acting_as(person, timezone.localdate())}
    concerned = {p.pk for p in raw_owners_of(incident.system)} | {p.pk for p in raw_consultants_for(incident)}
    return bool(mine & concerned)


# -- reads -----------------------------------------------------------------------------------


def visible_incidents(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Incident]:
    """Staff see every incident; a reporter the ones their reports are in and the confirmed ones they follow."""
    incidents = Incident.objects.select_related("system")
    role = role_of(user)
    if role is None:
        return incidents.none()
    if role in STAFF_ROLES:
        return incidents
    # A reporter sees a suspected common problem their own report is in as soon as it is proposed (under a
    # neutral title, `title_for`); what they merely follow, only once staff confirmed it.
    filed = Q(links__ticket__reporter=user, state__in=[*PUBLIC_STATES, Incident.State.PROPOSED])
    return incidents.filter(filed | Q(followers__user=user, state__in=PUBLIC_STATES)).distinct()


def title_for(incident: Incident, user: AbstractBaseUser | AnonymousUser) -> str:
    """The incident's title, or for a reporter while it is only proposed a neutral one: the proposal's title
    is another reporter's words, and nothing is confirmed yet."""
    if incident.state != Incident.State.PROPOSED or is_staff_user(user):
        return incident.title
    system = incident.system.name if incident.system else gettext("系统")
    return gettext("正在核实：%(system)s 是否出现了共性问题") % {"system": system}


def get_incident_for(user: AbstractBaseUser | AnonymousUser, incident_id: int) -> Incident:
    incident = visible_incidents(user).filter(pk=incident_id).first()
    if incident is None:
        raise IncidentNotFound(incident_id)
    return incident


def followable_incident(user: AbstractBaseUser | AnonymousUser, incident_id: int) -> Incident:
    """Any logged-in reporter may follow a confirmed incident they were shown at intake."""
    if role_of(user) is None:
        raise IncidentNotFound(incident_id)
    incident = Incident.objects.select_related("system").filter(pk=incident_id, state=Incident.State.CONFIRMED).first()
    if incident is None:
        raise IncidentNotFound(incident_id)
    return incident


def with_members(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    """Prefetch what the list and status page show, in a fixed number of queries."""
    links = IncidentTicket.objects.select_related("ticket__region").order_by("ticket__created_at", "id")
    return incidents.prefetch_related(Prefetch("links", queryset=links)).annotate(follower_count=Count("followers", distinct=True))


def incident_id_for(ticket: object) -> int | None:
    """The incident a ticket belongs to, from the moment it is proposed (the ticket API shows it)."""
    pk = getattr(ticket, "pk", None)
    if pk is None:
        return None
    states = [*PUBLIC_STATES, Incident.State.PROPOSED]
    return IncidentTicket.objects.filter(ticket_id=pk, incident__state__in=states).values_list("incident_id", flat=True).first()


def is_public_reader(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Who may read the status page: staff logins, and 业主 reporters when the setting allows."""
    if role_of(user) is None:
        return False
    profile = profile_of(user)  # type: ignore[arg-type]
    if profile is None or profile.kind == Profile.Kind.STAFF:
        return True
    return settings.FANKUI_INCIDENT_STATUS_FOR_OWNERS


def shows_personal_data(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Ticket refs, regions and counts of reporters are for staff; 业主 see the public summary only."""
    profile = profile_of(user) if user.is_authenticated else None  # type: ignore[arg-type]
    return user.is_authenticated and (profile is None or profile.kind == Profile.Kind.STAFF)


def status_board(now: datetime.datetime | None = None) -> dict[str, list[Incident]]:
    """Open and recently resolved incidents, by system name, for the status page."""
    now = now or timezone.now()
    recent = now - datetime.timedelta(days=settings.FANKUI_INCIDENT_RECENT_DAYS)
    shown = Q(state__in=Incident.OPEN_STATES) | Q(state=Incident.State.RESOLVED, resolved_at__gte=recent)
    board: dict[str, list[Incident]] = {}
    for incident in with_members(Incident.objects.select_related("system").filter(shown).order_by("-created_at")):
        board.setdefault(incident.system.name if incident.system else gettext("未识别系统"), []).append(incident)
    return board


# -- the known-problem lookup ----------------------------------------------------------------


@dataclass(frozen=True)
class KnownIncident:
    id: int
    title: str
    system: str | None
    summary: str
    eta: datetime.datetime | None
    score: float
    reports: int
    followers: int

    @property
    def notice(self) -> str:
        return known_notice(self.title, self.eta)

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "system": self.system,
            "summary": self.summary,
            "eta": self.eta.isoformat() if self.eta else None,
            "score": round(self.score, 3),
            "reports": self.reports,
            "followers": self.followers,
            "notice": self.notice,
        }


def format_eta(eta: datetime.datetime | None) -> str:
    """Chinese convention, Asia/Shanghai: 5月3日 14:00 (the date is dropped when it is today).

    Always Chinese: it goes into text stored at event time (notification bodies). Pages use `display_eta`.
    """
    if eta is None:
        return "恢复时间待定"
    local = timezone.localtime(eta)
    if local.date() == timezone.localdate():
        return f"今天 {local:%H:%M}"
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def display_eta(eta: datetime.datetime | None) -> str:
    """`format_eta` in the current language: 5月3日 14:00 in Chinese, 05-03 14:00 in English."""
    if eta is None:
        return gettext("恢复时间待定")
    local = timezone.localtime(eta)
    if local.date() == timezone.localdate():
        return gettext("今天 %(time)s") % {"time": f"{local:%H:%M}"}
    return show(local, "month_day_time")


def known_notice(title: str, eta: datetime.datetime | None) -> str:
    """What a reporter is told when their report matches a confirmed incident (shown, never stored)."""
    if eta:
        return gettext("已知问题：%(title)s 正在处理，预计 %(eta)s 恢复。可关注该问题，解决后会通知您。") % {"title": title, "eta": display_eta(eta)}
    return gettext("已知问题：%(title)s 正在处理，预计恢复时间待定。可关注该问题，解决后会通知您。") % {"title": title}


def known_notice_for(title: str, description: str, system_id: int | None) -> str | None:
    """The known-issue notice for a report that describes a confirmed incident, or None."""
    matches = match_open_incidents(functools.partial(signature_of, title, description, system_id), system_id, states=[Incident.State.CONFIRMED])
    return known_notice(matches[0][0].title, matches[0][0].eta) if matches else None


_INCIDENTS = 20
_MEMBERS_PER_INCIDENT = 4


def _open_states_by_system() -> frozenset[tuple[int, str]]:
    return frozenset(Incident.objects.filter(state__in=Incident.OPEN_STATES, system__isnull=False)
                     .values_list("system_id", "state").distinct().order_by())


# Every report on a known system asks whether an incident is open there (an app's reports always name
# their system), and the answer is almost always no: one shared-cache read instead of a query. Incidents
# change only through save(), which moves the stamp for every process and server when it commits.
_open_on = ProcessCache(_open_states_by_system, ttl=60.0, models=["incidents.Incident"], shared_stamp="fankui:incidents-changed")


def match_open_incidents(describe: Callable[[], Signature], system_id: int | None, *, states: Sequence[str]) -> list[tuple[Incident, float]]:
    """Open incidents on this system whose recent member reports describe the same problem, best first.

    Compares against the 20 newest incidents, at most 4 recent members each, so the cost stays bounded
    however large an outage grows; one query for the incidents, one for members. `describe` gives the
    report's signature; it is called only when there is an incident to compare with, since segmenting
    the text is most of the cost and most reports arrive while nothing is open on their system.
    """
    if system_id is None or not any((system_id, state) in _open_on.get() for state in states):
        return []
    incidents = list(Incident.objects.select_related("system").filter(state__in=states, system_id=system_id).order_by("-created_at")[:_INCIDENTS])
    if not incidents:
        return []
    by_id = {i.pk: i for i in incidents}
    mine = describe()
    counts: dict[int, int] = {}
    best: dict[int, float] = {}
    members = (
        IncidentTicket.objects.filter(incident_id__in=by_id)
        .order_by("-id")
        .values_list("incident_id", "ticket__title", "ticket__description")[: _INCIDENTS * _MEMBERS_PER_INCIDENT * 3]
    )
    for incident_id, title, description in members:
        if counts.get(incident_id, 0) >= _MEMBERS_PER_INCIDENT:
            continue
        counts[incident_id] = counts.get(incident_id, 0) + 1
        score = same_problem(mine, signature_of(title, description, system_id))
        best[incident_id] = max(best.get(incident_id, 0.0), score)
    out = [(by_id[incident_id], score) for incident_id, score in best.items() if score >= LINK_SCORE]
    out.sort(key=lambda pair: (pair[0].state != Incident.State.CONFIRMED, -pair[1]))
    return out


def known_incidents_for(text: str, system: System | str | int | None = None, region: Region | str | None = None) -> list[KnownIncident]:
    """Confirmed incidents a reporter typing `text` is probably hitting, for the intake form.

    `system` may be a System, its id or name; when absent it is read from the text's aliases.
    `region` does not narrow anything (a common problem spans regions); it is accepted so callers
    can pass what they have.
    """
    system_obj = _system_from(system, text)
    system_id = system_obj.pk if system_obj else None
    matches = match_open_incidents(functools.partial(signature_of, "", text, system_id), system_id, states=[Incident.State.CONFIRMED])
    if not matches:
        return []
    ids = [incident.pk for incident, _ in matches]
    stats = {
        row["pk"]: row
        for row in Incident.objects.filter(pk__in=ids)
        .annotate(reports=Count("links", distinct=True), follower_count=Count("followers", distinct=True))
        .values("pk", "reports", "follower_count")
    }
    return [
        KnownIncident(
            id=incident.pk,
            title=incident.title,
            system=incident.system.name if incident.system else None,
            summary=incident.summary,
            eta=incident.eta,
            score=score,
            reports=stats[incident.pk]["reports"],
            followers=stats[incident.pk]["follower_count"],
        )
        for incident, score in matches
    ]


def _system_from(system: System | str | int | None, text: str) -> System | None:
    if isinstance(system, System):
        return system
    if isinstance(system, int) or (isinstance(system, str) and system.isdigit()):
        return System.objects.filter(pk=int(system)).first()
    if isinstance(system, str) and system.strip():
        return System.objects.filter(name=system.strip()).first() or match_system(normalize(system), list(System.objects.all()))
    return match_system(normalize(text), list(System.objects.all())) if text else None
