"""Who may read, list and reply to reporter A's ticket, before and after it is escalated to 彭戈.

One row per persona; a forbidden cell must answer exactly like a ticket that does not exist.
"""
from __future__ import annotations

import pytest

from fankui.directory.models import Person, System
from fankui.tickets.models import Ticket
from fankui.tickets.services import escalate_ticket
from fankui.tickets.tests.api_factories import Persona, file_report, make_personas, post_json

pytestmark = pytest.mark.django_db

NOT_FOUND = {"error": {"code": "not_found", "message": "找不到该工单，或您无权查看。"}}

# persona: (may see before escalation, may see after escalation to 彭戈)
MATRIX = {
    "reporter_a": (True, True),  # their own report
    "reporter_b": (False, False),  # another region's reporter
    "ding": (True, True),  # 华南's consultant keeps it after escalating
    "chen": (False, False),  # 华东's consultant
    "peng": (False, True),  # the owner, once it is escalated to him
    "xiaou": (False, False),  # an owner of other systems
    "admin": (True, True),
}


@pytest.mark.parametrize("escalated", [False, True], ids=["before-escalation", "after-escalation"])
@pytest.mark.parametrize("who", list(MATRIX))
def test_access_to_reporter_as_ticket(who: str, escalated: bool) -> None:
    people = make_personas()
    ref = file_report(people["reporter_a"], "EAS 新员工账号开通后没有报销权限")
    if escalated:
        ticket = Ticket.objects.get(ref=ref)
        escalate_ticket(
            ticket=ticket, by=people["ding"].user, system=System.objects.get(name="金蝶EAS"), owner=Person.objects.get(name="彭戈")
        )
    persona: Persona = people[who]
    allowed = MATRIX[who][escalated]

    detail = persona.api.get(f"/api/v1/tickets/{ref}")
    listing = persona.api.get("/api/v1/tickets", {"page_size": 100})
    reply = post_json(persona.api, f"/api/v1/tickets/{ref}/replies", {"body": f"{who} 的回复"})

    assert listing.status_code == 200
    listed = ref in {item["ref"] for item in listing.json()["results"]}
    if allowed:
        assert (detail.status_code, listed, reply.status_code) == (200, True, 201)
        assert detail.json()["ref"] == ref
    else:
        assert (detail.status_code, listed, reply.status_code) == (404, False, 404)
        assert detail.json() == reply.json() == NOT_FOUND
        assert not Ticket.objects.get(ref=ref).events.filter(body=f"{who} 的回复").exists()
