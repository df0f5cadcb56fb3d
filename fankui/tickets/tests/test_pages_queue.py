"""队列: the handlers' list, and where each role lands after login."""
from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AbstractUser
from django.utils import timezone

from fankui.core.testing import client_for, make_personas
from fankui.directory.models import Person
from fankui.tickets.models import Ticket
from fankui.tickets.services import escalate_ticket, resolve_ticket
from fankui.tickets.tests.page_factories import file_report

pytestmark = pytest.mark.django_db

# Measured (21) and kept on purpose; it must not grow with the number of tickets. Session, user,
# role (view, visible_tickets, nav), person (visible_tickets, 我的待办), the count, the page of
# tickets, saved views, all views' counts in one query, unread, and the choices of the filter and
# bulk forms (system, region, articles, four person lists), the badge's count of new activity (two).
QUEUE_QUERY_BUDGET = 21


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


def test_sorted_by_priority_urgent_come_first_then_the_nearest_deadline(people: dict[str, AbstractUser]) -> None:
    old = file_report(people["reporter_a"], "第一个：收费云打印不了")
    new = file_report(people["reporter_a"], "第二个：收费云打印不了")
    urgent = file_report(people["reporter_a"], "第三个：全小区门禁失灵", urgency="urgent")
    html = queue_html(people["ding"], sort="priority")
    assert html.index(urgent.ref) < html.index(old.ref) < html.index(new.ref)


def set_due(ticket: Ticket, delta: datetime.timedelta, **fields: Any) -> None:
    """The next deadline `delta` from now (the response deadline, as nobody has answered yet)."""
    Ticket.objects.filter(pk=ticket.pk).update(first_response_due=timezone.now() + delta, **fields)


def test_by_default_the_nearest_deadline_comes_first_with_a_coloured_countdown(people: dict[str, AbstractUser]) -> None:
    later = file_report(people["reporter_a"], "先报的：EAS 凭证打印不了")
    soon = file_report(people["reporter_a"], "后报的：收费云对账不平")
    breached = file_report(people["reporter_a"], "最后报的：KM 流程卡住")
    paused = file_report(people["reporter_a"], "等报告人：OA 审批丢失")
    set_due(later, datetime.timedelta(days=2))
    set_due(soon, datetime.timedelta(minutes=30))
    set_due(breached, -datetime.timedelta(minutes=20))
    set_due(paused, -datetime.timedelta(hours=5), status=Ticket.Status.WAITING)
    html = queue_html(people["ding"])
    assert html.index(breached.ref) < html.index(soon.ref) < html.index(later.ref) < html.index(paused.ref)
    rows = {ref: html[html.index(f'data-ref="{ref}"') :].split("</li>")[0] for ref in (later.ref, soon.ref, breached.ref, paused.ref)}
    assert 'class="due due-breached"' in rows[breached.ref] and "已超时 20 分钟" in rows[breached.ref]
    assert 'class="due due-soon"' in rows[soon.ref] and "还剩 29 分钟" in rows[soon.ref]
    assert 'class="due due-ok"' in rows[later.ref] and "还剩 1 天 23 小时" in rows[later.ref]
    assert "已暂停" in rows[paused.ref]
    due = Ticket.objects.get(pk=soon.pk).first_response_due
    assert f'datetime="{due.isoformat()}"' in rows[soon.ref]


def test_a_row_shows_who_reported_how_and_who_has_it(people: dict[str, AbstractUser]) -> None:
    ticket = file_report(people["reporter_a"], "EAS 凭证打印不了")
    row = queue_html(people["ding"]).split(f'data-ref="{ticket.ref}"')[1].split("</li>")[0]
    reporter = people["reporter_a"]
    assert (reporter.get_full_name() or reporter.get_username()) in row
    assert "网页" in row and "EAS" in row and "报告人" in row and "前留言" in row
    assert "处理人" in row


@pytest.mark.parametrize("sort", ["age", "activity"])
def test_other_orders_follow_age_and_last_activity(people: dict[str, AbstractUser], sort: str) -> None:
    first = file_report(people["reporter_a"], "第一个：收费云打印不了")
    second = file_report(people["reporter_a"], "第二个：收费云打印不了")
    Ticket.objects.filter(pk=first.pk).update(updated_at=timezone.now() + datetime.timedelta(minutes=5))
    html = queue_html(people["ding"], sort=sort)
    # Oldest first by age; the one touched last first by activity.
    assert html.index(first.ref) < html.index(second.ref)


def test_text_search_narrows_the_queue_with_the_kb_search(people: dict[str, AbstractUser]) -> None:
    gate = file_report(people["reporter_a"], "小区门禁卡刷不开")
    service = file_report(people["reporter_a"], "和服务中心电话打不通")
    other = file_report(people["reporter_a"], "EAS 凭证打印不了")
    html = queue_html(people["ding"], q="门禁")
    assert gate.ref in html and service.ref not in html and other.ref not in html
    # The same word check as the KB: 和服 is not inside 和服务中心.
    assert service.ref not in queue_html(people["ding"], q="和服")
    assert service.ref in queue_html(people["ding"], q="服务中心")


def test_search_never_reaches_tickets_the_handler_may_not_see(people: dict[str, AbstractUser]) -> None:
    east = file_report(people["reporter_b"], "华东：门禁卡刷不开")
    assert east.ref not in queue_html(people["ding"], q="门禁")


def test_a_too_short_search_says_so(people: dict[str, AbstractUser]) -> None:
    file_report(people["reporter_a"], "门禁卡刷不开")
    html = queue_html(people["ding"], q="门")
    assert "请至少输入两个字" in html and "共 0 个问题" in html


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


def test_builtin_views_hold_what_their_names_say_with_counts(people: dict[str, AbstractUser]) -> None:
    breached = file_report(people["reporter_a"], "EAS 凭证打印不了")
    soon = file_report(people["reporter_a"], "收费云对账不平")
    waiting = file_report(people["reporter_a"], "OA 审批丢失")
    later = file_report(people["reporter_a"], "KM 流程卡住")
    set_due(breached, -datetime.timedelta(minutes=5))
    set_due(soon, datetime.timedelta(minutes=40))
    set_due(waiting, -datetime.timedelta(minutes=40), status=Ticket.Status.WAITING)
    set_due(later, datetime.timedelta(days=3))
    html = queue_html(people["ding"], view="breached")
    assert breached.ref in html and soon.ref not in html and waiting.ref not in html and later.ref not in html
    html = queue_html(people["ding"], view="due_soon")
    assert soon.ref in html and breached.ref not in html and later.ref not in html
    html = queue_html(people["ding"], view="waiting")
    assert waiting.ref in html and soon.ref not in html
    assert 'data-view="breached"' in html
    counts = {key: html.split(f'data-view="{key}"')[1].split('class="count">')[1].split("<")[0] for key in ("breached", "due_soon", "waiting")}
    assert counts == {"breached": "1", "due_soon": "1", "waiting": "1"}


def test_escalated_by_me_lists_what_i_handed_over(people: dict[str, AbstractUser]) -> None:
    mine = file_report(people["reporter_a"], "EAS 新用户开通权限")
    other = file_report(people["reporter_a"], "EAS 凭证打印不了")
    escalate_ticket(ticket=mine, by=people["admin"], system=None, owner=Person.objects.get(name="彭戈"))
    html = queue_html(people["admin"], view="escalated_by_me")
    assert mine.ref in html and other.ref not in html
    assert mine.ref not in queue_html(people["ding"], view="escalated_by_me")


def test_filters_narrow_by_system_and_channel(people: dict[str, AbstractUser]) -> None:
    eas = file_report(people["reporter_a"], "EAS 凭证打印不了")
    km = file_report(people["reporter_a"], "KM 流程卡住")
    html = queue_html(people["ding"], system=str(Ticket.objects.get(pk=eas.pk).system_id))
    assert eas.ref in html and km.ref not in html
    assert eas.ref not in queue_html(people["ding"], channel="email")


def test_a_saved_view_keeps_its_filters_and_shows_its_count(people: dict[str, AbstractUser]) -> None:
    eas = file_report(people["reporter_a"], "EAS 凭证打印不了")
    file_report(people["reporter_a"], "KM 流程卡住")
    system = str(Ticket.objects.get(pk=eas.pk).system_id)
    client = client_for(people["ding"])
    response = client.post("/tickets/queue/views/", {"name": "EAS 未处理", "query": f"system={system}&page=3"})
    assert response.status_code == 302 and response["Location"] == f"/tickets/queue/?system={system}"
    html = client.get("/tickets/queue/").content.decode()
    saved = html.split('data-saved-view="EAS 未处理"')[1]
    assert saved.split('class="count">')[1].split("<")[0] == "1"
    html = client.get(f"/tickets/queue/?system={system}").content.decode()
    assert eas.ref in html and "共 1 个问题" in html


def test_saving_a_view_needs_a_name_and_valid_filters(people: dict[str, AbstractUser]) -> None:
    client = client_for(people["ding"])
    response = client.post("/tickets/queue/views/", {"name": "", "query": "status=open"})
    assert response.status_code == 400 and "请给视图起个名字" in response.content.decode()
    response = client.post("/tickets/queue/views/", {"name": "坏的", "query": "system=notanumber"})
    assert response.status_code == 400 and "筛选条件无效" in response.content.decode()
    assert not people["ding"].saved_views.exists()


def test_one_cannot_delete_someone_elses_view(people: dict[str, AbstractUser]) -> None:
    client_for(people["ding"]).post("/tickets/queue/views/", {"name": "我的", "query": "status=open"})
    view = people["ding"].saved_views.get()
    assert client_for(people["admin"]).post(f"/tickets/queue/views/{view.pk}/delete").status_code == 404
    assert client_for(people["ding"]).post(f"/tickets/queue/views/{view.pk}/delete").status_code == 302
    assert not people["ding"].saved_views.exists()


def test_rows_with_news_since_the_handler_last_opened_them_are_marked_and_counted(people: dict[str, AbstractUser]) -> None:
    from fankui.tickets.services import reply_to_ticket

    opened = file_report(people["reporter_a"], "EAS 凭证打印不了")
    fresh = file_report(people["reporter_a"], "收费云对账不平")
    ding = client_for(people["ding"])

    def new_refs() -> set[str]:
        html = ding.get("/tickets/queue/").content.decode()
        return {ref for ref in (opened.ref, fresh.ref) if 'is-new" data-ref="' + ref in html}

    ding.get(f"/tickets/{opened.ref}/")
    assert new_refs() == {fresh.ref}  # never opened: new; opened since the report: not
    ding.post(f"/tickets/{opened.ref}/reply", {"body": "请提供截图"})
    assert new_refs() == {fresh.ref}  # one's own reply is no news
    reply_to_ticket(ticket=opened, by=people["reporter_a"], body="截图在附件里")
    assert new_refs() == {opened.ref, fresh.ref}
    html = ding.get("/tickets/queue/", {"new": "on"}).content.decode()
    assert 'id="new-badge"' in html and ">2</a>" in html.split('id="new-badge"')[1][:200]
    ding.get(f"/tickets/{opened.ref}/")
    html = ding.get("/tickets/queue/", {"new": "on"}).content.decode()
    assert fresh.ref in html and opened.ref not in html
