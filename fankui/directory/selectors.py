"""Reads of the directory, above all "who do I contact?" (联系谁)."""
from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone

from fankui.core.process_cache import ProcessCache
from fankui.directory.models import Absence, Department, Person, Region, Responsibility, System


def normalize(text: str) -> str:
    """Fold full-width forms and case, so ＥＡＳ, Eas and eas are one word."""
    return unicodedata.normalize("NFKC", text).lower().strip()


def find_term(text: str, term: str) -> int:
    """Return where `term` occurs in normalized `text`, or -1.

    A Latin term must stand alone ("im" is not found in "sim卡"), a Chinese one may sit anywhere.
    """
    at = text.find(term) if term else -1
    if at < 0 or not term.isascii():
        return at
    match = standalone_pattern(term).search(text, at)
    return match.start() if match else -1


@lru_cache(maxsize=4096)
def standalone_pattern(term: str) -> re.Pattern[str]:
    """A Latin term that no letter or digit touches on either side."""
    return re.compile(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])")


@dataclass(frozen=True)
class ContactCard:
    name: str
    topic: str | None
    phone: str | None
    email: str | None
    wechat: str | None = None
    note: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"name": self.name, "topic": self.topic, "phone": self.phone, "email": self.email}


@dataclass(frozen=True)
class ConsultantCard:
    name: str
    region: str
    phone: str
    email: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "region": self.region, "phone": self.phone, "email": self.email}


@dataclass(frozen=True)
class ContactPath:
    """The escalation path: the reporter's consultant first, then the contacts for the problem."""

    query: str
    system: System | None
    contacts: Sequence[ContactCard]
    consultant: ConsultantCard | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "system": {"name": self.system.name, "department": self.system.department.name} if self.system else None,
            "contacts": [card.as_dict() for card in self.contacts],
            "consultant": self.consultant.as_dict() if self.consultant else None,
        }


def person_card(person: Person, topic: str | None) -> ContactCard:
    return ContactCard(
        name=person.name,
        topic=topic or None,
        phone=person.phone or None,
        email=person.email or None,
        wechat=person.wechat or None,
        note=person.note or None,
    )


def responsibility_card(resp: Responsibility) -> ContactCard:
    if resp.person is not None:
        return person_card(resp.person, resp.topic)
    return ContactCard(name=resp.role, topic=resp.topic or None, phone=None, email=None)


def department_cards(department: Department) -> list[ContactCard]:
    """A department's own contact: its named person, else its team mailbox, else nobody."""
    if department.contact is not None:
        return [person_card(department.contact, None)]
    if department.mailbox:
        return [ContactCard(name=department.mailbox, topic=None, phone=None, email=department.mailbox, note=department.mailbox_label or None)]
    return []


def consultant_for(region: str | None) -> ConsultantCard | None:
    if not region:
        return None
    found = Region.objects.select_related("consultant").filter(Q(name=region.strip()) | Q(code=normalize(region))).first()
    if found is None or found.consultant is None:
        return None
    person = found.consultant
    return ConsultantCard(name=person.name, region=found.name, phone=person.phone, email=person.email)


def systems_with_contacts() -> list[System]:
    responsibilities = Responsibility.objects.select_related("person").order_by("position", "id")
    return list(
        System.objects.select_related("department__contact").prefetch_related(Prefetch("responsibilities", queryset=responsibilities))
    )


def match_system(text: str, systems: Sequence[System]) -> System | None:
    """The system whose longest name or alias occurs in the text (EAS-HR beats EAS)."""
    best: tuple[int, int, System] | None = None
    for system in systems:
        for term in {normalize(system.name), *(normalize(alias) for alias in system.aliases)}:
            at = find_term(text, term)
            if at >= 0 and (best is None or (len(term), -at) > (best[0], best[1])):
                best = (len(term), -at, system)
    return best[2] if best else None


def match_topic(text: str, responsibilities: Sequence[Responsibility]) -> Responsibility | None:
    """The responsibility whose topic or keywords occur in the text, most specific first."""
    best: tuple[int, Responsibility] | None = None
    for resp in responsibilities:
        terms = [normalize(resp.topic), *(normalize(word) for word in resp.keywords)]
        score = sum(len(term) for term in terms if find_term(text, term) >= 0)
        if score and (best is None or score > best[0]):
            best = (score, resp)
    return best[1] if best else None


def who_to_contact(query: str, *, region: str | None = None, topic: str | None = None) -> ContactPath:
    """Answer 联系谁 for a system, alias or problem area, from a region."""
    text = normalize(query)
    topic_text = normalize(topic) if topic else text
    consultant = consultant_for(region)
    system = match_system(text, systems_with_contacts())
    if system is None:
        standalone = Responsibility.objects.filter(system__isnull=True).select_related("person")
        resp = match_topic(topic_text, list(standalone))
        if resp is not None:
            return ContactPath(query, None, [responsibility_card(resp)], consultant)
        department = next((d for d in Department.objects.select_related("contact") if normalize(d.name) in text), None)
        contacts = department_cards(department) if department else []
        return ContactPath(query, None, contacts, consultant)
    owned = list(system.responsibilities.all())
    if not owned:
        return ContactPath(query, system, department_cards(system.department), consultant)
    resp = match_topic(topic_text, owned)
    contacts = [responsibility_card(resp)] if resp else [responsibility_card(r) for r in owned]
    return ContactPath(query, system, contacts, consultant)


def primary_contact(system: System, text: str = "") -> ContactCard | None:
    """The one contact to escalate to: the topic's owner, else the system's first topic, else the department."""
    owned = list(system.responsibilities.all())
    if owned:
        return responsibility_card(match_topic(normalize(text), owned) or owned[0])
    cards = department_cards(system.department)
    return cards[0] if cards else None


def directory_by_region() -> list[Region]:
    return list(Region.objects.select_related("consultant"))


def directory_by_department() -> list[Department]:
    systems = System.objects.prefetch_related(
        Prefetch("responsibilities", queryset=Responsibility.objects.select_related("person"))
    )
    return list(Department.objects.select_related("contact").prefetch_related(Prefetch("systems", queryset=systems)))


def standalone_topics() -> list[Responsibility]:
    return list(Responsibility.objects.filter(system__isnull=True).select_related("person"))


def _deputies_today() -> tuple[datetime.date, dict[int, int]]:
    day = timezone.localdate()
    return day, _deputies_on(day)


def _deputies_on(day: datetime.date) -> dict[int, int]:
    away = Absence.objects.filter(starts_on__lte=day, ends_on__gte=day).order_by("starts_on")
    return dict(away.values_list("person_id", "deputy_id"))


# Asked on every intake and every queue page: who is away today and who deputises (a small table).
_deputies = ProcessCache(_deputies_today, ttl=1.0, models=["directory.Absence"])


def _deputy_map(day: datetime.date) -> dict[int, int]:
    cached_day, deputies = _deputies.get()
    return deputies if cached_day == day else _deputies_on(day)


def acting_person(person: Person, day: datetime.date) -> Person:
    """Who acts for `person` on `day`: the deputy while they are away (one hop, so no cycles)."""
    deputy_id = _deputy_map(day).get(person.pk)
    return Person.objects.get(pk=deputy_id) if deputy_id else person


def people_acting_as(person: Person, day: datetime.date) -> list[Person]:
    """Everyone whose work `person` does on `day`: themself and those they deputise for."""
    absent = [away for away, deputy in _deputy_map(day).items() if deputy == person.pk]
    return [person, *Person.objects.filter(pk__in=absent)] if absent else [person]


class RegionIndex:
    """Find a 大区 by what a staff list or a directory server calls it: 华南, 华南大区 or huanan.

    Built once (one query) so an import of thousands of rows looks regions up without querying again.
    """

    def __init__(self) -> None:
        self._by_key: dict[str, Region] = {}
        for region in Region.objects.all():
            self._by_key[region.name] = region
            self._by_key[region.code.lower()] = region

    def find(self, value: str) -> Region | None:
        key = value.strip()
        return self._by_key.get(key) or self._by_key.get(key.removesuffix("大区")) or self._by_key.get(key.lower())
