"""Waking the outbox worker after commit: coalesced outside immediate mode, never skipped unsafely.

The rows are the queue, so a wake-up only decides how soon they go out; what must hold is that
every commit is followed by some wake-up that runs after it (see `core.wakeup.Wakeup`).
"""
from __future__ import annotations

import pytest
from huey.contrib.djhuey import HUEY

from fankui.core import wakeup
from fankui.notify import services


class FakeTask:
    """Stands in for `deliver_pending`: records immediate calls and scheduled delays."""

    def __init__(self) -> None:
        self.now = 0
        self.scheduled: list[float] = []

    def __call__(self) -> None:
        self.now += 1

    def schedule(self, *, delay: float) -> None:
        self.scheduled.append(delay)


@pytest.fixture
def task(monkeypatch: pytest.MonkeyPatch) -> FakeTask:
    fake = FakeTask()
    monkeypatch.setattr("fankui.notify.tasks.deliver_pending", fake)
    monkeypatch.setattr(HUEY, "_immediate", False)  # the attribute, not the setter: keep the test storage
    monkeypatch.setattr(services.deliveries, "sent_for", 0.0)
    monkeypatch.setattr(services.deliveries, "covers", 0.0)
    return fake


def test_a_burst_of_commits_queues_one_wake_up_now_and_one_at_the_end_of_the_interval(task: FakeTask, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([1000.0, 1000.01, 1000.02, 1000.3, 1000.45])
    monkeypatch.setattr(wakeup.time, "time", lambda: next(clock))
    for _ in range(5):
        services.wake_worker()
    assert task.now == 1
    assert task.scheduled == [pytest.approx(0.49)]


def test_a_commit_after_the_scheduled_wake_up_ran_queues_another(task: FakeTask, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([1000.0, 1000.01, 1000.6, 1005.0])
    monkeypatch.setattr(wakeup.time, "time", lambda: next(clock))
    for _ in range(4):
        services.wake_worker()
    # 1000.0 now; 1000.01 scheduled for 1000.5; 1000.6 scheduled for 1001.0; 1005.0 (quiet since) now.
    assert task.now == 2
    assert task.scheduled == [pytest.approx(0.49), pytest.approx(0.4)]


def test_immediate_mode_delivers_on_every_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeTask()
    monkeypatch.setattr("fankui.notify.tasks.deliver_pending", fake)
    assert HUEY.immediate
    for _ in range(3):
        services.wake_worker()
    assert fake.now == 3 and fake.scheduled == []
