"""Waking the worker after a commit, coalesced: one queue write per interval per process, not one per commit.

A wake-up only decides how soon the worker looks; the database rows are the work, and a periodic task
picks up whatever a lost wake-up missed. What must hold is that every commit is followed by some
wake-up that runs after it.
"""
from __future__ import annotations

import importlib
import logging
import threading
import time

log = logging.getLogger(__name__)


class Wakeup:
    """Call to ask the worker to run the Huey task `module:name` soon.

    If a wake-up is already scheduled to run after this commit, it covers this one; otherwise one is
    queued now or, if one went out less than `interval` seconds ago, scheduled for the end of that
    interval. In Huey's immediate mode (tests) every call runs the task, in the caller. Never raises: a
    broken queue (Redis down) must not turn a committed change into an error page.
    """

    def __init__(self, task: str, interval: float) -> None:
        self.task, self.interval = task, interval
        self._lock = threading.Lock()
        self.sent_for = 0.0  # time.time() at which the latest queued wake-up runs (now, or scheduled)
        self.covers = 0.0  # commits before this instant are seen by a wake-up that has not run yet

    def __call__(self) -> None:
        from huey.contrib.djhuey import HUEY

        module, name = self.task.split(":")
        try:
            task = getattr(importlib.import_module(module), name)
            if HUEY.immediate:
                task()
                return
            now = time.time()
            with self._lock:
                if now < self.covers - 0.01:  # a margin for the worker's clock
                    return
                delay = max(0.0, self.sent_for + self.interval - now)
                self.sent_for = now + delay
                # An immediate wake-up may run before the next commit; a scheduled one runs after it.
                self.covers = self.sent_for if delay else 0.0
            if delay:
                task.schedule(delay=delay)
            else:
                task()
        except Exception:
            log.exception("could not wake the worker for %s; its periodic task will catch up", self.task)
