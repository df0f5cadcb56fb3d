"""Which article helps with this text, and who handles it: the typing path and `fankui route`, side by side.

    .venv/bin/python benchmarks/bench_matcher.py [--misses] [FILE ...]

Default files: the blind set benchmarks/eval/reports.jsonl (never tuned on) and the development set
../shared/eval/dev.jsonl. For each, prints for the typing path (what POST /api/v1/kb/suggest shows while a
reporter types) and for the router (`fankui route`):
  FAQ hit@3        share of reports with an FAQ whose article is among the first three shown
  FAQ false alarm  share of reports without an FAQ that are shown any article
and for the router: contact accuracy (reports with a contact), abstention on noise and ambiguous reports
(no system and no contact), over-abstention on answerable reports. Self-contained (throw-away SQLite).
--misses also prints each report the router got wrong, to read the kind of mistake (never to copy into rules).
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.pop("DATABASE_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "fankui.settings_test"
os.environ["FANKUI_DATA_DIR"] = tempfile.mkdtemp(prefix="fankui-matcher-")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT = [ROOT / "benchmarks" / "eval" / "reports.jsonl", ROOT.parent / "shared" / "eval" / "dev.jsonl"]


def _share(hits: int, total: int) -> str:
    return f"{hits}/{total} = {hits / total:.3f}" if total else "-"


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("import-guide", "--summary", stdout=open(os.devnull, "w"))
    from fankui.kb.matcher import articles_for
    from fankui.routing.services import route_report

    args = sys.argv[1:]
    show_misses = "--misses" in args
    for path in [Path(p) for p in args if p != "--misses"] or DEFAULT:
        if not path.exists():
            continue
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        typed = {"hit": 0, "faq": 0, "alarm": 0, "nofaq": 0}
        routed = {"hit": 0, "faq": 0, "alarm": 0, "nofaq": 0, "contact_ok": 0, "contacts": 0, "abstain": 0, "quiet": 0, "over": 0, "answerable": 0}
        timings = []
        for row in rows:
            expect = row["expect"]
            text = row["text"]
            started = time.perf_counter()
            shown = [a.slug for a in articles_for(text)][:3]
            timings.append(time.perf_counter() - started)
            route = route_report(text, region=row.get("region"), reporter=row.get("reporter"))
            for counts, slugs in ((typed, shown), (routed, route.faq_slugs[:3])):
                if expect.get("faq"):
                    counts["faq"] += 1
                    counts["hit"] += expect["faq"] in slugs
                else:
                    counts["nofaq"] += 1
                    counts["alarm"] += bool(slugs)
            missed = []
            if expect.get("contact"):
                routed["contacts"] += 1
                routed["contact_ok"] += route.contact == expect["contact"]
                if route.contact != expect["contact"]:
                    missed.append(f"contact {route.contact} ≠ {expect['contact']}")
            if not expect.get("system") and not expect.get("contact") and not expect.get("faq"):
                routed["quiet"] += 1
                routed["abstain"] += route.abstained
                if not route.abstained:
                    missed.append(f"answered {route.system} / {route.contact} where it should abstain")
            elif expect.get("system") or expect.get("contact"):
                routed["answerable"] += 1
                routed["over"] += route.abstained
                if route.abstained:
                    missed.append("abstained")
            if show_misses and missed:
                print(f"  MISS {'; '.join(missed)}: {text}")
        timings.sort()
        print(f"== {path.name} ({len(rows)} reports)")
        print(f"  typing path  FAQ hit@3 {_share(typed['hit'], typed['faq'])}  FAQ false alarms {_share(typed['alarm'], typed['nofaq'])}"
              f"  p95 {timings[int(0.95 * (len(timings) - 1))] * 1000:.1f} ms")
        print(f"  fankui route FAQ hit@3 {_share(routed['hit'], routed['faq'])}  FAQ false alarms {_share(routed['alarm'], routed['nofaq'])}")
        print(f"  fankui route contact accuracy {_share(routed['contact_ok'], routed['contacts'])}  abstention on noise/ambiguous "
              f"{_share(routed['abstain'], routed['quiet'])}  over-abstention {_share(routed['over'], routed['answerable'])}")


if __name__ == "__main__":
    main()
