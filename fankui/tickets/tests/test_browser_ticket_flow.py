"""In real Chromium on a phone: the guide's path from a 华南 report to the owner's answer.

Staff files a report with a screenshot (picked and pasted) and a password typed into the text;
丁家贵 (华南 consultant) finds it in the queue and escalates it to 彭戈, who replies and resolves;
the reporter sees the answer and the unread badge. (The e-mail leg is tested in fankui/notify.)
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fankui.accounts.services import seed_demo_accounts
from fankui.conftest import assert_fits_phone, login, paste_image
from fankui.tickets.models import Ticket
from fankui.tickets.tests.page_factories import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page: Any) -> None:
    with page.expect_navigation():
        page.click("header .account button.link")


def submit(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_a_report_travels_from_staff_to_consultant_to_owner_and_back(
    guide_loaded: None, live_server: Any, phone_page: Any, tmp_path: Path
) -> None:
    passwords = {account.username: account.password for account in seed_demo_accounts()}
    page, url = phone_page, live_server.url
    screenshot = tmp_path / "报错截图.png"
    screenshot.write_bytes(png_bytes(400, 300))

    # 1. 华南 staff files the report on a phone.
    login(page, url, "staff-huanan", passwords["staff-huanan"])
    assert page.url.endswith("/tickets/new/")
    page.fill("textarea[name=description]", "EAS 新用户开通权限后登录提示没有权限 账号 test01 密码 Abc12345")
    page.set_input_files("input[name=files]", str(screenshot))
    paste_image(page, png_bytes(200, 100))
    assert page.locator("#file-previews figure").count() == 2
    assert_fits_phone(page)
    submit(page, "#report-form button[type=submit]")
    ref = page.locator("#ticket").get_attribute("data-ref")
    content = page.content()
    assert "密码 ******" in content and "Abc12345" not in content
    assert "已移入加密保险箱" in content
    assert page.locator(".attachments img").count() == 2
    # The thumbnails load lazily: bring the first into view and wait until it has really decoded.
    page.locator(".attachments img").first.scroll_into_view_if_needed()
    page.wait_for_function("() => { const img = document.querySelector('.attachments img'); return img.complete && img.naturalWidth > 0; }")
    assert_fits_phone(page)
    logout(page)

    # 2. 丁家贵 sees it in the 华南 queue and escalates it to 彭戈 (already proposed by the directory).
    login(page, url, "dingjiagui", passwords["dingjiagui"])
    assert page.url.endswith("/tickets/queue/")
    assert_fits_phone(page)
    submit(page, f"#queue a[href='/tickets/{ref}/']")
    page.click("#action-escalate summary")
    assert page.locator("#action-escalate select[name=target] option:checked").inner_text() == "彭戈"
    page.fill("#action-escalate textarea[name=reason]", "账号权限问题，请信息中心开通")
    assert_fits_phone(page)
    submit(page, "#action-escalate button[type=submit]")
    assert "已升级给 彭戈。" in page.content()
    logout(page)

    # 3. 彭戈 replies and resolves.
    login(page, url, "彭戈", passwords["彭戈"])
    page.goto(f"{url}/tickets/{ref}/")
    assert "账号权限问题，请信息中心开通" in page.content()
    page.fill("#reply textarea[name=body]", "收到，正在为您开通 EAS 权限。")
    submit(page, "#reply button[type=submit]")
    page.click("#action-resolve summary")
    page.fill("#action-resolve textarea[name=reply]", "权限已开通，请退出后重新登录 EAS。")
    submit(page, "#action-resolve button[type=submit]")
    assert_fits_phone(page)
    logout(page)

    # 4. The reporter sees the answer, with unread notifications waiting.
    login(page, url, "staff-huanan", passwords["staff-huanan"])
    assert int(page.locator("#unread-badge").inner_text()) >= 2
    page.goto(f"{url}/tickets/{ref}/")
    content = page.content()
    assert "收到，正在为您开通 EAS 权限。" in content and "权限已开通，请退出后重新登录 EAS。" in content
    assert page.locator("#confirm").is_visible()
    assert_fits_phone(page)
    ticket = Ticket.objects.get(ref=ref)
    assert ticket.status == Ticket.Status.RESOLVED and ticket.escalated_to == "彭戈"
