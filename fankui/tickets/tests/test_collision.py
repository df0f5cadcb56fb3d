"""Two handlers on one ticket: each sees the other, and a late reply asks to confirm."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import AbstractUser

from fankui.core.testing import client_for, make_personas
from fankui.tickets.models import TicketEvent
from fankui.tickets.presence import PRESENT_FOR, touch
from fankui.tickets.services import reply_to_ticket
from fankui.tickets.tests.page_factories import file_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> dict[str, AbstractUser]:
    return make_personas()


def test_presence_shows_the_others_and_who_is_typing_and_forgets_the_gone() -> None:
    assert touch(7, user_id=1, name="丁一", now=1000.0) == []
    others = touch(7, user_id=2, name="陈二", typing=True, now=1001.0)
    assert [(p.name, p.typing) for p in others] == [("丁一", False)]
    assert [(p.name, p.typing) for p in touch(7, user_id=1, name="丁一", now=1002.0)] == [("陈二", True)]
    # Typing fades after a few seconds; someone who stops refreshing is gone.
    assert [(p.name, p.typing) for p in touch(7, user_id=1, name="丁一", now=1020.0)] == [("陈二", False)]
    assert touch(7, user_id=1, name="丁一", now=1001.0 + PRESENT_FOR + 1) == []


def test_the_ticket_page_and_its_heartbeat_show_the_other_handler(people: dict[str, AbstractUser]) -> None:
    ticket = file_report(people["reporter_a"], "EAS 凭证无法生成")
    admin = client_for(people["admin"])
    admin.get(f"/tickets/{ticket.ref}/")
    html = client_for(people["ding"]).get(f"/tickets/{ticket.ref}/").content.decode()
    assert "也在查看此工单" in html
    response = admin.post(f"/tickets/{ticket.ref}/presence", {"typing": "1"})
    assert response.status_code == 200 and len(response.json()["others"]) == 1
    response = client_for(people["ding"]).post(f"/tickets/{ticket.ref}/presence")
    assert response.json()["others"][0]["typing"] is True


def test_presence_is_for_handlers_of_the_ticket_only(people: dict[str, AbstractUser]) -> None:
    ticket = file_report(people["reporter_a"], "EAS 凭证无法生成")
    for who in ("reporter_a", "chen"):
        response = client_for(people[who]).post(f"/tickets/{ticket.ref}/presence")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_a_reply_after_someone_elses_answer_asks_to_confirm_and_keeps_the_text(people: dict[str, AbstractUser]) -> None:
    ticket = file_report(people["reporter_a"], "EAS 凭证无法生成")
    seen = ticket.events.order_by("-id").first().pk
    reply_to_ticket(ticket=ticket, by=people["admin"], body="已经在处理了，请稍候")
    ding = client_for(people["ding"])
    response = ding.post(f"/tickets/{ticket.ref}/reply", {"body": "请重启 EAS 客户端", "seen": seen})
    html = response.content.decode()
    assert response.status_code == 409 and "其他处理人已经回复" in html and "已经在处理了，请稍候" in html
    assert "请重启 EAS 客户端" in html
    assert not ticket.events.filter(kind=TicketEvent.Kind.REPLY, body="请重启 EAS 客户端").exists()
    # The page now shows the answer: sending again with the new `seen` goes through.
    newest = ticket.events.order_by("-id").first().pk
    assert f'name="seen" value="{newest}"' in html
    response = ding.post(f"/tickets/{ticket.ref}/reply", {"body": "请重启 EAS 客户端", "seen": newest})
    assert response.status_code == 302
    assert ticket.events.filter(kind=TicketEvent.Kind.REPLY, body="请重启 EAS 客户端").exists()


def test_resolving_after_someone_elses_answer_asks_too_but_the_reporters_words_do_not(people: dict[str, AbstractUser]) -> None:
    ticket = file_report(people["reporter_a"], "EAS 凭证无法生成")
    seen = ticket.events.order_by("-id").first().pk
    reply_to_ticket(ticket=ticket, by=people["reporter_a"], body="补充：是今天早上开始的")
    ding = client_for(people["ding"])
    assert ding.post(f"/tickets/{ticket.ref}/reply", {"body": "收到", "seen": seen}).status_code == 302
    seen = ticket.events.order_by("-id").first().pk
    reply_to_ticket(ticket=ticket, by=people["admin"], body="我来处理")
    response = ding.post(f"/tickets/{ticket.ref}/resolve", {"reply": "已修复", "seen": seen})
    assert response.status_code == 409 and "我来处理" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == "open"
