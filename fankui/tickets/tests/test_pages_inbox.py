"""通知: the in-app inbox and the unread badge in the nav."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import AbstractUser

from fankui.core.testing import client_for, make_personas
from fankui.notify.models import Notice
from fankui.tickets.models import Ticket
from fankui.tickets.services import reply_to_ticket, resolve_ticket
from fankui.tickets.tests.page_factories import file_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> dict[str, AbstractUser]:
    return make_personas()


@pytest.fixture
def ticket(people: dict[str, AbstractUser]) -> Ticket:
    return file_report(people["reporter_a"], "EAS 付款单审批流卡住")


def badge(html: str) -> str | None:
    marker = 'id="unread-badge" title="未读通知">'
    return html.split(marker, 1)[1].split("<", 1)[0] if marker in html else None


def test_the_nav_shows_the_unread_count_on_every_page(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    reply_to_ticket(ticket=ticket, by=people["ding"], body="正在处理")
    resolve_ticket(ticket=ticket, by=people["ding"], reply="已修复")
    client = client_for(people["reporter_a"])
    for path in ["/tickets/", "/tickets/new/", f"/tickets/{ticket.ref}/", "/contacts/", "/inbox/"]:
        assert badge(client.get(path).content.decode()) == "2", path
    assert badge(client_for(people["reporter_b"]).get("/tickets/").content.decode()) is None


def test_unread_notices_come_first_and_opening_one_marks_it_read(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    reply_to_ticket(ticket=ticket, by=people["ding"], body="第一条回复")
    reply_to_ticket(ticket=ticket, by=people["ding"], body="第二条回复")
    first, second = Notice.objects.filter(recipient=people["reporter_a"]).order_by("id")
    client = client_for(people["reporter_a"])
    response = client.get(f"/inbox/{second.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/tickets/{ticket.ref}/"
    second.refresh_from_db()
    assert second.read_at is not None
    html = client.get("/inbox/").content.decode()
    assert html.index("第一条回复") < html.index("第二条回复")
    assert badge(html) == "1"


def test_someone_elses_notice_is_not_found(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    reply_to_ticket(ticket=ticket, by=people["ding"], body="正在处理")
    notice = Notice.objects.get(recipient=people["reporter_a"])
    response = client_for(people["reporter_b"]).get(f"/inbox/{notice.pk}/")
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_all_read(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    reply_to_ticket(ticket=ticket, by=people["ding"], body="正在处理")
    resolve_ticket(ticket=ticket, by=people["ding"], reply="已修复")
    client = client_for(people["reporter_a"])
    response = client.post("/inbox/read-all", follow=True)
    html = response.content.decode()
    assert "已将 2 条通知标为已读。" in html and badge(html) is None


def test_the_consultant_hears_about_a_new_ticket_in_the_inbox(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    html = client_for(people["ding"]).get("/inbox/").content.decode()
    assert f"[{ticket.ref}] 新问题" in html and "新工单进入队列" in html


def test_notice_text_is_escaped(people: dict[str, AbstractUser], ticket: Ticket) -> None:
    reply_to_ticket(ticket=ticket, by=people["ding"], body="<img src=x onerror=alert(1)>")
    html = client_for(people["reporter_a"]).get("/inbox/").content.decode()
    assert "<img src=x" not in html and "&lt;img src=x" in html
