"""The outbox fault run at full size: 500 deliveries (250 notices by mail and push), workers SIGKILLed 20 times.

    .venv/bin/python benchmarks/bench_delivery_faults.py [NOTICES] [KILLS] [SEED] [--smtp-refusing S] [--restart-db]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/bench_delivery_faults.py --restart-db

--smtp-refusing S: the mail server answers 451 for the first S seconds. --restart-db (PostgreSQL only):
the whole cluster restarts in the middle of the kills — never run it beside anything else using it.

Prints deliveries, kills, lost and duplicates (the bar: 0 lost, duplicates ≤ kills). On PostgreSQL it runs
in a new database it drops afterwards. The harness is fankui/notify/tests/fault_run.py (the CI test runs it small).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fankui.settings_test")


def main() -> None:
    import django

    django.setup()
    from fankui.notify.tests import fault_run

    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("notices", type=int, nargs="?", default=250)
    parser.add_argument("kills", type=int, nargs="?", default=20)
    parser.add_argument("seed", type=int, nargs="?", default=1)
    parser.add_argument("--smtp-refusing", type=float, default=0.0)
    parser.add_argument("--restart-db", action="store_true")
    args = parser.parse_args()
    result = fault_run.run(notices=args.notices, kills=args.kills, seed=args.seed,
                           smtp_refusing_seconds=args.smtp_refusing, restart_database=args.restart_db)
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(f"{database}: deliveries {result.deliveries}  kills {result.kills}  lost {result.lost}  "
          f"duplicates {result.duplicates}  ({result.seconds:.0f} s)")


if __name__ == "__main__":
    main()
