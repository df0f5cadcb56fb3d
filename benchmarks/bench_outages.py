"""共性 detection on the blind outage set (benchmarks/eval/outages.jsonl, see outages.README.md).

    .venv/bin/python benchmarks/bench_outages.py [--why] [FILE]

Replays the day's 196 reports through the API (POST /api/v1/tickets with each reporter's own token, no
system given: fankui routes the text), in time order on a simulated clock, running the worker's
once-a-minute pass between reports as production does. Prints:

- recall by the 3rd report: share of outage scenarios whose first three reports share one incident
  within a minute of the third;
- recall at the end: share of scenarios with one incident holding at least three of their reports;
- purity: share of grouped tickets that belong to their incident's majority scenario;
- false incidents: incidents whose reports are mostly not from any outage;
- reports filed before detection (mean over detected scenarios).

Self-contained: a throw-away SQLite database in a temporary folder (DATABASE_URL is ignored).
"""
from __future__ import annotations

import datetime
import json
import os
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from unittest import mock

os.environ.pop("DATABASE_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "fankui.settings_test"
os.environ["FANKUI_DATA_DIR"] = tempfile.mkdtemp(prefix="fankui-outages-")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DEFAULT = Path(__file__).resolve().parent / "eval" / "outages.jsonl"
START = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("import-guide", "--summary", stdout=open(os.devnull, "w"))

    from django.contrib.auth import get_user_model

    from fankui.accounts.services import set_profile
    from fankui.accounts.tokens import create_token
    from fankui.directory.models import Region
    from fankui.incidents.models import IncidentTicket
    from fankui.incidents.services import regroup_recent
    from fankui.tickets.models import Ticket

    files = [a for a in sys.argv[1:] if not a.startswith('--')]
    reports = [json.loads(line) for line in (Path(files[0]) if files else DEFAULT).read_text().splitlines() if line.strip()]
    reports.sort(key=lambda r: r["minute"])
    regions = {r.name: r for r in Region.objects.all()}
    tokens: dict[str, str] = {}
    for r in reports:
        if r["reporter"] not in tokens:
            user = get_user_model().objects.create_user(r["reporter"])
            set_profile(user, role="reporter", region=regions.get(r["region"] or ""), kind="owner" if r["reporter_kind"] == "owner" else "staff")
            tokens[r["reporter"]] = create_token(user=user, name="bench").token

    now = [START]
    ref_of: dict[str, str] = {}
    detected_at: dict[str, int] = {}  # scenario → how many of its reports were filed when first grouped
    by_third: dict[str, bool] = {}

    def incident_of(ref: str) -> int | None:
        return IncidentTicket.objects.filter(ticket__ref=ref).values_list("incident_id", flat=True).first()

    def check(scenario_reports: dict[str, list[str]]) -> None:
        for scenario, refs in scenario_reports.items():
            incidents = [incident_of(ref) for ref in refs]
            if scenario not in detected_at and any(incidents):
                detected_at[scenario] = len(refs)
            if len(refs) >= 3 and scenario not in by_third:
                first = incidents[:3]
                by_third[scenario] = first[0] is not None and len(set(first)) == 1

    filed: dict[str, list[str]] = defaultdict(list)
    last_pass = START
    with mock.patch("django.utils.timezone.now", side_effect=lambda: now[0]):
        for r in reports:
            at = START + datetime.timedelta(minutes=r["minute"])
            # The worker's pass, once a minute, up to this report's arrival.
            while last_pass + datetime.timedelta(minutes=1) <= at:
                last_pass += datetime.timedelta(minutes=1)
                now[0] = last_pass
                regroup_recent()
                check(filed)
            now[0] = at
            body = {"description": r["text"]}
            if r["title"]:
                body["title"] = r["title"]
            response = Client(headers={"Authorization": f"Bearer {tokens[r['reporter']]}"}).post("/api/v1/tickets", body, content_type="application/json")
            assert response.status_code == 201, response.content
            ref_of[r["id"]] = response.json()["ref"]
            if r["scenario"]:
                filed[r["scenario"]].append(ref_of[r["id"]])
                if len(filed[r["scenario"]]) < 3:
                    check({r["scenario"]: filed[r["scenario"]]})  # a third report gets a worker pass first
        for _ in range(3):
            last_pass += datetime.timedelta(minutes=1)
            now[0] = last_pass
            regroup_recent()
        check(filed)

    scenario_of = {ref_of[r["id"]]: r["scenario"] for r in reports}
    members: dict[int, list[str]] = defaultdict(list)
    for incident_id, ref in IncidentTicket.objects.values_list("incident_id", "ticket__ref"):
        members[incident_id].append(ref)
    grouped = pure = false_incidents = 0
    for refs in members.values():
        majority, count = Counter(scenario_of[ref] for ref in refs).most_common(1)[0]
        if "--why" in sys.argv and count < len(refs):
            print(f"  impure: majority {majority} {count}/{len(refs)}, others "
                  f"{sorted(str(scenario_of[ref]) for ref in refs if scenario_of[ref] != majority)}")
        grouped += len(refs)
        pure += count if majority else 0
        false_incidents += majority is None
    scenarios = sorted(filed)
    at_end = sum(1 for s in scenarios if any(Counter(scenario_of[r] for r in refs)[s] >= 3 for refs in members.values()))
    third = sum(by_third.get(s, False) for s in scenarios)
    before = [detected_at[s] for s in scenarios if s in detected_at]
    print(f"reports {len(reports)}  scenarios {len(scenarios)}  incidents {len(members)}  grouped tickets {grouped}  tickets {Ticket.objects.count()}")
    print(f"recall by the 3rd report  {third}/{len(scenarios)} = {third / len(scenarios):.2f}")
    print(f"recall at the end         {at_end}/{len(scenarios)} = {at_end / len(scenarios):.2f}")
    print(f"purity                    {pure}/{grouped} = {pure / grouped if grouped else 1:.2f}")
    print(f"false incidents           {false_incidents}")
    print(f"reports before detection  {sum(before) / len(before) if before else float('nan'):.1f} (mean over {len(before)} detected)")
    missed = [s for s in scenarios if not by_third.get(s)]
    print(f"not one incident by the 3rd report: {' '.join(missed) or '-'}")
    if "--why" in sys.argv:
        _why(missed, filed)


def _why(missed: list[str], filed: dict[str, list[str]]) -> None:
    """For each missed scenario, what stood in the way among its first three reports (no texts printed)."""
    from fankui.incidents.selectors import signature_of
    from fankui.incidents.symptoms import same_problem
    from fankui.tickets.models import Ticket

    for scenario in missed:
        tickets = [Ticket.objects.select_related("system", "region").get(ref=ref) for ref in filed[scenario][:3]]
        sigs = [signature_of(t.title, t.description, t.system_id) for t in tickets]
        parts = []
        for t, sig in zip(tickets, sigs):
            parts.append(f"{t.system.name if t.system else '无系统'}/{t.region.name if t.region else '-'}"
                         f"/{'可分组' if sig and sig.groupable else '不可分组'}{sorted(sig.functions | sig.symptoms) if sig else ''}")
        scores = [f"{same_problem(a, b):.2f}" if a and b else "-" for i, a in enumerate(sigs) for b in sigs[i + 1:]]
        print(f"  {scenario}: {' | '.join(parts)}  scores {' '.join(scores)}")


if __name__ == "__main__":
    main()
