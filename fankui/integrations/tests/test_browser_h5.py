"""In real Chromium at 375 px, as in an app's webview: hand-off, file with a screenshot, follow, reply."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fankui.conftest import assert_fits_phone
from fankui.core import testing
from fankui.integrations.tests.factories import OWNER_X, register
from fankui.integrations.tests.test_h5_pages import handoff
from fankui.tickets.models import Ticket
from fankui.tickets.services import resolve_ticket
from fankui.tickets.tests.page_factories import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_an_owner_files_and_follows_a_report_in_the_apps_webview(guide_loaded: None, live_server: Any, phone_page: Any, tmp_path: Path) -> None:
    app = register()
    page, url = phone_page, live_server.url
    screenshot = tmp_path / "缴费截图.png"
    screenshot.write_bytes(png_bytes(400, 300))

    page.goto(url + handoff(app, OWNER_X))
    assert page.url.endswith("/integrations/h5/new/")
    assert page.locator("header, .account").count() == 0  # no fankui navigation chrome
    assert page.locator("nav.tabs a").all_inner_texts() == ["提交反馈", "我的反馈"]
    page.fill("textarea[name=description]", "缴费页面一直转圈，付款失败")
    page.set_input_files("input[name=files]", str(screenshot))
    assert_fits_phone(page)
    submit(page, "#h5-report button[type=submit]")
    ref = page.locator("#ticket").get_attribute("data-ref")
    assert "已提交" in page.inner_text("#ticket")
    page.locator(".timeline img").first.scroll_into_view_if_needed()
    page.wait_for_function("() => { const img = document.querySelector('.timeline img'); return img.complete && img.naturalWidth > 0; }")
    assert_fits_phone(page)

    resolve_ticket(ticket=Ticket.objects.get(ref=ref), by=testing.admin(), reply="已为您处理，请重新缴费")
    submit(page, "nav.tabs a >> text=我的反馈")
    assert ref in page.inner_text("#h5-mine")
    assert_fits_phone(page)
    submit(page, f"#h5-mine a[href='/integrations/h5/tickets/{ref}/']")
    assert "已为您处理，请重新缴费" in page.inner_text(".timeline")
    page.fill("#reopen textarea", "还是付不了")
    submit(page, "#reopen button")
    page.fill("textarea[name=body]", "换了网络也不行")
    submit(page, "#h5-reply button")
    assert "换了网络也不行" in page.inner_text(".timeline")
    assert_fits_phone(page)
    assert Ticket.objects.get(ref=ref).status == "open"
