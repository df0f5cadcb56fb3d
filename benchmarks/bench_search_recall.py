"""The shared harness's search correctness with every page fetched: precision and recall per query.

    .venv/bin/python benchmarks/bench_search_recall.py                 # SQLite, 10,000 tickets
    .venv/bin/python benchmarks/bench_search_recall.py --database-url postgres://postgres@127.0.0.1:5432/postgres

The corpus and its ground truth come from the harness itself (`corpus.py` in
../shared/bench/peer-django-helpdesk, imported, not copied): the same N tickets, the same seed, the
same 8 queries and the same notion of a right answer (a ticket *about* 退款, not one that merely holds
its characters: 和服务商 is not 和服). Tickets are seeded as `../shared/bench/fk_seed.py` does
(reference B<corpus index>, region by index, the corpus's status and age), the index is built with
`reindex()`, and fankui is served by gunicorn with 2 sync workers, as the harness serves it. Each
query then goes through `GET /api/v1/kb/search` with an admin's bearer token, following
`next_cursor` to the last page. Printed: per query the hits returned, the expected ones, precision
and recall; the overall figures; and the latency of each page request (p50/p95), first pages apart.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.seeding import HARNESS, seed_harness_corpus, throwaway_environment  # noqa: E402



def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=10_000, help="corpus size (the harness's N)")
    parser.add_argument("--seed", type=int, default=20240601, help="the harness's corpus seed")
    parser.add_argument("--database-url", default="", help="postgres://… (a throw-away database is created beside it)")
    parser.add_argument("--harness", type=Path, default=HARNESS, help="folder of the harness's corpus.py")
    parser.add_argument("--keep", action="store_true", help="keep the data folder / database")
    args = parser.parse_args()
    sys.path.insert(0, str(args.harness))
    with throwaway_environment("fankui-bench-recall-", args.database_url, keep=args.keep) as data_dir:
        token = seed(args)
        port = _free_port()
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "fankui.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
             "--worker-class", "sync", "--error-logfile", str(data_dir / "gunicorn.log")],
            cwd=ROOT, env={**os.environ, "FANKUI_OCR": "0"},
        )
        try:
            _wait_for(port, server)
            failed = measure(args, port, token)
        finally:
            server.terminate()
            server.wait(timeout=30)
    sys.exit(1 if failed else 0)


def seed(args: argparse.Namespace) -> str:
    """Migrate, import the guide, insert the corpus, index it; an admin's bearer token."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from fankui.accounts.tokens import create_token
    from fankui.directory.guide import load_guide
    from fankui.directory.models import Region
    from fankui.directory.services import import_guide

    call_command("migrate", verbosity=0)
    import_guide(load_guide())
    admin = get_user_model().objects.create_superuser("admin", password="x")
    regions = list(Region.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    seed_harness_corpus(args.tickets, seed=args.seed, reporter_id=admin.pk, region_ids=regions)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE kb_searchdoc")
    print(f"database: {connection.vendor}; {args.tickets:,} corpus tickets (seed {args.seed}) inserted and indexed in {time.perf_counter() - started:.1f} s")
    token = create_token(user=admin, name="bench-search-recall").token
    connection.close()  # gunicorn's workers take over; SQLite must not see a writer left open here
    return token


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not listen on {port}")


def measure(args: argparse.Namespace, port: int, token: str) -> bool:
    """Fetch every page of every query; print the table; True if any precision or recall is below 1."""
    import corpus

    truth = corpus.ground_truth(args.tickets, args.seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    def get(params: dict[str, str]) -> tuple[dict[str, object], float]:
        start = time.perf_counter()
        conn.request("GET", "/api/v1/kb/search?" + urllib.parse.urlencode(params), headers=headers)
        response = conn.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status != 200:
            raise SystemExit(f"{params}: HTTP {response.status} {body[:200]!r}")
        return json.loads(body), elapsed

    get({"q": corpus.QUERIES[0]["q"]})  # warm-up: both workers load the segmenter on their first search
    get({"q": corpus.QUERIES[0]["q"]})
    first_pages: list[float] = []
    later_pages: list[float] = []
    failed = False
    tp_all = got_all = want_all = 0
    print(f"{'query':10s} {'case':58s} {'pages':>5s} {'total':>6s} {'returned':>8s} {'expected':>8s} {'precision':>9s} {'recall':>6s}")
    for spec in corpus.QUERIES:
        body, elapsed = get({"q": spec["q"]})
        first_pages.append(elapsed)
        total_text, pages, refs = str(body["total_text"]), 1, [str(hit["ref"]) for hit in body["tickets"]]  # type: ignore[union-attr]
        while body["next_cursor"]:
            body, elapsed = get({"q": spec["q"], "cursor": str(body["next_cursor"])})
            later_pages.append(elapsed)
            pages += 1
            refs += [str(hit["ref"]) for hit in body["tickets"]]  # type: ignore[union-attr]
        got = {int(match.group(1)) for ref in refs if (match := re.fullmatch(r"B(\d{8})", ref))}
        want = truth[spec["q"]]["intent"]
        duplicates = len(refs) - len(set(refs))
        tp = len(got & want)
        precision = tp / len(got) if got else 1.0
        recall = tp / len(want) if want else 1.0
        failed |= precision < 1 or recall < 1 or duplicates > 0
        tp_all, got_all, want_all = tp_all + tp, got_all + len(got), want_all + len(want)
        print(f"{spec['q']:10s} {spec['case'][:58]:58s} {pages:5d} {total_text:>6s} {len(refs):8d} {len(want):8d} {precision:9.3f} {recall:6.3f}"
              + (f"  ({duplicates} shown twice)" if duplicates else ""))
    print(f"overall: {got_all} returned, {want_all} expected, precision {tp_all / got_all:.3f}, recall {tp_all / want_all:.3f}")
    every = first_pages + later_pages
    for label, values in (("first pages", first_pages), ("next pages (cursor)", later_pages), ("every page", every)):
        if values:
            print(f"{label:20s} n={len(values):4d}  p50 {statistics.median(values):6.1f} ms  p95 {_percentile(values, 95):6.1f} ms  max {max(values):6.1f} ms")
    return failed


if __name__ == "__main__":
    main()
