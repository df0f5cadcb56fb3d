"""The group's staff list into fankui: `fankui import-users` on 20,000 rows, timed as a person runs it.

    .venv/bin/python benchmarks/bench_import_users.py                 # SQLite, 20,000 rows
    .venv/bin/python benchmarks/bench_import_users.py --rows 50000
    .venv/bin/python benchmarks/bench_import_users.py --database-url postgres://postgres@127.0.0.1:5432/fankui_bench

Makes a fresh data folder (and, for PostgreSQL, a fresh database it creates and drops), migrates and
imports the guide, writes an .xlsx of N staff (工号, 姓名, 手机, 邮箱, 角色 — one in ten a 顾问 —, 大区 by
name or code, 项目, and a few 目录人员), then runs `fankui import-users` as a fresh process three times:
the first import (every account new), the same file again (nothing changes) and a file with one row in
ten edited. Prints wall seconds and rows/s for each. The issue's bar: 20,000 staff in under a minute.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

REGIONS = ["华北", "华西", "华东大区", "华中", "huanan", "环渤海"]
DIRECTORY_PEOPLE = ["丁家贵", "陈坚", "彭戈"]
HEADER = ["工号", "姓名", "手机", "邮箱", "角色", "大区", "项目", "目录人员"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def staff_rows(count: int, edited: bool = False) -> list[list[object]]:
    rng = random.Random(13)
    rows: list[list[object]] = []
    for n in range(count):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        role = "顾问" if n % 10 == 0 else "报告人"
        region = REGIONS[n % len(REGIONS)]
        if edited and n % 10 == 5:
            name, region = name + "（调岗）", REGIONS[(n + 1) % len(REGIONS)]
        person = DIRECTORY_PEOPLE[n] if n < len(DIRECTORY_PEOPLE) else None
        rows.append([f"E{n:06d}", name, 13000000000 + n, f"e{n:06d}@example.cn", role, region, f"{region}项目{n % 300}", person])
    return rows


def write_xlsx(path: Path, rows: list[list[object]]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)


def postgres_admin(url: str, sql: str) -> None:
    """Run CREATE/DROP DATABASE through the server's maintenance database."""
    import psycopg

    admin = urllib.parse.urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def fankui(env: dict[str, str], *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "fankui.cli", *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"failed: fankui {' '.join(args)}\n{result.stdout}\n{result.stderr}")
    return elapsed, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--database-url", help="postgres://user@host:port/name — a fresh database is created and dropped")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-import-users-"))
    leave_out = {"DATABASE_URL", "REDIS_URL", "FANKUI_HUEY_IMMEDIATE"}
    env = {key: value for key, value in os.environ.items() if key not in leave_out}
    env.update(DJANGO_SETTINGS_MODULE="fankui.settings", FANKUI_DATA_DIR=str(work / "data"))
    database_url = None
    if args.database_url:
        from cryptography.fernet import Fernet

        name = f"fankui_bench_import_{os.getpid()}"
        database_url = urllib.parse.urlparse(args.database_url)._replace(path=f"/{name}").geturl()
        postgres_admin(database_url, f'CREATE DATABASE "{name}"')
        env.update(DATABASE_URL=database_url, FANKUI_SECRET_KEY="bench-" + "x" * 50, FANKUI_VAULT_KEYS=Fernet.generate_key().decode())
    try:
        fankui(env, "migrate", "--no-input", "-v", "0")
        fankui(env, "import-guide", "--summary")
        first, edited = work / "staff.xlsx", work / "staff-edited.xlsx"
        started = time.perf_counter()
        write_xlsx(first, staff_rows(args.rows))
        write_xlsx(edited, staff_rows(args.rows, edited=True))
        print(f"{args.rows:,} rows on {'PostgreSQL' if database_url else 'SQLite'}; two .xlsx written in "
              f"{time.perf_counter() - started:.1f} s ({first.stat().st_size / 1e6:.1f} MB each)")
        print(f"{'run':<34} {'wall s':>7} {'rows/s':>8}  result")
        for label, path in (("first import (all new)", first), ("same file again", first), ("one row in ten edited", edited)):
            elapsed, output = fankui(env, "import-users", str(path))
            summary = next(line for line in output.splitlines() if line.startswith("完成"))
            print(f"{label:<34} {elapsed:7.1f} {args.rows / elapsed:8,.0f}  {summary}")
        print("bar: 20,000 rows in under 60 s (wall time of the whole command, Python start-up included)")
    finally:
        if database_url:
            postgres_admin(database_url, f'DROP DATABASE IF EXISTS "{urllib.parse.urlparse(database_url).path.lstrip("/")}" WITH (FORCE)')


if __name__ == "__main__":
    main()
