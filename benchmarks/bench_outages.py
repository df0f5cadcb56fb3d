"""共性 detection on the blind outage set (benchmarks/eval/outages.jsonl, see outages.README.md).

    .venv/bin/python benchmarks/bench_outages.py [--why] [--servers 2] [FILE]

Replays the day's reports through the API (POST /api/v1/tickets with each reporter's own token, no
system given: fankui routes the text), in time order on a simulated clock, running the worker's
once-a-minute pass between reports as production does. Prints:

- recall by the 3rd report: share of outage scenarios whose first three reports share one incident
  within a minute of the third;
- recall at the end: share of scenarios with one incident holding at least three of their reports;
- purity: share of grouped tickets that belong to their incident's majority scenario;
- false incidents: incidents whose reports are mostly not from any outage;
- reports filed before detection (mean over detected scenarios).

One server (the default): in this process, on a throw-away SQLite database (DATABASE_URL is ignored).

--servers 2: the same replay through two gunicorn app servers (one worker each) on a throw-away PostgreSQL
database (beside DATABASE_URL's, default postgres://postgres@127.0.0.1:5432/postgres) and a Redis of its own.
Requests alternate between the servers; two reports with no worker pass between them are sent at once, one to
each. Each server groups a report after its commit (Huey immediate), so the two group concurrently; this
process runs the minute pass. Each request carries its simulated instant (benchmarks/gunicorn_clock.py). It
first runs the one-server replay and prints whether the incidents (as sets of report ids) are the same.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from unittest import mock

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
DEFAULT = HERE / "eval" / "outages.jsonl"
START = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
MINUTE = datetime.timedelta(minutes=1)

Report = dict[str, Any]
Post = Callable[[Sequence[tuple[Report, datetime.datetime]]], list[str]]  # reports filed together → their refs


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--why", action="store_true", help="what stood in the way of each miss, and impure incidents")
    parser.add_argument("--servers", type=int, choices=(1, 2), default=1)
    parser.add_argument("--partition", type=Path, help="also write the incidents, as lists of report ids, to this JSON file")
    return parser.parse_args()


def main() -> None:
    args = arguments()
    os.environ["DJANGO_SETTINGS_MODULE"] = "fankui.settings_test"
    if args.servers == 1:
        os.environ.pop("DATABASE_URL", None)
        os.environ["FANKUI_DATA_DIR"] = tempfile.mkdtemp(prefix="fankui-outages-")
        replay(args, InProcess)
        return
    from benchmarks.seeding import throwaway_environment

    one = one_server_partition(args.file)
    with throwaway_environment("fankui-outages-", os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"):
        os.environ["DJANGO_SETTINGS_MODULE"] = "fankui.settings_test"  # this process; the servers run production settings
        two = replay(args, TwoServers)
    same = sorted(map(sorted, one)) == sorted(map(sorted, two))
    print(f"incidents the same as through one server: {'yes' if same else 'NO'}")
    if not same:
        only = lambda a, b: sorted(sorted(x) for x in a if sorted(x) not in map(sorted, b))  # noqa: E731
        print(f"  one server only: {only(one, two)}\n  two servers only: {only(two, one)}")


def one_server_partition(file: Path) -> list[list[str]]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([sys.executable, __file__, str(file), "--partition", out.name], check=True, stdout=subprocess.DEVNULL)
        return json.loads(Path(out.name).read_text())


def replay(args: argparse.Namespace, servers: type[InProcess | TwoServers]) -> list[list[str]]:
    """Set up reporters, replay the file through `servers` (a context giving the Post), print the figures;
    return the incidents as lists of report ids."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from fankui.accounts.services import set_profile
    from fankui.accounts.tokens import create_token
    from fankui.directory.models import Region
    from fankui.incidents.models import IncidentTicket
    from fankui.incidents.services import regroup_recent
    from fankui.tickets.models import Ticket

    call_command("migrate", verbosity=0)
    call_command("import-guide", "--summary", stdout=open(os.devnull, "w"))
    reports = [json.loads(line) for line in args.file.read_text().splitlines() if line.strip()]
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
    sent_at: dict[str, datetime.datetime] = {}
    at_intake = 0  # reports grouped by the server that took them, before any worker pass
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

    def worker_pass() -> None:
        nonlocal last_pass
        last_pass += MINUTE
        now[0] = last_pass
        regroup_recent()

    with servers(tokens) as post, mock.patch("django.utils.timezone.now", side_effect=lambda: now[0]):
        together = batches(reports) if args.servers == 2 else [[r] for r in reports]
        for batch in together:
            at = [START + datetime.timedelta(minutes=r["minute"]) for r in batch]
            # The worker's pass, once a minute, up to this report's arrival.
            while last_pass + MINUTE <= at[0]:
                worker_pass()
                check(filed)
            now[0] = at[-1]
            refs = post(list(zip(batch, at)))
            at_intake += IncidentTicket.objects.filter(ticket__ref__in=refs).count()
            for r, ref in zip(batch, refs):
                ref_of[r["id"]], sent_at[ref] = ref, START + datetime.timedelta(minutes=r["minute"])
                if r["scenario"]:
                    filed[r["scenario"]].append(ref)
                    if len(filed[r["scenario"]]) < 3:
                        check({r["scenario"]: filed[r["scenario"]]})  # a third report gets a worker pass first
        for _ in range(3):
            worker_pass()
        check(filed)

    # Every report was filed at its simulated instant (on two servers: the clock hook took).
    assert all(sent_at[ref] == created for ref, created in Ticket.objects.values_list("ref", "created_at")), "a report missed its instant"
    scenario_of = {ref_of[r["id"]]: r["scenario"] for r in reports}
    id_of = {ref: report_id for report_id, ref in ref_of.items()}
    members: dict[int, list[str]] = defaultdict(list)
    for incident_id, ref in IncidentTicket.objects.values_list("incident_id", "ticket__ref"):
        members[incident_id].append(ref)
    grouped = pure = false_incidents = 0
    for refs in members.values():
        majority, count = Counter(scenario_of[ref] for ref in refs).most_common(1)[0]
        if args.why and majority is None:
            print(f"  false: {sorted(id_of[ref] for ref in refs)}")
        elif args.why and count < len(refs):
            print(f"  impure: majority {majority} {count}/{len(refs)}, others "
                  f"{sorted(f'{scenario_of[ref]} ({id_of[ref]})' for ref in refs if scenario_of[ref] != majority)}")
        grouped += len(refs)
        pure += count if majority else 0
        false_incidents += majority is None
    scenarios = sorted(filed)
    at_end = sum(1 for s in scenarios if any(Counter(scenario_of[r] for r in refs)[s] >= 3 for refs in members.values()))
    third = sum(by_third.get(s, False) for s in scenarios)
    before = [detected_at[s] for s in scenarios if s in detected_at]
    if args.servers == 2:
        print(f"two app servers: {sum(len(b) == 2 for b in together)} pairs of reports sent at once, the rest alternating")
    print(f"reports {len(reports)}  scenarios {len(scenarios)}  incidents {len(members)}  grouped tickets {grouped} "
          f"({at_intake} at intake)  tickets {Ticket.objects.count()}")
    print(f"recall by the 3rd report  {third}/{len(scenarios)} = {third / len(scenarios):.2f}")
    print(f"recall at the end         {at_end}/{len(scenarios)} = {at_end / len(scenarios):.2f}")
    print(f"purity                    {pure}/{grouped} = {pure / grouped if grouped else 1:.2f}")
    print(f"false incidents           {false_incidents}")
    print(f"reports before detection  {sum(before) / len(before) if before else float('nan'):.1f} (mean over {len(before)} detected)")
    missed = [s for s in scenarios if not by_third.get(s)]
    print(f"not one incident by the 3rd report: {' '.join(missed) or '-'}")
    if args.why:
        _why(missed, filed)
    id_of = {ref: report_id for report_id, ref in ref_of.items()}
    partition = sorted(sorted(id_of[ref] for ref in refs) for refs in members.values())
    if args.partition:
        args.partition.write_text(json.dumps(partition))
    return partition


def batches(reports: Sequence[Report]) -> list[list[Report]]:
    """The reports in order, two together when no worker pass falls between them (sent at once, one to each server)."""
    out: list[list[Report]] = []
    for r in reports:
        if out and len(out[-1]) == 1 and int(out[-1][0]["minute"]) == int(r["minute"]):
            out[-1].append(r)
        else:
            out.append([r])
    return out


class InProcess:
    """One server: Django's test client in this process, under the replay's mocked clock."""

    def __init__(self, tokens: dict[str, str]) -> None:
        self.tokens = tokens

    def __enter__(self) -> Post:
        return self.post

    def __exit__(self, *exc: object) -> None:
        return None

    def post(self, batch: Sequence[tuple[Report, datetime.datetime]]) -> list[str]:
        from django.test import Client

        refs = []
        for r, at in batch:
            with mock.patch("django.utils.timezone.now", side_effect=lambda at=at: at):
                response = Client(headers={"Authorization": f"Bearer {self.tokens[r['reporter']]}"}).post(
                    "/api/v1/tickets", body(r), content_type="application/json")
            assert response.status_code == 201, response.content
            refs.append(response.json()["ref"])
        return refs


class TwoServers:
    """Two gunicorn app servers on this database and a Redis of their own; requests alternate between them."""

    def __init__(self, tokens: dict[str, str]) -> None:
        self.tokens, self.turn = tokens, 0
        self.pool = ThreadPoolExecutor(2)

    def __enter__(self) -> Post:
        from contextlib import ExitStack

        from fankui.core import testing

        self.stack = ExitStack()
        redis_url, _ = self.stack.enter_context(testing.private_redis())
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fankui.settings", "REDIS_URL": redis_url, "FANKUI_HUEY_IMMEDIATE": "1",
               "FANKUI_LOG_LEVEL": "WARNING"}
        self.ports = self.stack.enter_context(testing.app_servers(env, 2, workers=1, config=str(HERE / "gunicorn_clock.py")))
        return self.post

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown()
        self.stack.close()

    def post(self, batch: Sequence[tuple[Report, datetime.datetime]]) -> list[str]:
        from fankui.core import testing

        def send(port: int, r: Report, at: datetime.datetime) -> str:
            headers = {"Authorization": f"Bearer {self.tokens[r['reporter']]}", "Content-Type": "application/json",
                       "X-Bench-Now": at.isoformat()}
            status, text = testing.WebSession(port).request("POST", "/api/v1/tickets", json.dumps(body(r)).encode(), headers)
            assert status == 201, text
            return json.loads(text)["ref"]

        jobs = []
        for r, at in batch:
            jobs.append(self.pool.submit(send, self.ports[self.turn % 2], r, at))
            self.turn += 1
        return [job.result() for job in jobs]


def body(r: Report) -> dict[str, str]:
    return {"description": r["text"], **({"title": r["title"]} if r["title"] else {})}


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
