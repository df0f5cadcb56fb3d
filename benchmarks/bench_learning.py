"""Routing rises with use: consultants correct the router on one half of a labelled set, the router
retrains (`fankui router train`), and the other half is measured before and after.

    .venv/bin/python benchmarks/bench_learning.py [FILE]

Default FILE: the blind set benchmarks/eval/reports.jsonl. Items are split by a fixed hash of their id.
The "correction" is what a consultant's escalation stores (`routing.services.record_decision`): the
system they chose, for every report of the first half the router routed to the wrong system or left
unrouted. Prints system accuracy and contact accuracy on the second half, before and after retraining.

Two rounds: the reports as written, and the same reports with every system name taken out ("那个系统…"),
as staff write when the context is obvious to them — there only hint words and the learned model can
route, so that is where consultants' corrections have something to teach.
Self-contained: a throw-away SQLite database in a temporary folder (DATABASE_URL is ignored).
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.pop("DATABASE_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "fankui.settings_test"
os.environ["FANKUI_DATA_DIR"] = tempfile.mkdtemp(prefix="fankui-learning-")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT = ROOT / "benchmarks" / "eval" / "reports.jsonl"


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("import-guide", "--summary", stdout=open(os.devnull, "w"))

    rows = [json.loads(line) for line in (Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT).read_text(encoding="utf-8").splitlines() if line.strip()]
    reporter = get_user_model().objects.create_user("learning-bench")
    print("== as written")
    _round(rows, reporter)
    print("== system names taken out")
    _round([_without_names(r) for r in rows if r["expect"].get("system")], reporter)


def _without_names(row: dict) -> dict:
    from fankui.routing.selectors import get_index
    from fankui.routing.text import rule_text

    text = rule_text(row["text"])
    for system in get_index().lexicon.systems:
        for alias in sorted(system.aliases, key=len, reverse=True):
            text = text.replace(alias, "系统")
    return {**row, "text": text}


def _round(rows: list[dict], reporter) -> None:
    from fankui.core.process_cache import clear_process_caches
    from fankui.routing.models import RoutingExample
    from fankui.routing.services import record_decision, route_report, train_router
    from fankui.tickets.models import Ticket
    from fankui.tickets.services import Intake, create_ticket

    RoutingExample.objects.filter(source=RoutingExample.Source.TICKET).delete()
    first = [r for r in rows if int(hashlib.sha256(r["id"].encode()).hexdigest(), 16) % 2 == 0]
    second = [r for r in rows if r not in first]

    def measure(items: list[dict]) -> tuple[float, float]:
        system_ok = contact_ok = contacts = 0
        for r in items:
            route = route_report(r["text"], region=r.get("region"), reporter=r.get("reporter"))
            system_ok += route.system == r["expect"].get("system")
            if r["expect"].get("contact"):
                contacts += 1
                contact_ok += route.contact == r["expect"]["contact"]
        return system_ok / len(items), contact_ok / max(1, contacts)

    train_router(force=True, note="bench_learning: shipped examples only")
    clear_process_caches()
    before = measure(second)
    corrected = 0
    for r in first:
        expected = r["expect"].get("system")
        if not expected:
            continue
        ticket = create_ticket(reporter=reporter, intake=Intake(description=r["text"], channel=Ticket.Channel.WEB)).ticket
        if (ticket.system.name if ticket.system else None) != expected:
            record_decision(ticket_id=ticket.pk, text=r["text"], system=expected)  # the consultant's escalation
            corrected += 1
    outcome = train_router(force=True, note="bench_learning")
    clear_process_caches()  # what every process notices within a second: a new active model
    after = measure(second)
    print(f"  first half {len(first)} reports, {corrected} corrected by consultants; measured on the other {len(second)}")
    print(f"  system accuracy   before {before[0]:.3f}  after {after[0]:.3f}")
    print(f"  contact accuracy  before {before[1]:.3f}  after {after[1]:.3f}")
    print(f"  retrained model: held-out accuracy {outcome.accuracy:.3f}")

if __name__ == "__main__":
    main()
