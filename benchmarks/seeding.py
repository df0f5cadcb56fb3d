"""What the search benchmarks share: a throw-away database and tickets inserted in bulk.

`throwaway_environment` points FANKUI_DATA_DIR (and, given a postgres:// URL, DATABASE_URL) at a fresh
folder and database, and removes both afterwards; `insert_tickets` writes tickets with raw
executemany (the ORM's bulk_create spent most of its time building objects) and leaves the search
index to `reindex()`, as `fankui kb reindex` does after a bulk load.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

BATCH = 10_000


@contextlib.contextmanager
def throwaway_environment(prefix: str, database_url: str = "", *, keep: bool = False) -> Iterator[Path]:
    """A fresh data folder (and PostgreSQL database beside the one in `database_url`) for this process and its children."""
    data_dir = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["FANKUI_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "fankui.settings"
    os.environ.setdefault("FANKUI_LOG_LEVEL", "WARNING")
    bench_db = ""
    if database_url:
        import psycopg

        bench_db = f"{prefix.strip('-').replace('-', '_')}_{os.getpid()}"
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{bench_db}"')
        os.environ["DATABASE_URL"] = urllib.parse.urlunparse(urllib.parse.urlparse(database_url)._replace(path=f"/{bench_db}"))
        from fankui.core.crypto import new_server_keys

        for name, value in new_server_keys().items():  # shared data needs keys set, not generated per folder
            os.environ.setdefault(name, value)
    try:
        yield data_dir
    finally:
        if keep:
            print(f"kept: {data_dir} {bench_db}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
            if bench_db:
                from django.db import connections

                connections.close_all()
                import psycopg

                with psycopg.connect(database_url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')


@dataclass(frozen=True)
class SeedTicket:
    ref: str
    reporter_id: int
    region_id: int | None
    title: str
    description: str
    system_id: int | None
    status: str
    created_at: datetime


_COLUMNS = (
    "ref, reporter_id, reporter_kind, region_id, project, channel, title, description, urgency, system_id, topic, "
    "routing, context, status, tier, escalated_to, created_at, updated_at"
)


def insert_tickets(tickets: Iterable[SeedTicket]) -> int:
    """Insert the tickets in one transaction; the count inserted."""
    from django.db import connection, transaction

    sql = f"INSERT INTO tickets_ticket ({_COLUMNS}) VALUES ({', '.join(['%s'] * 18)})"
    count = 0
    rows: list[tuple[object, ...]] = []
    with transaction.atomic(), connection.cursor() as cursor:
        for t in tickets:
            rows.append((
                t.ref, t.reporter_id, "staff", t.region_id, "", "web", t.title, t.description, "normal", t.system_id, "",
                "{}", "{}", t.status, 1, "", t.created_at, t.created_at,
            ))
            if len(rows) == BATCH:
                cursor.executemany(sql, rows)
                count, rows = count + len(rows), []
        if rows:
            cursor.executemany(sql, rows)
            count += len(rows)
    return count


# The side-by-side harness's corpus (../shared/bench), the same tickets compare.sh seeds with its fk_seed.py.
HARNESS = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "peer-django-helpdesk"
_HARNESS_STATUSES = {1: "open", 3: "resolved", 4: "closed"}  # the corpus's (django-helpdesk's) codes, as fk_seed.py maps them


def harness_corpus() -> object:
    """The harness's `corpus` module (found only beside a checkout, never copied)."""
    import sys

    sys.path.insert(0, str(HARNESS))
    import corpus  # noqa: PLC0415

    return corpus


def seed_harness_corpus(count: int, *, seed: int, reporter_id: int, region_ids: list[int]) -> int:
    """Insert the harness corpus's first `count` tickets (reference B<corpus index>) and index them."""
    from django.utils import timezone

    from fankui.kb.indexing import reindex

    now = timezone.now()
    inserted = insert_tickets(
        SeedTicket(f"B{t['i']:08d}", reporter_id, region_ids[t["i"] % len(region_ids)], t["title"], t["description"], None,
                   _HARNESS_STATUSES[t["status"]], now - timedelta(minutes=t["age_minutes"]))
        for t in harness_corpus().generate(count, seed)  # type: ignore[attr-defined]
    )
    reindex(batch=BATCH)
    return inserted
