"""Full-text search latency at scale: p50/p95 of two-word (and one-word) queries over N tickets.

    .venv/bin/python benchmarks/bench_search.py --tickets 1000000            # SQLite (FTS5)
    .venv/bin/python benchmarks/bench_search.py --tickets 1000000 --database-url postgres://postgres@127.0.0.1:5432/postgres

Each run uses a throw-away data folder (and, for PostgreSQL, a database it creates next to the one in
the URL and drops afterwards), migrates, imports the guide, bulk-inserts N synthetic tickets
(fankui/kb/tests/search_corpus.py: the same generator the precision/recall test uses, spread over
the six regions and a few systems and states), builds the index with the real `reindex()` that
`fankui kb reindex` runs, then times `fankui.kb.search.search()` — index candidates, permission
filter, word-boundary check and highlighting, i.e. everything but HTTP — as an admin (sees all) and
as a consultant (sees one region). Target: p95 < 100 ms for two-word queries on both databases.
"""
from __future__ import annotations

import argparse
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


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--database-url", default="", help="postgres://… (a throw-away database is created beside it)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query")
    parser.add_argument("--keep", action="store_true", help="keep the data folder / database")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="fankui-bench-search-"))
    os.environ["FANKUI_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "fankui.settings"
    os.environ.setdefault("FANKUI_LOG_LEVEL", "WARNING")
    admin_url = ""
    bench_db = ""
    if args.database_url:
        import psycopg

        parsed = urllib.parse.urlparse(args.database_url)
        bench_db = f"fankui_bench_search_{os.getpid()}"
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
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
            if bench_db:
                from django.db import connections

                connections.close_all()
                import psycopg

                with psycopg.connect(admin_url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')
        else:
            print(f"kept: {data_dir} {bench_db}")


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from fankui.accounts.models import Profile
    from fankui.accounts.services import set_profile
    from fankui.directory.guide import load_guide
    from fankui.directory.models import Person, Region, System
    from fankui.directory.services import import_guide
    from fankui.kb.indexing import reindex
    from fankui.kb.search import CANDIDATES, search
    from fankui.kb.tests.search_corpus import PAIR_QUERIES, SINGLE_QUERIES, synthetic_tickets
    from fankui.tickets.models import Ticket

    print(f"database: {connection.vendor}, tickets: {args.tickets:,}")
    call_command("migrate", verbosity=0)
    import_guide(load_guide())
    User = get_user_model()
    admin = User.objects.create_superuser("bench-admin", password="x")
    huanan = Region.objects.get(name="华南")
    consultant = User.objects.create_user("bench-ding", password="x")
    set_profile(consultant, role=Profile.Role.CONSULTANT, region=huanan)
    Person.objects.filter(pk=huanan.consultant_id).update(user=consultant)
    regions = list(Region.objects.values_list("pk", flat=True))
    systems = list(System.objects.values_list("pk", flat=True))[:12] + [None] * 4
    states = [s for s in Ticket.Status.values]

    started = time.perf_counter()
    rng = random.Random(11)
    # Raw executemany: the ORM's bulk_create spent most of its time building objects.
    columns = (
        "ref, reporter_id, reporter_kind, region_id, project, channel, title, description, urgency, system_id, topic, "
        "routing, status, tier, escalated_to, created_at, updated_at"
    )
    sql = f"INSERT INTO tickets_ticket ({columns}) VALUES ({', '.join(['%s'] * 17)})"
    now = timezone.now()
    rows: list[tuple[object, ...]] = []
    with transaction.atomic(), connection.cursor() as cursor:
        for i, synthetic in enumerate(synthetic_tickets(args.tickets, seed=3)):
            rows.append((
                f"B{i:08d}", admin.pk, "staff", rng.choice(regions), "", "web", synthetic.title, synthetic.description,
                "normal", rng.choice(systems), "", "{}", rng.choice(states), 1, "", now, now,
            ))
            if len(rows) == 10_000:
                cursor.executemany(sql, rows)
                rows = []
        if rows:
            cursor.executemany(sql, rows)
    inserted = time.perf_counter()
    print(f"inserted {args.tickets:,} tickets in {inserted - started:.1f} s")
    reindex(progress=lambda line: print(f"\r  {line}", end="", flush=True) if "工单" in line else None, batch=10_000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE kb_searchdoc")
            cursor.execute("VACUUM ANALYZE tickets_ticket")
    print(f"\nindexed in {time.perf_counter() - inserted:.1f} s")

    def measure(user: object, queries: tuple[str, ...]) -> list[float]:
        timings: list[float] = []
        for query in queries:
            search(user, query)  # warm the page cache for this query once
            for _ in range(args.repeat):
                start = time.perf_counter()
                search(user, query)
                timings.append((time.perf_counter() - start) * 1000)
        return timings

    for label, user in (("admin", admin), ("consultant 华南", consultant)):
        for kind, queries in (("two-word", PAIR_QUERIES), ("one-word", SINGLE_QUERIES)):
            timings = measure(user, queries)
            print(
                f"{label:16s} {kind:9s} queries: n={len(timings):4d}  p50 {statistics.median(timings):6.1f} ms  "
                f"p95 {_percentile(timings, 95):6.1f} ms  max {max(timings):6.1f} ms"
            )
    sample = search(admin, PAIR_QUERIES[0])
    print(f"e.g. “{PAIR_QUERIES[0]}”: {len(sample.tickets)} shown, newest-{CANDIDATES} cap reached: {sample.capped}")


if __name__ == "__main__":
    main()
