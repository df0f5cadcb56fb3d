"""The outbox fault run at full size: 500 deliveries (250 notices by mail and push), workers SIGKILLed 20 times.

    .venv/bin/python benchmarks/bench_delivery_faults.py [NOTICES] [KILLS] [SEED]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/bench_delivery_faults.py

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

    notices, kills, seed = (int(a) for a in (sys.argv[1:] + ["250", "20", "1"][len(sys.argv) - 1 :])[:3])
    result = fault_run.run(notices=notices, kills=kills, seed=seed)
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(f"{database}: deliveries {result.deliveries}  kills {result.kills}  lost {result.lost}  "
          f"duplicates {result.duplicates}  ({result.seconds:.0f} s)")


if __name__ == "__main__":
    main()
