"""Workers killed with SIGKILL while they deliver: nothing is lost, at most one duplicate per kill."""
from __future__ import annotations

import pytest

from fankui.notify.tests import fault_run


@pytest.mark.service
def test_killed_workers_lose_nothing_and_repeat_at_most_one_delivery_per_kill() -> None:
    result = fault_run.run(notices=30, kills=3, seed=20261204)
    assert result.deliveries == 60  # each notice by mail and by push
    assert result.kills >= 1
    assert result.lost == 0
    assert result.duplicates <= result.kills


@pytest.mark.service
def test_a_mail_server_refusing_for_a_while_delays_but_loses_nothing() -> None:
    result = fault_run.run(notices=20, kills=2, seed=7, smtp_refusing_seconds=3)
    assert result.deliveries == 40
    assert result.lost == 0 and result.duplicates <= result.kills
