"""队列: the handlers' list, and where each role lands after login."""
from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AbstractUser

from fankui.core.testing import client_for, make_personas
from fankui.directory.models import Person
from fankui.tickets.models import Ticket
from fankui.tickets.services import escalate_ticket, resolve_ticket
from fankui.tickets.tests.page_factories import file_report

pytestmark = pytest.mark.django_db

# Measured (10) and kept on purpose; it must not grow with the number of tickets. Session, user,
# role (view, nav), person + deputies for visible_tickets, the count, the page of tickets, unread.
QUEUE_QUERY_BUDGET = 10


@pytest.fixture
def people() -> dict[str, AbstractUser]:
    return make_personas()


def queue_html(user: AbstractUser, **params: str) -> str:
    response = client_for(user).get("/tickets/queue/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_consultant_sees_their_regions_tickets_only(people: dict[str, AbstractUser]) -> None:
    south = file_report(people["reporter_a"], "华南：EAS 登录很慢")
    east = file_report(people["reporter_b"], "华东：EAS 登录很慢")
    html = queue_html(people["ding"])
    assert south.ref in html and east.ref not in html


def test_urgent_first_then_oldest(people: dict[str, AbstractUser]) -> None:
    old = file_report(people["reporter_a"], "第一个：收费云打印不了")
    new = file_report(people["reporter_a"], "第二个：收费云打印不了")
    urgent = file_report(people["reporter_a"], "第三个：全小区门禁失灵", urgency="urgent")
    html = queue_html(people["ding"])
    assert html.index(urgent.ref) < html.index(old.ref) < html.index(new.ref)


def test_resolved_tickets_leave_the_default_view_but_can_be_filtered(people: dict[str, AbstractUser]) -> None:
    done = file_report(people["reporter_a"], "EAS 报销单打不开")
    resolve_ticket(ticket=done, by=people["ding"], reply="已修复")
    assert done.ref not in queue_html(people["ding"])
    assert done.ref in queue_html(people["ding"], status="resolved")
    assert done.ref in queue_html(people["ding"], status="all")


def test_the_owner_sees_what_was_escalated_to_them(people: dict[str, AbstractUser]) -> None:
    ticket = file_report(people["reporter_a"], "EAS 新用户开通权限")
    other = file_report(people["reporter_a"], "一应生活APP 闪退")
    escalate_ticket(ticket=ticket, by=people["ding"], system=None, owner=Person.objects.get(name="彭戈"))
    html = queue_html(people["peng"], tier="2")
    assert ticket.ref in html and other.ref not in html
    assert ticket.ref not in queue_html(people["peng"], tier="1")


def test_the_admin_sees_every_region(people: dict[str, AbstractUser]) -> None:
    south = file_report(people["reporter_a"])
    east = file_report(people["reporter_b"])
    html = queue_html(people["admin"])
    assert south.ref in html and east.ref in html


def test_reporters_are_sent_to_their_own_list(people: dict[str, AbstractUser]) -> None:
    response = client_for(people["reporter_a"]).get("/tickets/queue/")
    assert response.status_code == 302 and response["Location"] == "/tickets/"
    assert "队列</a>" not in client_for(people["reporter_a"]).get("/tickets/").content.decode()


def test_the_queue_stays_within_its_query_budget(people: dict[str, AbstractUser], django_assert_max_num_queries: Any) -> None:
    for n in range(12):
        file_report(people["reporter_a"], f"第{n}个：EAS 凭证无法生成", urgency="urgent" if n % 3 == 0 else "normal")
    client = client_for(people["ding"])
    with django_assert_max_num_queries(QUEUE_QUERY_BUDGET):
        response = client.get("/tickets/queue/")
    assert response.content.decode().count('class="card ticket-row') == 12


def test_my_tickets_lists_mine_newest_first(people: dict[str, AbstractUser]) -> None:
    first = file_report(people["reporter_a"], "先报的：EAS 打不开")
    second = file_report(people["reporter_a"], "后报的：KM 打不开")
    theirs = file_report(people["reporter_b"], "别人的：KM 打不开")
    html = client_for(people["reporter_a"]).get("/tickets/").content.decode()
    assert html.index(second.ref) < html.index(first.ref)
    assert theirs.ref not in html and "处理中" in html


@pytest.mark.parametrize(("who", "where"), [("reporter_a", "/tickets/new/"), ("ding", "/tickets/queue/"), ("peng", "/tickets/queue/"), ("admin", "/tickets/queue/")])
def test_home_sends_each_role_to_its_page(people: dict[str, AbstractUser], who: str, where: str) -> None:
    response = client_for(people[who]).get("/")
    assert response.status_code == 302 and response["Location"] == where
