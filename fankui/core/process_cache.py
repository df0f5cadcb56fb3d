"""Per-process caches for small reads asked on every request (who is away, is any incident open).

A save or delete of one of the watched models in this process clears the value at once; other
processes see a change within `ttl` seconds. Use only where that much staleness is harmless.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db.models.signals import post_delete, post_save

T = TypeVar("T")

_ALL: list[ProcessCache[Any]] = []
_RECHECKS: list[Callable[[], None]] = []


class ProcessCache(Generic[T]):
    def __init__(self, load: Callable[[], T], *, ttl: float, models: Sequence[str]) -> None:
        self._load, self._ttl = load, ttl
        self._lock = threading.Lock()
        self._value: T | None = None
        self._expires = 0.0
        for model in models:
            # Lazy "app_label.Model" senders: no model import at module load.
            post_save.connect(self._changed, sender=model, weak=False)
            post_delete.connect(self._changed, sender=model, weak=False)
        _ALL.append(self)

    def get(self) -> T:
        with self._lock:
            if time.monotonic() >= self._expires:
                self._value = self._load()
                self._expires = time.monotonic() + self._ttl
            return self._value  # type: ignore[return-value]

    def clear(self) -> None:
        with self._lock:
            self._expires = 0.0

    def _changed(self, **kwargs: object) -> None:
        self.clear()


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
