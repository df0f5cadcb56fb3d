"""Bulk actions from the queue: each ticket checked and recorded on its own, failures named."""
from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AbstractUser
from django.utils import timezone

from fankui.core.testing import client_for, make_personas
from fankui.directory.models import Person
from fankui.incidents.models import Incident, IncidentTicket
from fankui.kb.models import Article, ArticleLink
from fankui.tickets.models import Ticket, TicketEvent
from fankui.tickets.services import resolve_ticket
from fankui.tickets.tests.page_factories import file_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> dict[str, AbstractUser]:
    return make_personas()


def post_bulk(user: AbstractUser, refs: list[str], **fields: object) -> tuple[int, list[str]]:
    client = client_for(user)
    response = client.post("/tickets/queue/bulk", {"refs": refs, "query": "view=mine", **fields})
    if response.status_code == 302:
        assert response["Location"] == "/tickets/queue/?view=mine"
        page = client.get(response["Location"]).content.decode()
    else:
        page = response.content.decode()
    return response.status_code, [page]


def test_escalating_several_records_it_on_each_timeline_and_names_the_refused(people: dict[str, AbstractUser]) -> None:
    mine = [file_report(people["reporter_a"], f"第{n}个：EAS 凭证无法生成") for n in range(3)]
    theirs = file_report(people["reporter_b"], "华东：EAS 凭证无法生成")
    done = file_report(people["reporter_a"], "EAS 报销单打不开")
    resolve_ticket(ticket=done, by=people["ding"], reply="已修复")
    peng = Person.objects.get(name="彭戈")
    refs = [t.ref for t in mine] + [theirs.ref, done.ref]
    status, (page,) = post_bulk(people["ding"], refs, action="escalate", owner=str(peng.pk), text="同一个 EAS 故障")
    assert status == 302
    for ticket in mine:
        ticket.refresh_from_db()
        assert ticket.tier == Ticket.Tier.OWNER and ticket.escalated_to == "彭戈"
        event = ticket.events.get(kind=TicketEvent.Kind.ESCALATED)
        assert event.actor == people["ding"] and event.body == "同一个 EAS 故障"
    assert f"{theirs.ref} 未处理：工单不存在或您无权处理" in page
    assert f"{done.ref} 未处理：工单当前状态为" in page
    assert "已处理 3 个工单" in page
    # The refused ones are untouched.
    theirs.refresh_from_db()
    assert theirs.tier == Ticket.Tier.CONSULTANT and not theirs.events.filter(kind=TicketEvent.Kind.ESCALATED).exists()
    assert not done.events.filter(kind=TicketEvent.Kind.ESCALATED).exists()


def test_answering_several_with_an_article_sends_its_current_links_only(people: dict[str, AbstractUser]) -> None:
    today = timezone.localdate()
    article = Article.objects.create(slug="survey", title="满意度问卷链接", body="请在一应生活APP后台粘贴以下链接，前后不要有空格。")
    ArticleLink.objects.create(article=article, label="2026 年度问卷", url="https://survey.example.cn/2026", valid_until=today + datetime.timedelta(days=30))
    ArticleLink.objects.create(article=article, label="2025 年度问卷", url="https://survey.example.cn/2025", valid_until=today - datetime.timedelta(days=1))
    tickets = [file_report(people["reporter_a"], f"第{n}个：问卷链接打不开") for n in range(2)]
    status, _page = post_bulk(people["ding"], [t.ref for t in tickets], action="resolve", article=str(article.pk), text="您好，请用新的链接：")
    assert status == 302
    for ticket in tickets:
        ticket.refresh_from_db()
        assert ticket.status == Ticket.Status.RESOLVED
        reply = ticket.events.filter(kind=TicketEvent.Kind.REPLY).get().body
        assert reply.startswith("您好，请用新的链接：") and "满意度问卷链接" in reply
        assert "https://survey.example.cn/2026" in reply and "2025" not in reply


def test_assign_priority_ask_and_link_each_leave_their_mark(people: dict[str, AbstractUser]) -> None:
    a, b, c, d = (file_report(people["reporter_a"], f"第{n}个：收费云对账不平") for n in range(4))
    peng = Person.objects.get(name="彭戈")
    assert post_bulk(people["ding"], [a.ref], action="assign", assignee=str(peng.pk))[0] == 302
    a.refresh_from_db()
    assert a.assignee == peng and a.events.filter(kind=TicketEvent.Kind.ASSIGNED, actor=people["ding"]).exists()

    before = Ticket.objects.get(pk=b.pk).resolution_due
    assert post_bulk(people["ding"], [b.ref], action="priority", urgency="urgent")[0] == 302
    b.refresh_from_db()
    assert b.urgency == "urgent" and b.resolution_due < before
    assert b.events.filter(kind=TicketEvent.Kind.STATUS, data__urgency="urgent").exists()

    assert post_bulk(people["ding"], [c.ref], action="ask", text="请提供截图和项目名称")[0] == 302
    c.refresh_from_db()
    assert c.status == Ticket.Status.WAITING

    incident = Incident.objects.create(title="收费云对账异常")
    assert post_bulk(people["ding"], [d.ref], action="link", incident=str(incident.pk))[0] == 302
    assert IncidentTicket.objects.filter(incident=incident, ticket=d).exists()
    assert d.events.filter(kind=TicketEvent.Kind.NOTE, data__incident=incident.pk).exists()
    # A second time: named as already linked, nothing doubled.
    status, (page,) = post_bulk(people["ding"], [d.ref], action="link", incident=str(incident.pk))
    assert f"{d.ref} 未处理：已在共性问题 #{incident.pk} 中" in page
    assert d.events.filter(kind=TicketEvent.Kind.NOTE, data__incident=incident.pk).count() == 1


def test_a_bulk_action_missing_what_it_needs_is_refused_and_the_selection_kept(people: dict[str, AbstractUser]) -> None:
    ticket = file_report(people["reporter_a"], "EAS 凭证无法生成")
    status, (page,) = post_bulk(people["ding"], [ticket.ref], action="escalate")
    assert status == 400 and "请选择要升级给的对接人" in page
    assert f'value="{ticket.ref}" form="bulk" class="pick" aria-label="选择 {ticket.ref}" checked' in page
    status, (page,) = post_bulk(people["ding"], [], action="ask", text="请提供截图")
    assert status == 400 and "请先勾选要处理的工单" in page
    status, (page,) = post_bulk(people["ding"], [ticket.ref], action="link", incident="999")
    assert status == 400 and "没有这个共性问题" in page
    ticket.refresh_from_db()
    assert ticket.tier == Ticket.Tier.CONSULTANT and ticket.status == Ticket.Status.OPEN


def test_reporters_cannot_bulk_act(people: dict[str, AbstractUser]) -> None:
    ticket = file_report(people["reporter_a"], "EAS 凭证无法生成")
    response = client_for(people["reporter_a"]).post("/tickets/queue/bulk", {"refs": [ticket.ref], "action": "ask", "text": "x"})
    assert response.status_code == 403
