"""In real Chromium: a consultant's busy morning at the handler's desk (issue #14).

60 open 华南 reports over 4 systems and 3 due states. 丁家贵 sorts by due time (the breaching ones
first, with their countdowns), saves a view "EAS 未处理" and sees its count, escalates the 8 EAS
reports to 王书彬 in one action, answers the 6 survey-link reports with the survey article in one
action (the reply carries the current link only), and, with the admin on the same ticket in another
browser, sees each other's presence and is asked to confirm a reply sent after the admin's answer.
"""
from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from fankui.accounts.services import seed_demo_accounts
from fankui.conftest import assert_fits_phone, login
from fankui.directory.models import Person, Region, System
from fankui.kb.models import Article, ArticleLink
from fankui.tickets.models import Ticket, TicketEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SYSTEMS = ("金蝶EAS", "新版收费云", "一应智能APP", "CSS")


def seed_morning() -> dict[str, list[Ticket]]:
    """8 EAS reports of one fault, 6 survey-link questions, 46 others; 3 breached, 9 due within the hour."""
    from django.contrib.auth import get_user_model

    reporter = get_user_model().objects.get(username="staff-huanan")
    huanan = Region.objects.get(name="华南")
    ding = Person.objects.get(name="丁家贵")
    systems = {name: System.objects.get(name=name) for name in SYSTEMS}
    now = timezone.now()
    texts = (
        [("金蝶EAS", f"EAS 凭证过账报错 第{n}例") for n in range(8)]
        + [("一应智能APP", f"满意度问卷链接打不开 第{n}例") for n in range(6)]
        + [(SYSTEMS[1 + n % 3], f"收费与客服日常问题 第{n}例") for n in range(46)]
    )
    made: dict[str, list[Ticket]] = {"eas": [], "survey": [], "breached": [], "all": []}
    for i, (system, text) in enumerate(texts):
        # Due states: 3 breached, 9 due soon, the rest in a day or two (spread so the order is clear).
        minutes = -5 - i if i in (20, 30, 40) else 20 + i if i % 6 == 5 else 1440 + i
        due = now + datetime.timedelta(minutes=minutes)
        ticket = Ticket.objects.create(
            ref=f"FKD{i:04d}", reporter=reporter, region=huanan, channel="web", title=text, description=text + "，请帮忙处理",
            system=systems[system], consultant=ding, assignee=ding, first_response_due=due, resolution_due=due + datetime.timedelta(hours=16),
        )
        TicketEvent.objects.create(ticket=ticket, kind=TicketEvent.Kind.CREATED, actor=reporter, body=ticket.description)
        made["all"].append(ticket)
        made.setdefault("eas" if system == "金蝶EAS" else "survey" if "问卷" in text else "other", []).append(ticket)
        if minutes < 0:
            made["breached"].append(ticket)
    return made


def submit(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_a_consultants_morning_at_the_desk(guide_loaded: None, live_server: Any, browser: Any) -> None:
    passwords = {account.username: account.password for account in seed_demo_accounts()}
    made = seed_morning()
    survey = Article.objects.get(slug="survey_link")
    ArticleLink.objects.create(article=survey, label="2026 年度问卷", url="https://www.wjx.cn/jq/2026.aspx", valid_until=timezone.localdate() + datetime.timedelta(days=60))
    url = live_server.url
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = desk.new_page()
    login(page, url, "dingjiagui", passwords["dingjiagui"])
    assert page.url.endswith("/tickets/queue/")

    # 1. Sorted by due time: the three breaching reports first, with their countdowns.
    rows = page.locator("#queue li.ticket-row")
    assert "共 60 个问题" in page.content()
    first_three = {rows.nth(n).get_attribute("data-ref") for n in range(3)}
    assert first_three == {t.ref for t in made["breached"]}
    for n in range(3):
        countdown = rows.nth(n).locator("time.due-breached")
        assert "已超时" in countdown.inner_text() and countdown.get_attribute("datetime")
    assert rows.nth(3).locator("time.due-soon").count() == 1
    # Everything is new to her, and the keyboard works the list: ? shows the card, j moves, x ticks.
    assert page.locator("#new-badge").inner_text() == "60" and rows.nth(0).locator(".tag.new").count() == 1
    page.keyboard.press("?")
    assert page.locator("#keys-card").is_visible()
    page.keyboard.press("?")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("x")
    assert rows.nth(1).locator("input.pick").is_checked() and not rows.nth(0).locator("input.pick").is_checked()
    page.keyboard.press("x")

    # 2. A saved view "EAS 未处理" with its count.
    page.click("form.filters details summary")
    page.select_option("form.filters select[name=system]", label="金蝶EAS")
    submit(page, "form.filters button[type=submit]")
    assert rows.count() == 8
    page.fill("form.save-view input[name=name]", "EAS 未处理")
    submit(page, "form.save-view button[type=submit]")
    saved = page.locator('a[data-saved-view="EAS 未处理"]')
    assert saved.locator(".count").inner_text() == "8"

    # 3. Escalate the 8 EAS reports to 王书彬 in one action.
    for n in range(rows.count()):
        rows.nth(n).locator("input.pick").check()
    page.select_option("#bulk select[name=action]", "escalate")
    page.select_option("#bulk select[name=owner]", label="王书彬")
    page.fill("#bulk textarea[name=text]", "同一个 EAS 过账故障，请统一处理")
    submit(page, "#bulk button[type=submit]")
    assert "已处理 8 个工单" in page.content()
    for ticket in made["eas"]:
        event = TicketEvent.objects.get(ticket=ticket, kind=TicketEvent.Kind.ESCALATED)
        assert event.data["owner"] == "王书彬" and event.body == "同一个 EAS 过账故障，请统一处理"

    # 4. Answer the 6 survey-link reports with the survey article in one action.
    page.goto(f"{url}/tickets/queue/?q=问卷")
    assert rows.count() == 6
    for n in range(6):
        rows.nth(n).locator("input.pick").check()
    page.select_option("#bulk select[name=action]", "resolve")
    page.select_option("#bulk select[name=article]", label="年度满意度链接")
    page.fill("#bulk textarea[name=text]", "您好，请使用下面的新链接：")
    submit(page, "#bulk button[type=submit]")
    assert "已处理 6 个工单" in page.content()
    for ticket in made["survey"]:
        ticket.refresh_from_db()
        reply = ticket.events.get(kind=TicketEvent.Kind.REPLY).body
        assert ticket.status == Ticket.Status.RESOLVED
        assert "https://www.wjx.cn/jq/2026.aspx" in reply and "48151729" not in reply

    # 5. Two handlers on one ticket: presence both ways, and a late reply asks to confirm.
    ref = made["other"][0].ref
    page.goto(f"{url}/tickets/{ref}/")
    admin_ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    other = admin_ctx.new_page()
    login(other, url, "admin", passwords["admin"])
    other.goto(f"{url}/tickets/{ref}/")
    assert "丁家贵 也在查看此工单" in other.locator("#presence").inner_text()
    page.wait_for_function("() => document.querySelector('#presence').innerText.includes('admin')", timeout=15_000)
    other.fill("#reply textarea[name=body]", "我已经在处理了")
    page.wait_for_function("() => document.querySelector('#presence').innerText.includes('正在输入')", timeout=15_000)
    submit(other, "#reply button[type=submit]")
    page.fill("#reply textarea[name=body]", "请重启收费云客户端再试")
    submit(page, "#reply button[type=submit]")
    assert "我已经在处理了" in page.locator("#late-answers").inner_text()
    assert page.locator("#reply textarea[name=body]").input_value() == "请重启收费云客户端再试"
    assert not TicketEvent.objects.filter(ticket__ref=ref, body="请重启收费云客户端再试").exists()
    submit(page, "#reply button[type=submit]")
    assert "回复已发送" in page.content()
    assert TicketEvent.objects.filter(ticket__ref=ref, body="请重启收费云客户端再试", actor__username="dingjiagui").exists()
    admin_ctx.close()

    # 6. The queue works on a phone.
    phone = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    small = phone.new_page()
    login(small, url, "dingjiagui", passwords["dingjiagui"])
    assert small.locator("#queue li.ticket-row").count() > 0
    assert_fits_phone(small)
    phone.close()
    desk.close()
