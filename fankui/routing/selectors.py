"""The directory as the router sees it: an in-memory index, rebuilt when the directory changes.

Two ways of noticing a change, because fankui runs several processes (web workers, the mail intake):
- in this process, a post_save/post_delete signal bumps `_LOCAL_VERSION` (see apps.py), so an alias added
  in the admin or through the ORM is routed by the very next call;
- other processes compare a cheap database stamp (max ids and counts, DirectoryChange's latest row) at most
  once per `STAMP_TTL` seconds.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from django.db.models import Count, Max

from fankui.core.process_cache import recheck_on_clear
from fankui.directory.models import DirectoryChange, Region, Responsibility, System
from fankui.directory.selectors import department_cards, directory_by_region, responsibility_card, systems_with_contacts
from fankui.routing.classifier import TextModel
from fankui.routing.text import Lexicon, Segmenter, SystemTerms, TopicTerms, normalize_text, with_pinyin

LEXICON_FILE = Path(__file__).resolve().parent / "data" / "lexicon.yaml"
STAMP_TTL = 1.0


@dataclass(frozen=True)
class TopicEntry:
    terms: TopicTerms
    contact: str | None


@dataclass(frozen=True)
class SystemEntry:
    name: str
    department: str
    topics: tuple[TopicEntry, ...]
    fallback_contact: str | None  # the first responsibility's person, else the department's person or mailbox


@dataclass(frozen=True)
class DirectoryIndex:
    version: tuple[Any, ...]
    lexicon: Lexicon
    systems: dict[str, SystemEntry]
    standalone: dict[str, str | None]  # standalone topic (UV数统计) → person
    consultants: dict[str, str]  # region name or code → consultant name
    topic_words: tuple[str, ...] = ()  # standalone topics' keywords (联盟购, uv数): also dictionary words

    def consultant(self, region: str | None) -> str | None:
        if not region:
            return None
        key = region.strip()
        return self.consultants.get(key) or self.consultants.get(normalize_text(key))

    @cached_property
    def segmenter(self) -> Segmenter:
        return Segmenter(self.lexicon.words() | set(self.topic_words))


def load_lexicon_file(path: Path = LEXICON_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle) or {}
    return data


def build_index(version: tuple[Any, ...] = ()) -> DirectoryIndex:
    """Read the directory (4 queries) and merge in the router's own lexicon."""
    extra = load_lexicon_file()
    extra_systems: dict[str, Any] = extra.get("systems") or {}
    extra_topics: dict[str, Any] = extra.get("topics") or {}
    terms: list[SystemTerms] = []
    entries: dict[str, SystemEntry] = {}
    for system in systems_with_contacts():
        words: dict[str, Any] = extra_systems.get(system.name) or {}
        aliases = _words([system.name, *system.aliases, *(words.get("aliases") or [])])
        hints = _words(words.get("hints") or [])
        resps = list(system.responsibilities.all())
        topic_entries = tuple(
            TopicEntry(
                TopicTerms(
                    resp.topic,
                    _words([resp.topic, *resp.keywords, *((words.get("topics") or {}).get(resp.topic) or []),
                            *((extra_topics.get(system.name) or {}).get(resp.topic) or [])]),
                ),
                responsibility_card(resp).name or None,
            )
            for resp in resps
        )
        if resps:
            fallback = responsibility_card(resps[0]).name or None
        else:
            cards = department_cards(system.department)
            fallback = cards[0].name if cards else None
        everyday = tuple(word for word in _words(words.get("everyday") or []) if word in aliases and word != normalize_text(system.name))
        terms.append(SystemTerms(system.name, aliases, hints, tuple(t.terms for t in topic_entries), everyday))
        entries[system.name] = SystemEntry(system.name, system.department.name, topic_entries, fallback)
    standalone_resps = list(Responsibility.objects.filter(system__isnull=True).select_related("person"))
    standalone = {resp.topic: (resp.person.name if resp.person else None) for resp in standalone_resps}
    topic_words = _words([word for resp in standalone_resps for word in [resp.topic, *resp.keywords]])
    consultants: dict[str, str] = {}
    for region in directory_by_region():
        if region.consultant is not None:
            consultants[region.name] = region.consultant.name
            consultants[region.code] = region.consultant.name
    return DirectoryIndex(version, Lexicon(with_pinyin(terms)), entries, standalone, consultants, topic_words)


def _words(raw: list[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for word in raw:
        word = normalize_text(str(word))
        if word:
            seen.setdefault(word, None)
    return tuple(seen)


# --------------------------------------------------------------------------------------------
# Caching

_LOCAL_VERSION = 0
_lock = threading.Lock()
_cache: dict[str, Any] = {"index": None, "stamp": None, "checked": 0.0, "local": -1}


def bump_version(**_: Any) -> None:
    """Signal receiver: the directory changed in this process."""
    global _LOCAL_VERSION
    _LOCAL_VERSION += 1


def local_version() -> int:
    return _LOCAL_VERSION


def directory_stamp() -> tuple[Any, ...]:
    """A cheap fingerprint of the directory that changes with any import, admin edit or ORM write."""
    changes = DirectoryChange.objects.aggregate(last=Max("id"))
    systems = System.objects.aggregate(n=Count("id"), last=Max("id"))
    resps = Responsibility.objects.aggregate(n=Count("id"), last=Max("id"))
    regions = Region.objects.aggregate(n=Count("id"), last=Max("id"))
    return (changes["last"], systems["n"], systems["last"], resps["n"], resps["last"], regions["n"], regions["last"])


def get_index() -> DirectoryIndex:
    """The current index; rebuilt when a signal fired here or the database stamp moved."""
    now = time.monotonic()
    index: DirectoryIndex | None = _cache["index"]
    if index is not None and _cache["local"] == _LOCAL_VERSION and now - _cache["checked"] < STAMP_TTL:
        return index
    with _lock:
        stamp = directory_stamp()
        if index is None or _cache["local"] != _LOCAL_VERSION or stamp != _cache["stamp"]:
            local = _LOCAL_VERSION
            index = build_index(version=(local, *stamp))
            _cache.update(index=index, stamp=stamp, local=local)
        _cache["checked"] = time.monotonic()
        return index


def clear_cache() -> None:
    _cache.update(index=None, stamp=None, checked=0.0, local=-1)


# A rolled-back change sends no signal: what was built inside it must be compared with the stamp again.
recheck_on_clear(lambda: _cache.update(checked=0.0))
recheck_on_clear(lambda: _model_cache.update(checked=0.0))  # defined below; called only later


# --------------------------------------------------------------------------------------------
# The learned model: the active TrainingRun's, else one trained in memory from the shipped examples.

_model_cache: dict[str, Any] = {"model": None, "run": None, "checked": 0.0}


def active_run_id() -> int | None:
    from fankui.routing.models import TrainingRun

    return TrainingRun.objects.filter(is_active=True).values_list("id", flat=True).first()


def get_model() -> TextModel:
    """The model to route with. A fresh install has no training run yet, so it trains in memory
    (well under a second on the shipped examples) instead of refusing to route."""
    from fankui.routing.examples import training_examples
    from fankui.routing.models import TrainingRun

    now = time.monotonic()
    model: TextModel | None = _model_cache["model"]
    if model is not None and now - _model_cache["checked"] < STAMP_TTL:
        return model
    with _lock:
        run_id = active_run_id()
        if model is None or run_id != _model_cache["run"]:
            blob = TrainingRun.objects.filter(id=run_id).values_list("model", flat=True).first() if run_id else None
            if blob:
                model = TextModel.loads(bytes(blob))
            else:
                examples = training_examples()
                model = TextModel.fit([e.text for e in examples], [e.label for e in examples])
            _model_cache.update(model=model, run=run_id)
        _model_cache["checked"] = time.monotonic()
        assert model is not None
        return model


def clear_model_cache() -> None:
    _model_cache.update(model=None, run=None, checked=0.0)
