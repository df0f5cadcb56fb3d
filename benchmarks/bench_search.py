"""Full-text search latency at scale: p50/p95 of two-word (and one-word) queries over N tickets.

    .venv/bin/python benchmarks/bench_search.py --tickets 1000000            # SQLite (FTS5)
    .venv/bin/python benchmarks/bench_search.py --tickets 1000000 --database-url postgres://postgres@127.0.0.1:5432/postgres

Each run uses a throw-away data folder (and, for PostgreSQL, a database it creates next to the one in
the URL and drops afterwards), migrates, imports the guide, bulk-inserts N synthetic tickets
(fankui/kb/tests/search_corpus.py: the same generator the precision/recall test uses, spread over
the six regions and a few systems and states), builds the index with the real `reindex()` that
`fankui kb reindex` runs, then times `fankui.kb.search.search()` — index candidates, permission
filter, word-boundary check and highlighting, i.e. everything but HTTP — as an admin (sees all) and
as a consultant (sees one region), for the first page, page 10 (by number: every hit before it is
counted again) and page --deep (60) reached by following next_cursor, which lies past the ranked
newest 1000 in the older matches. Target: p95 < 100 ms on both databases, first page and page 10.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.seeding import SeedTicket, insert_tickets, throwaway_environment  # noqa: E402


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--database-url", default="", help="postgres://… (a throw-away database is created beside it)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query")
    parser.add_argument("--deep", type=int, default=60, help="the page reached by following cursors (past the ranked head)")
    parser.add_argument("--keep", action="store_true", help="keep the data folder / database")
    args = parser.parse_args()

    with throwaway_environment("fankui-bench-search-", args.database_url, keep=args.keep):
        run(args)


def run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
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
    now = timezone.now()
    insert_tickets(
        SeedTicket(f"B{i:08d}", admin.pk, rng.choice(regions), synthetic.title, synthetic.description, rng.choice(systems), rng.choice(states), now)
        for i, synthetic in enumerate(synthetic_tickets(args.tickets, seed=3))
    )
    inserted = time.perf_counter()
    print(f"inserted {args.tickets:,} tickets in {inserted - started:.1f} s")
    reindex(progress=lambda line: print(f"\r  {line}", end="", flush=True) if "工单" in line else None, batch=10_000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE kb_searchdoc")
            cursor.execute("VACUUM ANALYZE tickets_ticket")
    print(f"\nindexed in {time.perf_counter() - inserted:.1f} s")

    def deep_cursor(user: object, query: str) -> str:
        """The cursor of page DEEP (or of the last page, for a query with fewer): past the ranked head."""
        results = search(user, query)
        while results.next_cursor and results.page < args.deep - 1:
            results = search(user, query, cursor=results.next_cursor)
        return results.next_cursor or ""

    def measure(user: object, queries: tuple[str, ...], where: str) -> list[float]:
        timings: list[float] = []
        for query in queries:
            place = {"page": 1} if where == "page 1" else {"page": 10} if where == "page 10" else {"cursor": deep_cursor(user, query)}
            search(user, query, **place)  # warm the page cache for this query once
            for _ in range(args.repeat):
                start = time.perf_counter()
                search(user, query, **place)
                timings.append((time.perf_counter() - start) * 1000)
        return timings

    for label, user in (("admin", admin), ("consultant 华南", consultant)):
        for kind, queries in (("two-word", PAIR_QUERIES), ("one-word", SINGLE_QUERIES)):
            for where in ("page 1", "page 10", f"cursor {args.deep}"):
                timings = measure(user, queries, where)
                print(
                    f"{label:16s} {kind:9s} {where:10s}: n={len(timings):4d}  p50 {statistics.median(timings):6.1f} ms  "
                    f"p95 {_percentile(timings, 95):6.1f} ms  max {max(timings):6.1f} ms", flush=True
                )
    sample = search(admin, PAIR_QUERIES[0])
    print(f"e.g. “{PAIR_QUERIES[0]}”: {len(sample.tickets)} shown of {sample.total_text}, past the ranked newest {CANDIDATES} by cursor: {sample.capped}")


if __name__ == "__main__":
    main()
