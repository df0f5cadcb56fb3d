"""The H5 pages in the app's webview: a one-time hand-off, then 提交反馈, 我的反馈 and a conversation."""
from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fankui.core import testing
from fankui.integrations.tests.factories import OWNER_X, OWNER_Y, AppBackend, register
from fankui.tickets.models import Ticket
from fankui.tickets.services import resolve_ticket
from fankui.tickets.tests.page_factories import png_bytes

pytestmark = pytest.mark.django_db


def handoff(app: AppBackend, identity: dict[str, str], next_path: str = "") -> str:
    response = app.call("POST", "/api/v1/integrations/h5-links", identity, json_body={"next": next_path})
    assert response.status_code == 201, response.content
    return str(response.json()["url"]).removeprefix("http://127.0.0.1:8000")


def open_as(app: AppBackend, identity: dict[str, str], next_path: str = "") -> Client:
    browser = Client()
    response = browser.get(handoff(app, identity, next_path))
    assert response.status_code == 302
    return browser


def form_token(page: str) -> str:
    match = re.search(r'name="h5t" value="([0-9a-f]+)"', page)
    assert match
    return match.group(1)


def test_a_handoff_link_opens_once_and_then_is_refused() -> None:
    app = register()
    link = handoff(app, OWNER_X)
    first = Client().get(link)
    assert (first.status_code, first["Location"]) == (302, "/integrations/h5/new/")
    assert first.cookies["fankui_h5"]["httponly"] and first.cookies["fankui_h5"]["path"] == "/integrations/h5/"
    again = Client().get(link)
    assert again.status_code == 403 and "页面已过期" in again.content.decode()


def test_without_a_session_the_pages_say_to_open_them_from_the_app() -> None:
    register()
    response = Client().get("/integrations/h5/")
    assert response.status_code == 403 and "重新点击" in response.content.decode()
    assert Client().get("/integrations/h5/start/not-a-token/").status_code == 403


def test_an_app_user_files_with_a_screenshot_and_follows_the_conversation() -> None:
    app = register()
    browser = open_as(app, OWNER_X)
    page = browser.get("/integrations/h5/new/")
    assert page.status_code == 200
    assert "frame-ancestors 'none'" == page["Content-Security-Policy"] and "X-Frame-Options" not in page
    response = browser.post(
        "/integrations/h5/new/",
        {"h5t": form_token(page.content.decode()), "description": "缴费页面一直转圈，付款失败", "files": SimpleUploadedFile("门禁.png", png_bytes(), "image/png")},
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.system.name, ticket.channel, ticket.reporter_kind) == ("一应生活APP", "app", "owner")
    conversation = browser.get(response["Location"])
    html = conversation.content.decode()
    assert "缴费页面一直转圈" in html and ticket.ref in html and "已提交" in html
    attachment = ticket.attachments.get()
    assert browser.get(f"/integrations/h5/tickets/{ticket.ref}/files/{attachment.pk}/").status_code == 200
    assert ticket.ref in browser.get("/integrations/h5/").content.decode()

    reply = browser.post(f"/integrations/h5/tickets/{ticket.ref}/", {"h5t": form_token(html), "action": "reply", "body": "今天还是打不开"})
    assert reply.status_code == 302
    assert ticket.events.filter(kind="reply", body="今天还是打不开").exists()

    resolve_ticket(ticket=ticket, by=testing.admin(), reply="已为您重置门禁卡")
    html = browser.get(f"/integrations/h5/tickets/{ticket.ref}/").content.decode()
    assert "已为您重置门禁卡" in html
    browser.post(f"/integrations/h5/tickets/{ticket.ref}/", {"h5t": form_token(html), "action": "reopen", "reason": "还是不行"})
    ticket.refresh_from_db()
    assert ticket.status == "open"


def test_a_post_without_the_pages_form_token_changes_nothing() -> None:
    app = register()
    browser = open_as(app, OWNER_X)
    response = browser.post("/integrations/h5/new/", {"h5t": "0" * 64, "description": "伪造的提交"})
    assert response.status_code == 403
    assert Ticket.objects.count() == 0


def test_an_app_user_cannot_open_anyone_elses_ticket_or_file() -> None:
    app = register()
    theirs = app.file(OWNER_Y, "停车缴费失败", ).json()["ref"]
    staff = testing.client_for(testing.reporter_a())
    staff_ref = staff.post("/api/v1/tickets", {"description": "EAS 打不开"}, content_type="application/json").json()["ref"]
    browser = open_as(app, OWNER_X)
    for ref in (theirs, staff_ref):
        assert browser.get(f"/integrations/h5/tickets/{ref}/").status_code == 404
    assert theirs not in browser.get("/integrations/h5/").content.decode()
    # Nor is the H5 session a fankui login.
    assert browser.get("/tickets/").status_code == 302


def test_a_bad_screenshot_is_refused_with_the_reason_and_nothing_is_filed() -> None:
    app = register()
    browser = open_as(app, OWNER_X)
    token = form_token(browser.get("/integrations/h5/new/").content.decode())
    response = browser.post("/integrations/h5/new/", {"h5t": token, "description": "打不开", "files": SimpleUploadedFile("x.png", b"MZ not an image", "image/png")})
    assert response.status_code == 400
    assert Ticket.objects.count() == 0


def test_the_handoff_can_open_the_conversation_a_push_links_to() -> None:
    app = register()
    ref = app.file(OWNER_X, "门禁卡刷不开单元门").json()["ref"]
    browser = Client()
    response = browser.get(handoff(app, OWNER_X, f"/integrations/h5/tickets/{ref}/"))
    assert response["Location"] == f"/integrations/h5/tickets/{ref}/"
    for elsewhere in ("https://evil.example/", "/integrations/h5//evil.example/", "/integrations/h5/\\evil.example/", "/tickets/"):
        assert Client().get(handoff(app, OWNER_X, elsewhere))["Location"] == "/integrations/h5/new/"


def test_a_report_from_the_webview_keeps_the_context_the_app_sent_with_the_link() -> None:
    app = register()
    response = app.call("POST", "/api/v1/integrations/h5-links", OWNER_X, json_body={"context": {"app_version": "5.2.0", "os": "Android 14"}})
    browser = Client()
    browser.get(str(response.json()["url"]).removeprefix("http://127.0.0.1:8000"))
    token = form_token(browser.get("/integrations/h5/new/").content.decode())
    browser.post("/integrations/h5/new/", {"h5t": token, "description": "缴费页面一直转圈，付款失败"})
    assert Ticket.objects.get().context == {"app_version": "5.2.0", "os": "Android 14"}
