"""What incident grouping costs, with 10,000 tickets in the two-hour window.

Self-contained: builds a throw-away SQLite database in a temporary folder (DATABASE_URL is ignored:
this script deletes every ticket in the database it uses), loads the guide, files 10,000 background
tickets into the window, then, for a stream of new tickets (background noise plus three outages reported
from several regions, so proposals and joins are part of the timing), times the two parts of grouping:

- what intake pays (`workflow.intake.file_report`): the read-only known-incident check
  (`incidents.selectors.known_notice_for`); grouping itself runs after commit in the worker;
- the worker's grouping of new reports (`incidents.services.group_new_reports`, woken at most every
  0.5 s per process; here after every 20 reports, ~80 reports/s), as time per report.

Then it times the worker's periodic pass (`regroup_recent`) over the whole two-hour window.

    .venv/bin/python benchmarks/bench_similarity.py [WINDOW_SIZE] [NEW_TICKETS] [--profile]
"""
from __future__ import annotations

import cProfile
import datetime
import os
import pstats
import random
import statistics
import sys
import tempfile
import time

os.environ.pop("DATABASE_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "fankui.settings_test"
os.environ["FANKUI_DATA_DIR"] = tempfile.mkdtemp(prefix="fankui-bench-")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    numbers = [int(a) for a in sys.argv[1:] if a.isdigit()]
    size = numbers[0] if numbers else 10_000
    new = numbers[1] if len(numbers) > 1 else 300

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from fankui.directory.guide import load_guide
    from fankui.directory.models import Region, System
    from fankui.directory.services import import_guide
    from fankui.incidents.models import Incident
    from fankui.incidents.selectors import known_notice_for
    from fankui.incidents import services as _services
    group_new_reports, regroup_recent = _services.group_new_reports, _services.regroup_recent
    from fankui.incidents.tests.corpus import CLUSTERS, background
    from fankui.tickets.models import Ticket

    call_command("migrate", verbosity=0)
    import_guide(load_guide())
    regions = list(Region.objects.all())
    systems = {s.name: s for s in System.objects.all()}
    User = get_user_model()
    User.objects.bulk_create([User(username=f"bench{i}") for i in range(500)], ignore_conflicts=True)
    users = list(User.objects.filter(username__startswith="bench"))
    rng = random.Random(1)

    def ticket(i: int, system: str, text: str) -> Ticket:
        return Ticket(
            ref=f"B{i:08d}",
            reporter=rng.choice(users),
            region=rng.choice(regions),
            channel="web",
            title=text[:60],
            description=text,
            system=systems.get(system),
        )

    started = time.perf_counter()
    Ticket.objects.all().delete()
    Ticket.objects.bulk_create([ticket(i, s, t) for i, (s, t) in enumerate(background(size))], batch_size=1000)
    # Spread over the two hours before now, as a day's reports arrive (newest last).
    from django.utils import timezone

    now, ids = timezone.now(), list(Ticket.objects.order_by("pk").values_list("pk", flat=True))
    for minute in range(118):
        Ticket.objects.filter(pk__in=ids[minute::118]).update(created_at=now - datetime.timedelta(minutes=118 - minute, seconds=30))
    print(f"window: {size:,} tickets filed in {time.perf_counter() - started:.1f} s ({connection.vendor})")

    # The stream: background noise, with three outages reported from several regions mixed in.
    stream = [(s, t) for s, t in background(new, seed=123)]
    for name in ("app_login", "eas_posting", "parking_gate"):
        system, reports = CLUSTERS[name]
        for k, text in enumerate(reports):
            stream.insert(rng.randrange(len(stream)), (system, text))
    costs, cpu, counts, worker, joined = [], [], [], [], 0
    for i, (system, text) in enumerate(stream):
        row = ticket(size + i, system, text)
        row.save()
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            t0, c0 = time.perf_counter(), time.process_time()
            known_notice_for(row.title, row.description, row.system_id)
            costs.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        counts.append(len(captured.captured_queries))
        if i % 20 == 19 or i == len(stream) - 1:
            t0 = time.perf_counter()
            joined += group_new_reports()
            worker.append((time.perf_counter() - t0) * 1000 / 20)

    def line(name: str, ms: list[float]) -> str:
        return f"{name}: p50 {pct(ms, .5):.1f} ms, p95 {pct(ms, .95):.1f} ms, p99 {pct(ms, .99):.1f} ms, max {max(ms):.1f} ms"

    print(f"over {len(stream)} new tickets (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):")
    print("  " + line("added to intake (known-incident check), wall", costs))
    print("  " + line("added to intake (known-incident check), CPU of this process", cpu))
    print(f"  queries added to intake: median {statistics.median(counts):.0f}, max {max(counts)}")
    print("  " + line("worker, grouping new reports (after commit, per report), wall", worker))
    print(f"  tickets grouped: {joined}")
    print(f"incidents proposed during the stream: {Incident.objects.count()} (3 outages were injected; the synthetic background repeats phrases, so extra proposals are expected)")
    budget = 20.0
    verdict = "OK" if pct(costs, 0.99) < budget else "OVER BUDGET"
    print(f"added to intake p99 {pct(costs, 0.99):.1f} ms against the {budget:.0f} ms budget: {verdict}")

    # The worker's pass over the whole window: every unlinked ticket of the last two hours looked at again.
    from django.test.utils import override_settings

    with override_settings(FANKUI_INCIDENT_REPASS_MINUTES=120):
        profile = cProfile.Profile() if "--profile" in sys.argv else None
        t0, c0 = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        regroup_recent()
        elapsed, cpu_pass = time.perf_counter() - t0, time.process_time() - c0
        if profile:
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    print(f"worker's pass over {Ticket.objects.count():,} tickets in the 2-hour window: {elapsed:.1f} s, CPU of this process {cpu_pass:.1f} s (bar: 5 s)")

if __name__ == "__main__":
    main()
