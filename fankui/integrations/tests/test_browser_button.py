"""The 问题反馈 button on a web system's page (a plain HTML page standing in for BMS, on another loopback
origin): one script tag, a click, a report with the page's address; an unregistered origin is refused."""
from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import override_settings

from fankui.integrations.tests.factories import AppBackend, panel_signature, register
from fankui.tickets.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF = {"id": "bms-zhangsan", "name": "张三", "kind": "staff", "phone": "13800000003", "region": "huanan"}


@contextmanager
def host_page(app: AppBackend, fankui_url: str) -> Iterator[str]:
    """A page on its own loopback origin with the integration's script tag and a freshly signed user."""
    tag = " ".join(f'data-{name}="{html.escape(value)}"' for name, value in panel_signature(app, STAFF).items())
    body = (
        '<!doctype html><html><head><meta charset="utf-8"><title>BMS 审批中心</title></head><body>'
        f'<h1>BMS 审批中心</h1><script src="{fankui_url}/integrations/{app.integration.key}/button.js" async {tag}></script>'
        "</body></html>"
    ).encode()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_bms_user_files_from_the_button_and_the_ticket_shows_bms_and_the_page(guide_loaded: None, live_server: Any, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    with override_settings(FANKUI_BASE_URL=live_server.url):
        app = register(name="BMS", key="bms", system="BMS")
        with host_page(app, live_server.url) as origin:
            app.integration.allowed_origins = origin
            app.integration.save()
            page.goto(f"{origin}/approvals/42?tab=pending")
            page.click("#fankui-feedback-button")
            panel = page.frame_locator("#fankui-feedback-panel iframe")
            panel.locator("textarea[name=description]").fill("这个页面点保存没有反应，一直转圈")
            assert f"{origin}/approvals/42" in panel.locator("#h5-report").inner_text()
            panel.locator("#h5-report button[type=submit]").click()
            ref = panel.locator("#sent").get_attribute("data-ref")
    context.close()
    ticket = Ticket.objects.get(ref=ref)
    assert ticket.system.name == "BMS"
    assert ticket.context["page_url"] == f"{origin}/approvals/42?tab=pending"
    assert "Chrome" in ticket.context["browser"]
    assert (ticket.reporter.app_identity.app_user_id, ticket.reporter_kind, ticket.region.name) == ("bms-zhangsan", "staff", "华南")


def test_the_same_script_on_an_unregistered_origin_is_refused(guide_loaded: None, live_server: Any, browser: Any) -> None:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    with override_settings(FANKUI_BASE_URL=live_server.url):
        app = register(name="BMS", key="bms", system="BMS", origins="https://bms.example.cn")
        with host_page(app, live_server.url) as origin:
            page.goto(origin)
            page.click("#fankui-feedback-button")
            alert = page.locator("#fankui-feedback-panel [role=alert]")
            assert "未在 fankui 登记" in alert.inner_text()
            assert page.locator("#fankui-feedback-panel iframe").count() == 0
    context.close()
    assert Ticket.objects.count() == 0
