"""Where a report's creation spends its time: the queries one POST /api/v1/tickets runs, and a profile.

    .venv/bin/python benchmarks/profile_intake.py [--requests 400] [--seeded 10000] [--top 25] [--sql]
    .venv/bin/python benchmarks/profile_intake.py --database-url postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python benchmarks/profile_intake.py --mode on-behalf   # as an integration files for its app users
    .venv/bin/python benchmarks/profile_intake.py --worker           # the worker's share of each report instead

In one process, through Django's full request stack (middleware, bearer token, API, intake) with the
test client, on a throw-away SQLite data folder (or a PostgreSQL database made beside `--database-url`) holding the guide and `--seeded` tickets from the peer
harness's corpus (../shared/bench, as compare.sh seeds them). Prints the queries of one creation, the
CPU milliseconds per creation (process time, so other load on the machine does not count) and the
functions where that time went (cProfile, cumulative and own time).

With `--worker` it profiles what the Huey worker does for each report instead (grouping, indexing, mailing
the consultant to an SMTP sink on loopback), woken every `--batch` reports as its coalesced wake-ups are under
load; the task queue itself is left out.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_intake import APP_USERS, bearer_request, free_port, on_behalf_request  # noqa: E402
from benchmarks.seeding import harness_corpus, seed_harness_corpus, throwaway_environment  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--seeded", type=int, default=10_000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sql", action="store_true", help="print each query of one creation")
    parser.add_argument("--mode", choices=["bearer", "on-behalf"], default="bearer",
                        help="a reporter's bearer token, or an integration signing for 100 app users (bench_intake.py's)")
    parser.add_argument("--database-url", default="", help="postgres://… — a fresh database is made beside it and dropped")
    parser.add_argument("--worker", action="store_true", help="profile the worker's share of each report instead of its creation")
    parser.add_argument("--batch", type=int, default=4, help="with --worker: reports per wake-up of the worker")
    args = parser.parse_args()
    os.environ.pop("DATABASE_URL", None)
    os.environ.update({"FANKUI_API_POSTS_PER_MINUTE": "100000000", "FANKUI_OCR": "0"})
    sink = None
    if args.worker:
        port = free_port()
        sink = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{port}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.environ.update({"FANKUI_SMTP_HOST": "127.0.0.1", "FANKUI_SMTP_PORT": str(port)})
    try:
        with throwaway_environment("fankui-profile-", args.database_url):
            profile_creations(args)
    finally:
        if sink is not None:
            sink.terminate()


def profile_creations(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    call_command("import-guide", "--summary", stdout=io.StringIO())
    accounts = json.loads(_capture(call_command, "seed-demo", "--json"))
    reporter = next(a["username"] for a in accounts if a["role"] == "reporter")
    from django.contrib.auth import get_user_model

    from fankui.accounts.tokens import create_token

    token = create_token(user=get_user_model().objects.get(username=reporter), name="profile").token
    if args.seeded:
        from fankui.directory.models import Region

        seed_harness_corpus(args.seeded, seed=20240601, reporter_id=get_user_model().objects.get(username="admin").pk,
                            region_ids=list(Region.objects.values_list("pk", flat=True)))
    rng = random.Random(7)
    corpus = harness_corpus()  # the same reports compare.sh posts
    if args.mode == "on-behalf":
        from fankui.directory.models import System
        from fankui.integrations.services import create_integration

        secret = create_integration(name="压测App", key="bench-app", system=System.objects.get(name="一应生活APP"))[1].secret
        caller = on_behalf_request(secret)
    else:
        caller = bearer_request(token)
    client = Client()
    # Warm the router's model, the segmenter, the directory and (on behalf) every app user's first call.
    warm = APP_USERS if args.mode == "on-behalf" else 10
    payloads = [corpus.create_payload(rng, n) for n in range(warm + 10 + 2 * args.requests)]  # type: ignore[attr-defined]

    def post(i: int) -> None:
        p = payloads[i]
        body = json.dumps({"title": p["title"], "description": p["description"]}, ensure_ascii=False).encode()
        path, headers = caller(i, body)
        response = client.post(path, body, content_type="application/json; charset=utf-8", headers=headers)
        assert response.status_code == 201, (response.status_code, response.content[:300])

    for i in range(warm):
        post(i)
    with CaptureQueriesContext(connection) as queries:
        post(warm)
    print(f"queries in one creation: {len(queries)}")
    for q in queries.captured_queries:
        print("   ", q["sql"][:160] if args.sql else q["sql"][:90])
    if args.worker:
        profile = profile_worker(post, range(warm + 10, warm + 10 + args.requests), args.batch)
    else:
        profile = profile_requests(post, range(warm + 10, warm + 10 + args.requests))
    if os.environ.get("PROFILE_OUT"):
        profile.dump_stats(os.environ["PROFILE_OUT"])
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
        print(f"\n== by {order} ==")
        print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))


def profile_requests(post: Callable[[int], None], numbers: range) -> cProfile.Profile:
    profile = cProfile.Profile()
    started = time.process_time()
    profile.enable()
    for i in numbers:
        post(i)
    profile.disable()
    print(f"\nCPU per creation (with the profiler on): {(time.process_time() - started) / len(numbers) * 1000:.2f} ms over {len(numbers)} requests")
    again = numbers[: min(len(numbers), 200)]
    started = time.process_time()
    for i in again:
        post(i)
    print(f"CPU per creation (profiler off): {(time.process_time() - started) / len(again) * 1000:.2f} ms")
    return profile


def profile_worker(post: Callable[[int], None], numbers: range, batch: int) -> cProfile.Profile:
    """File `batch` reports, then run what their wake-ups run in the worker; only the latter is timed."""
    from fankui.incidents.services import group_new_reports
    from fankui.kb.indexing import index_new_tickets
    from fankui.notify.delivery import deliver_all_due

    def worker_run() -> None:
        group_new_reports()
        index_new_tickets()
        deliver_all_due()

    worker_run()  # what the warm-up filed, and the first SMTP connection's set-up
    profile, cpu = cProfile.Profile(), {True: 0.0, False: 0.0}
    for profiled in (True, False):
        for start in range(numbers.start, numbers.stop, batch):
            for i in range(start, min(start + batch, numbers.stop)):
                post(i + (len(numbers) if not profiled else 0))
            started = time.process_time()
            if profiled:
                profile.enable()
            worker_run()
            if profiled:
                profile.disable()
            cpu[profiled] += time.process_time() - started
    print(f"\nworker CPU per report, woken every {batch} reports (with the profiler on): {cpu[True] / len(numbers) * 1000:.2f} ms over {len(numbers)} reports")
    print(f"worker CPU per report (profiler off): {cpu[False] / len(numbers) * 1000:.2f} ms")
    return profile


def _capture(fn, *a: str) -> str:
    out = io.StringIO()
    fn(*a, stdout=out)
    return out.getvalue()


if __name__ == "__main__":
    main()
