"""The intake pipeline: the request answers, grouping follows after commit, and the apps depend one way."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.test import TestCase

from fankui.incidents.models import Incident
from fankui.incidents.tests.factories import APP_OUTAGE, People, file, make_people, region_of
from fankui.tickets.models import Ticket
from fankui.tickets.services import Intake
from fankui.workflow.incidents import confirm_incident
from fankui.workflow.intake import file_report

APPS = Path(__file__).resolve().parents[2]


@pytest.fixture
def people() -> People:
    return make_people()


@pytest.mark.django_db
def test_grouping_waits_for_the_commit_and_then_runs(people: People) -> None:
    file(people["huanan"], APP_OUTAGE[0])
    file(people["huadong"], APP_OUTAGE[1])
    with TestCase.captureOnCommitCallbacks(execute=False) as scheduled:
        third = file_report(reporter=people["huabei"], intake=Intake(description=APP_OUTAGE[2], channel=Ticket.Channel.API,
                                                                      region=region_of(people["huabei"])))
        assert not Incident.objects.exists()  # the request itself never groups
    assert third.created and scheduled
    for callback in scheduled:
        callback()
    assert Incident.objects.get().links.filter(ticket=third.ticket).exists()


@pytest.mark.django_db
def test_the_known_incident_notice_is_in_the_answer_before_the_worker_links(people: People) -> None:
    for key, text in zip(("huanan", "huadong", "huabei"), APP_OUTAGE):
        file(people[key], text)
    incident = confirm_incident(incident=Incident.objects.get(), by=people["xiaou"], summary="登录网关故障")
    with TestCase.captureOnCommitCallbacks(execute=False):
        answer = file_report(reporter=people["huazhong"], intake=Intake(description=APP_OUTAGE[3], channel=Ticket.Channel.WEB))
    assert answer.notices and answer.notices[0].startswith(f"已知问题：{incident.title}")
    assert not incident.links.filter(ticket=answer.ticket).exists()  # linked by the worker, after commit


def _imports(paths: list[Path]) -> set[str]:
    found: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
    return found


# The business layer of each app (pages, API endpoints and the desk's bulk actions sit above the pipeline
# and may call it): what a new report and an incident go through must flow one way.
@pytest.mark.parametrize(
    ("modules", "forbidden"),
    [
        (["tickets/services.py", "tickets/sla.py", "tickets/selectors.py", "tickets/tasks.py"], ("fankui.incidents", "fankui.workflow")),
        (["incidents/services.py", "incidents/selectors.py", "incidents/symptoms.py", "incidents/tasks.py"],
         ("fankui.tickets.services", "fankui.tickets.sla", "fankui.workflow")),
        (["notify/**/*.py"], ("fankui.tickets.services", "fankui.tickets.sla", "fankui.incidents", "fankui.workflow")),
    ],
)
def test_the_layers_below_the_pipeline_do_not_call_back_up(modules: list[str], forbidden: tuple[str, ...]) -> None:
    paths = [path for pattern in modules for path in APPS.glob(pattern) if "tests" not in path.parts]
    assert paths
    assert sorted(name for name in _imports(paths) if name.startswith(forbidden)) == []
