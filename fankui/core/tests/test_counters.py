"""Counts in the shared cache add up exactly when several processes count at once (one machine, no Redis)."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile

COUNT = """
import os, sys, time
import django
django.setup()
from fankui.core.counters import count_one
print("ready", flush=True)
while not os.path.exists(sys.argv[1]):  # start together: the counts must interleave
    time.sleep(0.005)
print(max(count_one("fankui:test-count", timeout=300) for _ in range(300)))
"""


def test_processes_counting_together_lose_no_count() -> None:
    data = tempfile.mkdtemp(prefix="fankui-counters-")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fankui.settings", "FANKUI_DATA_DIR": data}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    go = os.path.join(data, "go")
    runs = [subprocess.Popen([sys.executable, "-c", COUNT, go], env=env, stdout=subprocess.PIPE, text=True) for _ in range(4)]
    for run in runs:
        assert run.stdout is not None and run.stdout.readline().strip() == "ready"
    open(go, "w").close()
    highest = [int(run.communicate(timeout=120)[0]) for run in runs]
    # The last process to count saw every other process's counts: none was overwritten.
    assert max(highest) == 4 * 300, highest
