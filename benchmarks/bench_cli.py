"""Wall time of the lookups people type at a terminal: `fankui whois`, `fankui token list`.

    .venv/bin/python benchmarks/bench_cli.py [RUNS]

Sets up its own data folder (migrate + the shipped guide), then times each command as a fresh process,
the way a person runs it, and prints min / median / max wall seconds. The bar is < 1 s.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

COMMANDS = [
    ["whois", "EAS 付款单"],
    ["whois", "EAS 付款单", "--region", "华东"],
    ["token", "list", "admin"],
]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fankui.settings", "FANKUI_DATA_DIR": tempfile.mkdtemp(prefix="bench-cli-")}
    fankui = [sys.executable, "-m", "fankui.cli"]
    for setup in (["migrate", "--no-input", "-v", "0"], ["import-guide", "--summary"], ["seed-demo"]):
        subprocess.run([*fankui, *setup], env=env, check=True, capture_output=True)
    from fankui.core.terminal import ljust_display

    print(f"{'command':<40} {'min':>6} {'median':>7} {'max':>6}  (wall seconds, {runs} runs)")
    for command in COMMANDS:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([*fankui, *command], env=env, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
        print(f"{ljust_display('fankui ' + ' '.join(command), 40)} {min(times):6.2f} {statistics.median(times):7.2f} {max(times):6.2f}")


if __name__ == "__main__":
    main()
