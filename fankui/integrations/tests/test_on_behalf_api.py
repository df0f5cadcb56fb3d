"""The on-behalf-of API as an app backend uses it: file, list, read, reply, confirm, reopen — one user's own."""
from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fankui.core import testing
from fankui.integrations.models import UsedNonce
from fankui.integrations.tests.factories import OWNER_X, OWNER_Y, register
from fankui.notify.channels.webhook import payload_for
from fankui.notify.models import Delivery
from fankui.tickets.models import Ticket
from fankui.tickets.services import resolve_ticket
from fankui.tickets.tests.page_factories import png_bytes

pytestmark = pytest.mark.django_db

CONTEXT = {"app_version": "5.2.0", "device_model": "iPhone 15", "os": "iOS 17.5", "page": "我的-缴费", "network": "4g"}


def test_a_report_from_the_app_is_about_the_app_and_keeps_its_context_and_screenshot() -> None:
    app = register()
    form = {"description": "缴费页面一直转圈，付款失败", "files": SimpleUploadedFile("截图.png", png_bytes(), content_type="image/png")}
    response = app.call("POST", "/api/v1/integrations/tickets", OWNER_X, form=form)
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(ref=response.json()["ref"])
    assert (ticket.system.name, ticket.channel, ticket.reporter_kind) == ("一应生活APP", "app", "owner")
    assert ticket.attachments.count() == 1

    response = app.file(OWNER_X, "缴费页面一直转圈", context=CONTEXT)
    ticket = Ticket.objects.get(ref=response.json()["ref"])
    assert ticket.context == CONTEXT
    assert testing.client_for(testing.admin()).get(f"/api/v1/tickets/{ticket.ref}").json()["context"] == CONTEXT
    assert app.call("GET", f"/api/v1/integrations/tickets/{ticket.ref}", OWNER_X).json()["context"] is None


def test_the_text_naming_another_system_wins_over_the_apps_own() -> None:
    app = register()
    ref = app.file(OWNER_X, "金蝶EAS付款单提交后一直显示审批中，流程卡住了").json()["ref"]
    assert Ticket.objects.get(ref=ref).system.name != "一应生活APP"


def test_context_is_masked_and_length_checked() -> None:
    app = register()
    ref = app.file(OWNER_X, "打不开", context={"page_url": "https://bms.example.cn/login?账号 zhang 密码 Abc12345"}).json()["ref"]
    assert "Abc12345" not in str(Ticket.objects.get(ref=ref).context)
    response = app.file(OWNER_X, "打不开", context={"app_version": "x" * 51})
    assert (response.status_code, response.json()["error"]["code"]) == (422, "invalid_request")


def test_an_app_user_lists_and_reads_only_their_own_reports() -> None:
    app = register()
    mine = app.file(OWNER_X, "门禁卡开不了门").json()["ref"]
    theirs = app.file(OWNER_Y, "停车缴费失败").json()["ref"]
    staff = testing.client_for(testing.reporter_a())
    staff_ref = staff.post("/api/v1/tickets", {"description": "EAS 打不开"}, content_type="application/json").json()["ref"]

    listed = app.call("GET", "/api/v1/integrations/tickets", OWNER_X).json()
    assert [t["ref"] for t in listed["results"]] == [mine]
    assert app.call("GET", f"/api/v1/integrations/tickets/{mine}", OWNER_X).json()["ref"] == mine
    for ref in (theirs, staff_ref, "FK000000-AAAAA"):
        response = app.call("GET", f"/api/v1/integrations/tickets/{ref}", OWNER_X)
        assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found")
        response = app.call("POST", f"/api/v1/integrations/tickets/{ref}/replies", OWNER_X, json_body={"body": "我也是"})
        assert response.status_code == 404
    assert Ticket.objects.get(ref=theirs).events.filter(kind="reply").count() == 0


def test_the_same_app_user_id_in_two_integrations_is_two_people() -> None:
    life = register()
    bms = register(name="BMS", key="bms", system="BMS")
    ref = life.file(OWNER_X, "门禁卡开不了门").json()["ref"]
    assert bms.call("GET", f"/api/v1/integrations/tickets/{ref}", OWNER_X).status_code == 404


def test_an_app_user_replies_confirms_and_reopens() -> None:
    app = register()
    ref = app.file(OWNER_X, "门禁卡开不了门").json()["ref"]
    reply = app.call("POST", f"/api/v1/integrations/tickets/{ref}/replies", OWNER_X, json_body={"body": "今天早上又试了一次"})
    assert reply.status_code == 201 and reply.json()["body"] == "今天早上又试了一次"
    assert app.call("POST", f"/api/v1/integrations/tickets/{ref}/confirm", OWNER_X).json()["error"]["code"] == "ticket_not_resolved"
    ticket = Ticket.objects.get(ref=ref)
    admin = testing.admin()
    resolve_ticket(ticket=ticket, by=admin, reply="已为您重置门禁卡")
    reopened = app.call("POST", f"/api/v1/integrations/tickets/{ref}/reopen", OWNER_X, json_body={"reason": "还是开不了"})
    assert reopened.json()["status"] == "open"
    resolve_ticket(ticket=ticket, by=admin, reply="已更换门禁卡")
    assert app.call("POST", f"/api/v1/integrations/tickets/{ref}/confirm", OWNER_X, json_body={}).json()["status"] == "closed"


def test_a_push_for_an_app_user_is_addressed_to_their_app_user_id(settings: object) -> None:
    settings.FANKUI_PUSH_WEBHOOK_URL = "http://127.0.0.1:9/push"  # type: ignore[attr-defined]
    app = register()
    ref = app.file(OWNER_X, "门禁卡开不了门").json()["ref"]
    resolve_ticket(ticket=Ticket.objects.get(ref=ref), by=testing.admin(), reply="已为您重置门禁卡")
    delivery = Delivery.objects.get(notice__ticket__ref=ref, notice__kind="resolved", channel="webhook")
    payload = payload_for(delivery)
    assert (payload["recipient"], payload["integration"], payload["ticket"]) == ("owner-x-1001", "yiying-life", ref)


def test_handlers_see_the_context_on_the_ticket_page() -> None:
    app = register()
    ref = app.file(OWNER_X, "缴费页面一直转圈", context={**CONTEXT, "page_url": "https://bms.example.cn/pay?id=1"}).json()["ref"]
    page = testing.client_for(testing.admin()).get(f"/tickets/{ref}/").content.decode()
    assert "提交环境" in page and "App 版本 5.2.0" in page and "iPhone 15" in page and "https://bms.example.cn/pay?id=1" in page


# The integration with its live secrets, the used nonce (an insert in a savepoint: 3), the app user (with
# login, profile and region), the chokepoint's role and person lookups, the page and its count: the same
# for 3 reports as for 25.
LIST_QUERY_BUDGET = 9


def test_listing_an_app_users_reports_has_a_fixed_query_budget(django_assert_max_num_queries: Any) -> None:
    app = register()
    for i in range(3):
        app.file(OWNER_X, f"门禁卡开不了门 {i}")
    with django_assert_max_num_queries(LIST_QUERY_BUDGET):
        small = app.call("GET", "/api/v1/integrations/tickets", OWNER_X)
    for i in range(22):
        app.file(OWNER_X, f"停车缴费失败 {i}")
    with django_assert_max_num_queries(LIST_QUERY_BUDGET):
        full = app.call("GET", "/api/v1/integrations/tickets?page_size=100", OWNER_X)
    assert (small.json()["count"], len(full.json()["results"])) == (3, 25)


def test_a_report_and_its_nonce_are_written_together() -> None:
    """The nonce of a filing call is recorded in the report's own transaction: a replay files nothing, and a
    call refused for its content does not use its nonce up."""
    app = register()
    path = "/api/v1/integrations/tickets"
    refused = app.sign("POST", path, OWNER_X, json_body={"description": "   "}, nonce="n" * 20)
    assert app.send("POST", path, refused).status_code == 422
    assert not UsedNonce.objects.exists()

    signed = app.sign("POST", path, OWNER_X, json_body={"description": "一应生活APP 缴费后账单没变"}, nonce="n" * 20)
    assert app.send("POST", path, signed).status_code == 201
    replay = app.send("POST", path, signed)
    assert replay.status_code == 401 and replay.json()["error"]["code"] == "replayed_signature"
    assert Ticket.objects.count() == 1 and UsedNonce.objects.count() == 1
