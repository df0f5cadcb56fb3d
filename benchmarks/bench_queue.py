"""The handler's queue at scale: server time of each built-in view and a text search, and a bulk action.

    .venv/bin/python benchmarks/bench_queue.py                       # SQLite, 100,000 tickets, 2,000 visible
    .venv/bin/python benchmarks/bench_queue.py --database-url postgres://postgres@127.0.0.1:5432/postgres

A throw-away data folder (and, for PostgreSQL, a database created beside the one in the URL and
dropped afterwards); migrate, import the guide, bulk-insert N synthetic tickets (the search corpus's
texts, each with its 提交 event) of which `--visible` are in the consultant's region 华南 (the rest spread
over the other regions), deadlines spread over breached / due soon / later / waiting, then the real
search index (`reindex()`). Each page is requested through Django's test client as the consultant —
middleware, view, queries and template, i.e. everything but the socket — and its queries counted.
Then one bulk escalation of 50 of the consultant's tickets through `bulk_act` (each checked and
recorded). Targets (issue #14): p95 ≤ 150 ms per view and for a text search; bulk of 50 ≤ 2 s.
"""
from __future__ import annotations

import argparse
import datetime
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = [
    ("默认（按期限）", ""),
    ("我的待办", "view=mine"),
    ("即将超时", "view=due_soon"),
    ("已超时", "view=breached"),
    ("等待报告人", "view=waiting"),
    ("一线队列", "view=first_line"),
    ("我升级的", "view=escalated_by_me"),
    ("按共性事件", "view=incidents"),
    ("搜索 门禁", "q=门禁"),
    ("搜索 满意度 链接", "q=满意度+链接"),
    ("按紧急程度", "sort=priority"),
    ("按最近动态", "sort=activity"),
]


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--visible", type=int, default=2_000)
    parser.add_argument("--database-url", default="", help="postgres://… (a throw-away database is created beside it)")
    parser.add_argument("--repeat", type=int, default=20, help="requests per page")
    parser.add_argument("--slowest", type=int, default=0, help="print each page's N slowest queries")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="fankui-bench-queue-"))
    os.environ["FANKUI_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "fankui.settings"
    os.environ.setdefault("FANKUI_LOG_LEVEL", "WARNING")
    admin_url = bench_db = ""
    if args.database_url:
        import psycopg

        parsed = urllib.parse.urlparse(args.database_url)
        bench_db = f"fankui_bench_queue_{os.getpid()}"
        admin_url = args.database_url
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{bench_db}"')
        os.environ["DATABASE_URL"] = urllib.parse.urlunparse(parsed._replace(path=f"/{bench_db}"))
        from fankui.core.crypto import new_server_keys

        for name, value in new_server_keys().items():  # shared data needs keys set, not generated per folder
            os.environ.setdefault(name, value)
    try:
        run(args)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        if bench_db:
            from django.db import connections

            connections.close_all()
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from fankui.accounts.models import Profile
    from fankui.accounts.services import set_profile
    from fankui.directory.guide import load_guide
    from fankui.directory.models import Person, Region, System
    from fankui.directory.services import import_guide
    from fankui.kb.indexing import reindex
    from fankui.kb.tests.search_corpus import synthetic_tickets
    from fankui.tickets.bulk import BulkAction, bulk_act
    from fankui.tickets.models import Ticket

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    print(f"database: {connection.vendor}, tickets: {args.tickets:,}, visible to the consultant: {args.visible:,}")
    call_command("migrate", verbosity=0)
    import_guide(load_guide())
    User = get_user_model()
    reporter = User.objects.create_user("bench-reporter", password="x")
    huanan = Region.objects.get(name="华南")
    consultant = User.objects.create_user("bench-ding", password="x")
    set_profile(consultant, role=Profile.Role.CONSULTANT, region=huanan)
    Person.objects.filter(pk=huanan.consultant_id).update(user=consultant)
    person = Person.objects.get(pk=huanan.consultant_id)
    others = list(Region.objects.exclude(pk=huanan.pk).values_list("pk", flat=True))
    systems = list(System.objects.values_list("pk", flat=True))[:12]

    started = time.perf_counter()
    rng = random.Random(11)
    now = timezone.now()
    columns = (
        "ref, reporter_id, reporter_kind, region_id, project, channel, title, description, urgency, system_id, topic, routing, "
        "status, tier, escalated_to, created_at, updated_at, first_response_due, resolution_due, consultant_id, assignee_id"
    )
    sql = f"INSERT INTO tickets_ticket ({columns}) VALUES ({', '.join(['%s'] * 21)})"
    every = max(1, args.tickets // args.visible)
    rows: list[tuple[object, ...]] = []
    with transaction.atomic(), connection.cursor() as cursor:
        for i, synthetic in enumerate(synthetic_tickets(args.tickets, seed=3)):
            mine = i % every == 0 and i // every < args.visible
            created = now - datetime.timedelta(minutes=rng.randint(10, 60 * 24 * 20))
            # Due states over the visible tickets: breached, due within 2 h, later; a few waiting.
            due = now + datetime.timedelta(minutes=rng.choice([-300, -30, 20, 90, 600, 3000]))
            status = rng.choice(["open"] * 6 + ["waiting"]) if mine or rng.random() < 0.3 else rng.choice(["resolved", "closed"])
            rows.append((
                f"Q{i:08d}", reporter.pk, "staff", huanan.pk if mine else rng.choice(others), "", rng.choice(["web", "email", "app"]),
                synthetic.title, synthetic.description, rng.choice(["normal"] * 4 + ["urgent"]), rng.choice(systems), "", "{}",
                status, 1, "", created, created, due, due + datetime.timedelta(hours=16),
                person.pk if mine else None, person.pk if mine and rng.random() < 0.5 else None,
            ))
            if len(rows) == 10_000:
                cursor.executemany(sql, rows)
                rows = []
        if rows:
            cursor.executemany(sql, rows)
        cursor.execute(
            "INSERT INTO tickets_ticketevent (ticket_id, at, actor_id, kind, public, body, data) "
            "SELECT id, created_at, reporter_id, 'created', %s, '', '{}' FROM tickets_ticket",
            [True],
        )
    print(f"inserted {args.tickets:,} tickets (+ their 提交 events) in {time.perf_counter() - started:.1f} s")
    reindex(batch=10_000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("kb_searchdoc", "tickets_ticket", "tickets_ticketevent"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"visible open/waiting in 华南: {Ticket.objects.filter(region=huanan, status__in=['open', 'waiting']).count():,}")

    client = Client()
    client.force_login(consultant)
    print(f"{'page':<20} {'rows':>5} {'queries':>7} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    worst = 0.0
    for label, query in PAGES:
        url = f"/tickets/queue/?{query}"
        response = client.get(url, secure=True)  # warm
        assert response.status_code == 200, (url, response.status_code)
        rows_shown = response.content.decode().count('class="card ticket-row')
        counted: list[tuple[float, str]] = []

        def timed(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                counted.append(((time.perf_counter() - start) * 1000, sql))

        # The test client clears connection.queries at each request: count at the cursor instead.
        with connection.execute_wrapper(timed):
            client.get(url, secure=True)
        if args.slowest:
            for ms, sql in sorted(counted, reverse=True)[: args.slowest]:
                print(f"    {ms:6.1f} ms  {sql[:160]}")
        timings = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            client.get(url, secure=True)
            timings.append((time.perf_counter() - start) * 1000)
        p95 = _percentile(timings, 95)
        worst = max(worst, p95)
        print(f"{label:<20} {rows_shown:>5} {len(counted):>7} {statistics.median(timings):7.1f} {p95:7.1f} {max(timings):7.1f}")
    print(f"worst p95: {worst:.1f} ms (target ≤ 150 ms)")

    owner = Person.objects.exclude(pk=person.pk).exclude(user__isnull=True).first() or Person.objects.exclude(pk=person.pk).first()
    refs = list(Ticket.objects.filter(region=huanan, status="open").order_by("id").values_list("ref", flat=True)[:50])
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        result = bulk_act(user=consultant, refs=refs, action=BulkAction(kind="escalate", owner=owner, text="同一个故障"))
        elapsed = time.perf_counter() - start
    print(f"bulk escalate {len(refs)} tickets: {elapsed:.2f} s, done {len(result.done)}, refused {len(result.failed)}, "
          f"{len(captured.captured_queries)} queries (target ≤ 2 s)")


if __name__ == "__main__":
    main()
