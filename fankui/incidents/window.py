"""The in-process window of recent tickets, kept in step with the database.

Each web/worker process holds the last N hours of tickets as vectors (`similarity.WindowIndex`),
loads the whole window once, then on every call reads only the tickets newer than the last one
it saw (one indexed query, usually zero or a few rows). Scoring a new ticket is then one sparse
product per block instead of reading 10,000 rows.

Trust nothing in the cache about who filed what: callers re-read the few candidates from the
database (`services._neighbours`), so a rolled-back ticket still sitting here, or a row another
process changed, can never group anything by itself.
"""
from __future__ import annotations

import contextlib
import datetime
import math
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from fankui.directory.models import System
from fankui.incidents.similarity import Row, WindowIndex, strip_terms_for

# Tickets commit out of id order under concurrency; re-reading the last few ids (minus those
# already held) catches a lower id that committed after a higher one was read.
_OVERLAP_IDS = 50


def window_hours() -> float:
    return settings.FANKUI_INCIDENT_WINDOW_HOURS


def max_rows() -> int:
    return settings.FANKUI_INCIDENT_WINDOW_MAX_TICKETS


def ticket_text(title: str, description: str) -> str:
    """What is compared: the description, plus the title when it is not just its first line."""
    title, description = title.strip(), description.strip()
    return description if not title or description.startswith(title) else f"{title}\n{description}"


@dataclass
class _State:
    index: WindowIndex | None = None
    max_pk: int = 0  # the highest id read from the database (not from `remember`)
    loaded_at: datetime.datetime | None = None
    hours: float = 0.0
    refreshed: float = -math.inf  # time.monotonic() of the last read from the database
    remembered: set[int] = field(default_factory=set)  # ids added by `remember`, above max_pk - overlap


_lock = threading.Lock()
_state = _State()


def reset() -> None:
    """Forget the cache (tests, and after the guide's systems change)."""
    global _state
    with _lock:
        _state = _State()


def _system_terms() -> tuple[str, ...]:
    names: list[str] = []
    for name, aliases in System.objects.values_list("name", "aliases"):
        names.append(name)
        names.extend(a for a in (aliases or []) if isinstance(a, str))
    return strip_terms_for(names)


def _rows(queryset: object) -> list[Row]:
    return [
        Row(key=pk, at=created_at, text=ticket_text(title, description), meta=(system_id,))
        for pk, created_at, title, description, system_id in queryset  # type: ignore[attr-defined]
    ]


def refresh_seconds() -> float:
    """How stale intake may find the window (other processes' tickets only: see `remember`)."""
    return settings.FANKUI_INCIDENT_WINDOW_REFRESH_SECONDS


def remember(*, pk: int, created_at: datetime.datetime, title: str, description: str, system_id: int | None) -> None:
    """Add a ticket this process just filed, so its next report sees it without a database read.

    Harmless if the ticket then rolls back: candidates are always re-read from the database. The
    next refresh skips it (it is held) and does not move `max_pk`, so other processes' tickets
    with lower ids are still read.
    """
    with _lock:
        if _state.index is not None:
            _state.index.add(Row(key=pk, at=created_at, text=ticket_text(title, description), meta=(system_id,)))
            _state.remembered.add(pk)


@contextlib.contextmanager
def current(*, exclude_pk: int | None = None, now: datetime.datetime | None = None, max_age: float = 0.0) -> Iterator[WindowIndex]:
    """The window index, refreshed with tickets committed since the last call, held under a lock
    for the caller's queries (threaded workers share it; a query must not see a half-added row).

    `exclude_pk` (the ticket being filed) is left for the next refresh, so a rolled-back intake
    never lands in the cache through this path. With `max_age`, a refresh less than that many
    seconds old is reused: intake at 150 reports/s otherwise spends a query per report on it
    (benchmarks/bench_intake.py).
    """
    from fankui.tickets.models import Ticket

    now = now or timezone.now()
    hours = window_hours()
    cutoff = now - datetime.timedelta(hours=hours)
    fields = ("pk", "created_at", "title", "description", "system_id")
    with _lock:
        state = _state
        stale = state.index is None or state.hours != hours or len(state.index.vocab) > 1_000_000
        recent_enough = not stale and max_age > 0 and time.monotonic() - state.refreshed < max_age
        if recent_enough:
            rows = []
        elif stale:
            state.index = WindowIndex(strip_terms=_system_terms())
            state.hours = hours
            state.max_pk = 0
            state.remembered = set()
            state.loaded_at = now
            recent = Ticket.objects.filter(created_at__gte=cutoff)
            if exclude_pk is not None:
                recent = recent.exclude(pk=exclude_pk)
            rows = _rows(recent.order_by("created_at", "pk").values_list(*fields)[: max_rows()])
        else:
            assert state.index is not None
            floor = state.max_pk - _OVERLAP_IDS
            state.remembered = {pk for pk in state.remembered if pk > floor}
            held = [pk for pk in range(max(floor, 0) + 1, state.max_pk + 1) if pk in state.index]
            held += [pk for pk in state.remembered if pk > state.max_pk]
            fresh = Ticket.objects.filter(Q(pk__gt=state.max_pk - _OVERLAP_IDS), created_at__gte=cutoff).exclude(pk__in=held)
            if exclude_pk is not None:
                fresh = fresh.exclude(pk=exclude_pk)
            rows = _rows(fresh.order_by("created_at", "pk").values_list(*fields))
        if not recent_enough:
            state.refreshed = time.monotonic()
        for row in rows:
            state.index.add(row)
            state.max_pk = max(state.max_pk, int(row.key))  # type: ignore[call-overload]
        state.index.evict_before(cutoff, max_rows=max_rows())
        yield state.index
