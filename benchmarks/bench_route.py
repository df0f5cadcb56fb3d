"""Routing latency: start-up time, then p50/p99 per report and reports/s.

Run against a migrated database with the guide loaded, e.g.:
    FANKUI_DATA_DIR=/tmp/bench .venv/bin/fankui migrate && .venv/bin/fankui import-guide
    FANKUI_DATA_DIR=/tmp/bench .venv/bin/python benchmarks/bench_route.py [REPORTS.jsonl]

Start-up is measured from a cold process (Django set up, nothing cached) to the first routed report:
it covers reading the directory, building the index and the segmenter, and loading (or, on a fresh
install, training) the model. Latency is then measured over every report, several rounds, with the
directory-stamp check running as it does in production (at most once per second).
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fankui.settings")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

DEFAULT_REPORTS = Path(__file__).resolve().parent.parent / "fankui" / "routing" / "data" / "holdout.jsonl"
ROUNDS = 5


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_REPORTS
    items = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]

    import django

    django.setup()
    from fankui.routing.selectors import active_run_id
    from fankui.routing.services import route_report, warm_up

    started = time.perf_counter()
    warm_up()
    route_report("一应生活app闪退", region="华南")
    startup = time.perf_counter() - started
    model_source = "stored TrainingRun" if active_run_id() else "trained in memory (no TrainingRun yet)"

    timings: list[float] = []
    cpu: list[float] = []
    for _ in range(ROUNDS):
        for item in items:
            c0, t0 = time.thread_time(), time.perf_counter()
            route_report(item["text"], region=item.get("region"), reporter=item.get("reporter", "staff"))
            timings.append(time.perf_counter() - t0)
            cpu.append(time.thread_time() - c0)
    slowest = sorted(zip(timings, (item["text"] for _ in range(ROUNDS) for item in items)), reverse=True)[:3]
    timings.sort()
    p50 = statistics.median(timings) * 1000
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))] * 1000
    print(f"reports: {len(items)} from {source.name} x {ROUNDS} rounds = {len(timings)} routings")
    print(f"start-up (first report, cold caches; model {model_source}): {startup:.3f} s")
    print(f"latency per report (wall): p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {timings[-1] * 1000:.2f} ms")
    # CPU time of this thread: what a report costs when the machine is not shared with other work.
    cpu.sort()
    cpu_p99 = cpu[min(len(cpu) - 1, int(len(cpu) * 0.99))] * 1000
    print(f"latency per report (CPU):  p50 {statistics.median(cpu) * 1000:.2f} ms, p99 {cpu_p99:.2f} ms")
    print(f"load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    for took, text in slowest:
        print(f"  slow: {took * 1000:.2f} ms {text[:30]}")
    print(f"throughput after start-up: {len(timings) / sum(timings):.0f} reports/s")


if __name__ == "__main__":
    main()
