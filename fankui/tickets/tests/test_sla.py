"""SLA breaches are recorded once and announced once to the next level."""
from __future__ import annotations

import datetime

import pytest

from fankui.core import testing
from fankui.directory.models import Person
from fankui.notify.models import Notice
from fankui.notify.tests import factories
from fankui.tickets.models import Ticket, TicketEvent
from fankui.tickets.services import escalate_ticket, reply_to_ticket, request_information
from fankui.tickets.sla import check_sla_breaches, proposed_owner
from fankui.tickets.tasks import check_sla

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def people() -> dict[str, object]:
    return {"ding": testing.consultant_ding(), "peng": testing.owner_peng(), "admin": testing.admin(), "a": testing.reporter_a()}


def _breach_notices(ticket: Ticket) -> list[tuple[str, str]]:
    rows = Notice.objects.filter(ticket=ticket, kind=Notice.Kind.SLA_BREACH).order_by("dedup_key")
    return [(n.recipient.username if n.recipient else n.email, n.subject) for n in rows]


def test_a_missed_first_response_tells_the_proposed_owner_and_the_consultant_once(people: dict) -> None:
    ticket = factories.file_report(people["a"])  # 金蝶EAS 账号、组织、权限 → 彭戈
    assert ticket.routing["contact"] == "彭戈"
    now = ticket.first_response_due + MINUTE
    assert check_sla_breaches(now) == 1
    ticket.refresh_from_db()
    assert (ticket.response_breached_at, ticket.resolution_breached_at, ticket.tier) == (now, None, 1)
    event = ticket.events.get(kind=TicketEvent.Kind.SLA_BREACH)
    assert not event.public and event.actor is None
    assert event.body.startswith("首次响应超时（期限 ")
    assert event.data["notified"] == ["丁家贵", "彭戈"]
    subject = f"[{ticket.ref}] 首次响应超时：{ticket.title}"
    assert _breach_notices(ticket) == [("dingjiagui", subject), ("penge", subject)]

    assert check_sla_breaches(now + MINUTE) == 0
    assert len(_breach_notices(ticket)) == 2
    assert ticket.events.filter(kind=TicketEvent.Kind.SLA_BREACH).count() == 1


def test_a_ticket_answered_in_time_is_not_late(people: dict) -> None:
    ticket = factories.file_report(people["a"])
    reply_to_ticket(ticket=ticket, by=people["ding"], body="收到，正在处理。")
    assert check_sla_breaches(ticket.first_response_due + MINUTE) == 0


def test_a_ticket_waiting_on_the_reporter_is_paused(people: dict) -> None:
    ticket = factories.file_report(people["a"])
    request_information(ticket=ticket, by=people["ding"], question="请提供新员工的工号。")
    assert check_sla_breaches(ticket.resolution_due + datetime.timedelta(days=30)) == 0
    assert _breach_notices(ticket) == []


def test_a_missed_tier1_resolution_escalates_to_the_proposed_owner(people: dict) -> None:
    ticket = factories.file_report(people["a"])
    reply_to_ticket(ticket=ticket, by=people["ding"], body="收到，正在处理。")
    assert check_sla_breaches(ticket.resolution_due + MINUTE) == 1
    ticket.refresh_from_db()
    assert (ticket.tier, ticket.assignee.name, ticket.escalated_to) == (2, "彭戈", "彭戈")
    escalation = ticket.events.get(kind=TicketEvent.Kind.ESCALATED)
    assert escalation.actor is None and escalation.body == "解决期限已过，系统自动升级给对接人。"
    assert Notice.objects.get(ticket=ticket, kind=Notice.Kind.ESCALATED).recipient == people["peng"]
    # 彭戈 has the escalation; the SLA notice goes to the consultant only.
    assert _breach_notices(ticket) == [("dingjiagui", f"[{ticket.ref}] 解决超时：{ticket.title}")]


def test_a_tier2_breach_tells_the_consultant_and_the_admins(people: dict) -> None:
    ticket = factories.file_report(people["a"])
    reply_to_ticket(ticket=ticket, by=people["ding"], body="转系统对接人。")
    escalate_ticket(ticket=ticket, by=people["ding"], system=ticket.system, owner=Person.objects.get(name="彭戈"), reason="需要开权限")
    assert check_sla_breaches(ticket.resolution_due + MINUTE) == 1
    assert sorted(who for who, _ in _breach_notices(ticket)) == ["admin", "dingjiagui"]
    assert Notice.objects.filter(ticket=ticket, kind=Notice.Kind.ESCALATED).count() == 1  # no second escalation


def test_a_team_mailbox_hears_about_it_when_the_guide_names_no_person(people: dict) -> None:
    ticket = factories.file_report(people["a"], "一应智能APP 工单模块打不开，一直转圈")
    assert proposed_owner(ticket).mailbox == "1@einyun.com"
    assert check_sla_breaches(ticket.resolution_due + MINUTE) == 2
    ticket.refresh_from_db()
    assert (ticket.tier, ticket.assignee, ticket.escalated_to) == (2, None, "1@einyun.com")
    assert Notice.objects.get(ticket=ticket, kind=Notice.Kind.ESCALATED).email == "1@einyun.com"
    # Response breach: the mailbox and the consultant; resolution breach: the consultant (mailbox was escalated to).
    assert sorted(who for who, _ in _breach_notices(ticket)) == ["1@einyun.com", "dingjiagui", "dingjiagui"]


def test_the_worker_runs_the_check(people: dict) -> None:
    factories.file_report(people["a"])
    assert check_sla.call_local() == 0  # nothing is late yet
