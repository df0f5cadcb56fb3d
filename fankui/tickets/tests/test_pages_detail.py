"""The ticket page and the actions on it, for reporters and handlers."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import AbstractUser
from django.test import Client

from fankui.core.testing import client_for, make_personas
from fankui.directory.models import Person
from fankui.tickets.models import Ticket, TicketEvent
from fankui.tickets.services import reply_to_ticket, resolve_ticket
from fankui.tickets.tests.page_factories import file_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> dict[str, AbstractUser]:
    return make_personas()


@pytest.fixture
def ticket(people: dict[str, AbstractUser]) -> Ticket:
    return file_report(people["reporter_a"], secrets={"账号": "test01", "密码": "Abc12345"})


def page(user: AbstractUser, ticket: Ticket) -> str:
    response = client_for(user).get(f"/tickets/{ticket.ref}/")
    assert response.status_code == 200
    return response.content.decode()


def test_it_rejects_other_reporters_ticket(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    response = client_for(people["reporter_b"]).get(f"/tickets/{ticket.ref}/")
    assert response.status_code == 404
    assert ticket.title not in response.content.decode()


def test_a_missing_ticket_is_the_same_404(people: dict[str, AbstractUser]) -> None:
    assert client_for(people["reporter_b"]).get("/tickets/FK000000-XXXXX/").status_code == 404


def test_it_redirects_anonymous_visitors_to_login(ticket: Ticket) -> None:
    response = Client().get(f"/tickets/{ticket.ref}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_regions_consultant_gets_404(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    assert client_for(people["chen"]).get(f"/tickets/{ticket.ref}/").status_code == 404


def test_the_description_is_escaped(people: dict[str, AbstractUser]) -> None:
    ticket = file_report(people["reporter_a"], "<script>alert('x')</script> EAS 打不开")
    html = page(people["reporter_a"], ticket)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_reporters_see_public_events_only_and_handlers_see_internal_notes(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    reply_to_ticket(ticket=ticket, by=people["ding"], body="内部：先查一下账号同步", public=False)
    reply_to_ticket(ticket=ticket, by=people["ding"], body="您好，正在处理", public=True)
    reporter_html = page(people["reporter_a"], ticket)
    assert "您好，正在处理" in reporter_html and "内部：先查一下账号同步" not in reporter_html
    handler_html = page(people["ding"], ticket)
    assert "内部：先查一下账号同步" in handler_html
    assert 'class="event kind-note internal"' in handler_html and "内部，报告人不可见" in handler_html


def test_handlers_see_sla_due_times_in_shanghai_time_and_reporters_do_not(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    from zoneinfo import ZoneInfo

    due = ticket.first_response_due.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%m-%d %H:%M")
    assert f"首次响应期限</dt><dd class=\"sla\">{due}" in page(people["ding"], ticket)
    assert "首次响应期限" not in page(people["reporter_a"], ticket)


def test_the_reporter_replies_publicly_even_when_asking_for_an_internal_note(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    client_for(people["reporter_a"]).post(f"/tickets/{ticket.ref}/reply", {"body": "补充：换了浏览器也不行", "internal": "on"})
    event = ticket.events.get(kind=TicketEvent.Kind.REPLY)
    assert event.public and event.body == "补充：换了浏览器也不行"


def test_an_empty_reply_shows_the_error(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    response = client_for(people["ding"]).post(f"/tickets/{ticket.ref}/reply", {"body": "   "})
    assert response.status_code == 400
    assert "回复内容不能为空。" in response.content.decode()


def test_the_handler_writes_an_internal_note(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    response = client_for(people["ding"]).post(f"/tickets/{ticket.ref}/reply", {"body": "已联系信息中心", "internal": "on"}, follow=True)
    assert "已添加内部备注。" in response.content.decode()
    assert not ticket.events.get(kind=TicketEvent.Kind.NOTE).public


def test_escalation_is_prefilled_with_the_directorys_proposal(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    peng = Person.objects.get(name="彭戈")
    html = page(people["ding"], ticket)
    assert f'<option value="p:{peng.pk}" selected>彭戈</option>' in html
    assert '<option value="m:1@einyun.com">1@einyun.com（一应科技）</option>' in html


def test_the_consultant_escalates_to_the_owner(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    peng = Person.objects.get(name="彭戈")
    response = client_for(people["ding"]).post(
        f"/tickets/{ticket.ref}/escalate", {"system": ticket.system_id or "", "target": f"p:{peng.pk}", "reason": "账号权限需信息中心开通"}, follow=True
    )
    assert "已升级给 彭戈。" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.tier == Ticket.Tier.OWNER and ticket.assignee == peng
    assert "账号权限需信息中心开通" in page(people["peng"], ticket)


def test_escalating_to_the_team_mailbox(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    client_for(people["ding"]).post(f"/tickets/{ticket.ref}/escalate", {"target": "m:1@einyun.com"})
    ticket.refresh_from_db()
    assert ticket.escalated_to == "1@einyun.com" and ticket.assignee is None


def test_escalation_without_a_target_shows_the_error(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    response = client_for(people["ding"]).post(f"/tickets/{ticket.ref}/escalate", {"target": ""})
    assert response.status_code == 400
    assert "请选择要升级给的对接人。" in response.content.decode()


def test_a_reporter_cannot_use_handler_actions(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    client = client_for(people["reporter_a"])
    assert client.post(f"/tickets/{ticket.ref}/resolve", {"reply": "自己解决了"}).status_code == 403
    assert client.post(f"/tickets/{ticket.ref}/reveal").status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert "个性问题已解决" not in page(people["reporter_a"], ticket)


def test_individual_resolution_records_the_flag(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    response = client_for(people["ding"]).post(f"/tickets/{ticket.ref}/resolve", {"reply": "清除浏览器缓存后正常", "individual": "True"}, follow=True)
    assert "已标记为个性问题并解决" in response.content.decode()
    event = ticket.events.filter(kind=TicketEvent.Kind.STATUS).last()
    assert event.data == {"status": "resolved", "individual": True}


def test_resolving_without_a_reply_shows_the_error(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    response = client_for(people["ding"]).post(f"/tickets/{ticket.ref}/resolve", {"reply": ""})
    assert response.status_code == 400
    assert "解决时请写明处理结果，报告人会收到这条回复。" in response.content.decode()


def test_request_information_pauses_the_ticket(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    client_for(people["ding"]).post(f"/tickets/{ticket.ref}/request-info", {"question": "请提供报错截图"})
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING
    assert "请提供报错截图" in page(people["reporter_a"], ticket)


def test_only_the_current_handler_reveals_secrets_once(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    assert "查看账号密码" in page(people["ding"], ticket)
    response = client_for(people["ding"]).post(f"/tickets/{ticket.ref}/reveal")
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert "<code>Abc12345</code>" in html and "<code>test01</code>" in html
    assert "Abc12345" not in page(people["ding"], ticket)
    revealed = ticket.events.get(kind=TicketEvent.Kind.SECRET_REVEALED)
    assert not revealed.public and "Abc12345" not in str(revealed.data) + revealed.body


def test_an_admin_who_is_not_handling_it_cannot_reveal(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    assert "查看账号密码" not in page(people["admin"], ticket).split('id="actions"')[1]
    response = client_for(people["admin"]).post(f"/tickets/{ticket.ref}/reveal")
    assert response.status_code == 403
    assert "只有当前处理人可以查看账号密码。" in response.content.decode()


def test_the_reporter_confirms_a_resolved_ticket(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    resolve_ticket(ticket=ticket, by=people["ding"], reply="已开通权限")
    assert "确认已解决" in page(people["reporter_a"], ticket)
    response = client_for(people["reporter_a"]).post(f"/tickets/{ticket.ref}/confirm", follow=True)
    assert "感谢确认，问题已关闭。" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED


def test_the_reporter_reopens_with_a_reason(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    resolve_ticket(ticket=ticket, by=people["ding"], reply="已开通权限")
    client = client_for(people["reporter_a"])
    response = client.post(f"/tickets/{ticket.ref}/reopen", {"reason": ""})
    assert response.status_code == 400 and "请说明哪里还没有解决。" in response.content.decode()
    client.post(f"/tickets/{ticket.ref}/reopen", {"reason": "还是提示没有权限"})
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN


def test_a_handler_cannot_confirm_for_the_reporter(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    resolve_ticket(ticket=ticket, by=people["ding"], reply="已开通权限")
    assert client_for(people["ding"]).post(f"/tickets/{ticket.ref}/confirm").status_code == 403


def test_the_ticket_page_does_not_query_per_event(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(people["ding"])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/tickets/{ticket.ref}/").status_code == 200
        return len(queries.captured_queries)

    before = count()
    for n in range(5):
        reply_to_ticket(ticket=ticket, by=people["ding"] if n % 2 else people["reporter_a"], body=f"第{n}条")
    assert count() == before
