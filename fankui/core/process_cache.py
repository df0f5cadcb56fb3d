"""Per-process caches for small reads asked on every request (who is away, is any incident open).

A save or delete of one of the watched models in this process clears the value at once; other
processes see a change within `ttl` seconds. Use only where that much staleness is harmless — or give
a `shared_stamp`: a change (a watched save or delete, or `changed()` after a bulk update) then moves a
stamp in Django's shared cache once it commits, and every process and server compares that stamp on
each read (one cache read) and loads again when it moved, so they all agree at once.
"""
from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

log = logging.getLogger(__name__)

T = TypeVar("T")

_ALL: list[ProcessCache[Any]] = []
_RECHECKS: list[Callable[[], None]] = []


class ProcessCache(Generic[T]):
    def __init__(self, load: Callable[[], T], *, ttl: float, models: Sequence[str], shared_stamp: str = "") -> None:
        self._load, self._ttl, self._stamp_key = load, ttl, shared_stamp
        self._lock = threading.Lock()
        self._value: T | None = None
        self._expires = 0.0
        self._stamp: object = None
        for model in models:
            # Lazy "app_label.Model" senders: no model import at module load.
            post_save.connect(self._changed, sender=model, weak=False)
            post_delete.connect(self._changed, sender=model, weak=False)
        _ALL.append(self)

    def get(self) -> T:
        stamp = self._shared_stamp()
        with self._lock:
            if time.monotonic() >= self._expires or stamp != self._stamp:
                self._value = self._load()
                self._expires, self._stamp = time.monotonic() + self._ttl, stamp
            return self._value  # type: ignore[return-value]

    def clear(self) -> None:
        with self._lock:
            self._expires = 0.0

    def changed(self) -> None:
        """Something this cache reads changed (a bulk update no signal reports): forget the value here, and
        move the shared stamp once the change commits so every other process forgets it too."""
        self.clear()
        if self._stamp_key:
            transaction.on_commit(lambda: cache.set(self._stamp_key, uuid.uuid4().hex, timeout=None), robust=True)

    def _shared_stamp(self) -> object:
        if not self._stamp_key:
            return None
        try:
            return cache.get_or_set(self._stamp_key, lambda: uuid.uuid4().hex, timeout=None)
        except Exception:  # the shared cache is down: read the database every time rather than trust a copy
            log.warning("shared cache unreachable; %s read from the database", self._stamp_key)
            return uuid.uuid4().hex

    def _changed(self, **kwargs: object) -> None:
        self.changed()


def recheck_on_clear(recheck: Callable[[], None]) -> None:
    """Register a hand-made cache (one with its own database stamp) so `clear_process_caches` makes it
    compare its stamp again on next use."""
    _RECHECKS.append(recheck)


def clear_process_caches() -> None:
    """Forget every cached value (tests roll back writes that no signal reports)."""
    for cache in _ALL:
        cache.clear()
    for recheck in _RECHECKS:
        recheck()
