"""A rate limit holds across app servers: the count lives in the shared cache, not in one process."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from fankui.core import testing

LIMIT = 5


@pytest.mark.service
@pytest.mark.parametrize("cache", ["one-machine", "redis"])
def test_posts_alternating_between_two_servers_are_counted_together(cache: str) -> None:
    env = testing.fresh_install_env(["migrate", "--no-input"], ["import-guide"], ["seed-demo"])
    env["FANKUI_API_POSTS_PER_MINUTE"] = str(LIMIT)
    if cache == "redis":
        import redis

        url = "redis://127.0.0.1:6379/14"
        redis.Redis.from_url(url).flushdb()  # a database of its own: counters of an earlier run start again
        env["REDIS_URL"] = url
    token = subprocess.run([sys.executable, "-m", "fankui.cli", "token", "create", "staff-huanan"], env=env, check=True,
                           capture_output=True, text=True).stdout.split()[-1]
    with testing.app_servers(env) as ports:
        # The limit counts per clock minute: start well inside one, so every post falls in the same window.
        while time.time() % 60 > 45:
            time.sleep(1)
        statuses = []
        for i in range(LIMIT + 4):
            status, _ = testing.WebSession(ports[i % 2]).request(
                "POST", "/api/v1/tickets", json.dumps({"description": f"EAS 打印凭证空白 第{i}次"}).encode(),
                {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            statuses.append(status)
    assert statuses.count(201) == LIMIT and statuses.count(429) == 4, statuses
