"""The 问题反馈 button on a web system's page (a plain HTML page standing in for BMS, on another loopback
origin): one script tag, a click, a report with the page's address and a screenshot (captured, pasted
or chosen), in the page's language; an unregistered origin is refused."""
from __future__ import annotations

import html
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import override_settings
from PIL import Image

from fankui.conftest import CHROMIUM, CHROMIUM_ARGS, assert_fits_phone, paste_image
from fankui.integrations.tests.factories import AppBackend, panel_signature, register
from fankui.tickets.attachments import read_attachment
from fankui.tickets.models import Ticket
from fankui.tickets.tests.page_factories import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF = {"id": "bms-zhangsan", "name": "张三", "kind": "staff", "phone": "13800000003", "region": "huanan"}
PAGE_COLOUR = (0, 96, 160)  # the host page's background, to tell it apart from the panel in a screenshot


@contextmanager
def host_page(app: AppBackend, fankui_url: str, *, lang: str = "zh-CN", tag_attributes: str = "") -> Iterator[str]:
    """A page on its own loopback origin with the integration's script tag and a freshly signed user."""
    tag = " ".join(f'data-{name}="{html.escape(value)}"' for name, value in panel_signature(app, STAFF).items())
    body = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>BMS 审批中心</title></head>'
        f'<body style="margin:0;min-height:100vh;background:rgb{PAGE_COLOUR}">'
        f'<h1>BMS 审批中心</h1><script src="{fankui_url}/integrations/{app.integration.key}/button.js" async {tag} {tag_attributes}></script>'
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


@contextmanager
def bms_page(browser: Any, live_server: Any, *, width: int = 1280, registered: bool = True, **host: str) -> Iterator[tuple[Any, str]]:
    """A Chinese browser at `width` px and BMS's page (`host_page`), whose origin is registered for BMS
    unless told otherwise: (the browser's page, the origin)."""
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
    try:
        with override_settings(FANKUI_BASE_URL=live_server.url):
            app = register(name="BMS", key="bms", system="BMS", origins="" if registered else "https://bms.example.cn")
            with host_page(app, live_server.url, **host) as origin:
                if registered:
                    app.integration.allowed_origins = origin
                    app.integration.save()
                yield context.new_page(), origin
    finally:
        context.close()


def open_panel(page: Any, url: str, description: str) -> Any:
    """Click the button on the page at `url` and type the description into the panel."""
    page.goto(url)
    page.click("#fankui-feedback-button")
    panel = page.frame_locator("#fankui-feedback-panel iframe")
    panel.locator("textarea[name=description]").fill(description)
    return panel


def test_a_bms_user_files_from_the_button_and_the_ticket_shows_bms_and_the_page(guide_loaded: None, live_server: Any, browser: Any) -> None:
    with bms_page(browser, live_server) as (page, origin):
        panel = open_panel(page, f"{origin}/approvals/42?tab=pending", "这个页面点保存没有反应，一直转圈")
        assert f"{origin}/approvals/42" in panel.locator("#h5-report").inner_text()
        panel.locator("#h5-report button[type=submit]").click()
        ref = panel.locator("#sent").get_attribute("data-ref")
    ticket = Ticket.objects.get(ref=ref)
    assert ticket.system.name == "BMS"
    assert ticket.context["page_url"] == f"{origin}/approvals/42?tab=pending"
    assert "Chrome" in ticket.context["browser"]
    assert (ticket.reporter.app_identity.app_user_id, ticket.reporter_kind, ticket.region.name) == ("bms-zhangsan", "staff", "华南")


def test_the_panel_captures_the_page_it_sits_on_and_the_ticket_keeps_the_picture(guide_loaded: None, live_server: Any, browser: Any) -> None:
    with bms_page(browser, live_server) as (page, origin):
        panel = open_panel(page, f"{origin}/approvals/42", "审批页面的保存按钮不见了")
        panel.locator("#h5-capture").click()  # the browser's own prompt is accepted by a chromium switch (conftest)
        panel.locator("#h5-capture:enabled").wait_for()  # the capture is over
        assert panel.locator("#h5-previews figure").count() == 1
        for stepped_aside in ("#fankui-feedback-panel", "#fankui-feedback-button"):
            assert page.locator(stepped_aside).evaluate("it => getComputedStyle(it).visibility") == "visible"
        panel.locator("#h5-report button[type=submit]").click()
        ref = panel.locator("#sent").get_attribute("data-ref")
    [attachment] = Ticket.objects.get(ref=ref).attachments.all()
    assert attachment.content_type == "image/png" and attachment.filename.startswith("截图-")
    image = Image.open(io.BytesIO(read_attachment(attachment))).convert("RGB")
    # Where the panel stands on the screen the picture shows the page: the panel stepped aside.
    pixel = image.getpixel((int(image.width * 0.85), int(image.height * 0.6)))
    assert all(abs(got - want) <= 24 for got, want in zip(pixel, PAGE_COLOUR, strict=True)), pixel


def test_a_user_who_refuses_the_browsers_prompt_is_told_and_nothing_is_taken(guide_loaded: None, live_server: Any, browser: Any) -> None:
    args = [arg for arg in CHROMIUM_ARGS if arg != "--auto-accept-this-tab-capture"] + ["--auto-reject-this-tab-capture"]
    refusing = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=args)
    try:
        with bms_page(refusing, live_server) as (page, origin):
            panel = open_panel(page, origin, "审批页面的保存按钮不见了")
            panel.locator("#h5-capture").click()
            panel.locator("#h5-capture:enabled").wait_for()
            assert panel.locator("[data-capture-status]").inner_text() == "没有截图：未获得浏览器的截屏许可。"
            assert panel.locator("#h5-previews figure").count() == 0
            assert page.locator("#fankui-feedback-panel").evaluate("it => getComputedStyle(it).visibility") == "visible"
    finally:
        refusing.close()


def test_at_375px_in_english_a_pasted_and_a_chosen_image_go_with_the_report(guide_loaded: None, live_server: Any, browser: Any) -> None:
    # A Chinese browser on an English page: the page's data-lang decides.
    with bms_page(browser, live_server, width=375, tag_attributes='data-lang="en"') as (page, origin):
        page.goto(origin)
        assert page.locator("#fankui-feedback-button").inner_text() == "Report a problem"
        page.click("#fankui-feedback-button")
        panel = page.locator("#fankui-feedback-panel iframe").element_handle().content_frame()
        panel.wait_for_selector("#h5-report")
        assert panel.evaluate("document.documentElement.lang") == "en"
        assert "What went wrong?" in panel.inner_text("#h5-report") and "paste a screenshot" in panel.inner_text("#h5-report")
        panel.fill("textarea[name=description]", "The save button does nothing on the approvals page")
        paste_image(panel, png_bytes(200, 100))
        paste_image(panel, png_bytes(120, 80))
        panel.set_input_files("input[name=files]", files=[{"name": "chosen.png", "mimeType": "image/png", "buffer": png_bytes(60, 40)}])
        assert panel.locator("#h5-previews figure").count() == 3
        panel.click("#h5-previews figure:nth-child(2) .remove")
        assert panel.locator("#h5-previews figure").count() == 2
        assert_fits_phone(panel)
        assert page.locator("#fankui-feedback-panel").bounding_box()["width"] == 375
        panel.click("#h5-report button[type=submit]")
        sent = panel.wait_for_selector("#sent")
        ref = sent.get_attribute("data-ref")
        assert f"Sent, reference {ref}" in sent.inner_text()
    attachments = Ticket.objects.get(ref=ref).attachments.all()
    assert sorted((a.width, a.height) for a in attachments) == [(60, 40), (200, 100)]
    assert sorted(a.filename.split("-")[0] for a in attachments) == ["chosen.png", "screenshot"]


def test_the_same_script_on_an_unregistered_origin_is_refused(guide_loaded: None, live_server: Any, browser: Any) -> None:
    with bms_page(browser, live_server, registered=False) as (page, origin):
        page.goto(origin)
        page.click("#fankui-feedback-button")
        alert = page.locator("#fankui-feedback-panel [role=alert]")
        assert "未在 fankui 登记" in alert.inner_text()
        assert page.locator("#fankui-feedback-panel iframe").count() == 0
    assert Ticket.objects.count() == 0


def test_an_english_page_hears_the_refusal_in_english(guide_loaded: None, live_server: Any, browser: Any) -> None:
    with bms_page(browser, live_server, registered=False, lang="en-GB") as (page, origin):  # no data-lang: the page's <html lang>
        page.goto(origin)
        page.click("#fankui-feedback-button")
        alert = page.locator("#fankui-feedback-panel [role=alert]")
        assert "This site is not registered with fankui" in alert.inner_text()
        assert page.locator("#fankui-feedback-panel button").get_attribute("aria-label") == "Close"
