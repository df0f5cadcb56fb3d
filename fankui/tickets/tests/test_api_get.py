"""GET /api/v1/tickets/{ref}: the ticket, the timeline its reader may see, links to its files — never secrets."""
from __future__ import annotations

import io
import time
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from fankui.tickets.models import Ticket
from fankui.tickets.services import reply_to_ticket, reveal_secrets
from fankui.tickets.tests.api_factories import Persona, file_report, make_personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> dict[str, Persona]:
    return make_personas()


def kinds(body: dict[str, object]) -> list[str]:
    return [event["kind"] for event in body["timeline"]]  # type: ignore[attr-defined,index]


def test_the_reporter_sees_the_ticket_and_its_public_timeline(people: dict[str, Persona]) -> None:
    alice, ding = people["reporter_a"], people["ding"]
    ref = file_report(alice, "EAS 报销单提交后一直卡在审批流，无法提交", title="报销单卡住")
    ticket = Ticket.objects.get(ref=ref)
    reply_to_ticket(ticket=ticket, by=ding.user, body="请截图审批流页面", public=True)
    reply_to_ticket(ticket=ticket, by=ding.user, body="内部：可能是肖睿那边的流程配置", public=False)

    response = alice.api.get(f"/api/v1/tickets/{ref}")
    assert response.status_code == 200
    body = response.json()
    assert (body["ref"], body["title"], body["status"], body["region"], body["assignee"]) == (ref, "报销单卡住", "open", "华南", "丁家贵")
    assert body["url"].endswith(f"/tickets/{ref}/")
    assert kinds(body) == ["created", "reply"]
    assert body["timeline"][1] | {"id": 0, "at": None} == {
        "id": 0,
        "at": None,
        "kind": "reply",
        "public": True,
        "actor": "丁家贵",
        "body": "请截图审批流页面",
        "details": {},
        "attachments": [],
    }
    assert "内部" not in response.content.decode()
    assert body["routing"] is None  # the router's proposal is for handlers


def test_a_handler_also_sees_internal_notes_and_the_routing(people: dict[str, Persona]) -> None:
    ref = file_report(people["reporter_a"])
    reply_to_ticket(ticket=Ticket.objects.get(ref=ref), by=people["ding"].user, body="内部：找肖睿", public=False)
    body = people["ding"].api.get(f"/api/v1/tickets/{ref}").json()
    assert kinds(body) == ["created", "routed", "note"]
    assert body["timeline"][2]["public"] is False
    assert body["routing"]["contact"] == "肖睿"


def test_it_never_returns_secrets_not_even_to_the_handler_who_revealed_them(people: dict[str, Persona]) -> None:
    alice, ding = people["reporter_a"], people["ding"]
    ref = file_report(
        alice,
        "一应之家登录不了，密码是 Pasted-Pw-991",
        secrets=[{"label": "VPN口令标签", "value": "Given-Secret-552"}],
    )
    revealed = reveal_secrets(ticket=Ticket.objects.get(ref=ref), by=ding.user)
    assert ("VPN口令标签", "Given-Secret-552") in revealed
    for persona in (alice, ding, people["admin"]):
        text = persona.api.get(f"/api/v1/tickets/{ref}").content.decode()
        for leaked in ("Pasted-Pw-991", "Given-Secret-552", "VPN口令标签", "ciphertext", "gAAAA"):
            assert leaked not in text


def test_it_links_attachments_and_their_thumbnails(people: dict[str, Persona]) -> None:
    alice = people["reporter_a"]
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "blue").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "报错截图.png"
    response = alice.api.post("/api/v1/tickets", data={"description": "悦帮 报修单无法派单", "files": buffer})
    ref = response.json()["ref"]
    attachment = Ticket.objects.get(ref=ref).attachments.get()

    body = alice.api.get(f"/api/v1/tickets/{ref}").json()
    expected = {
        "id": attachment.pk,
        "filename": "报错截图.png",
        "content_type": "image/png",
        "size": attachment.size,
        "width": 800,
        "height": 600,
        "url": f"http://127.0.0.1:8000/tickets/{ref}/files/{attachment.pk}",
        "thumbnail_url": f"http://127.0.0.1:8000/tickets/{ref}/files/{attachment.pk}/thumb",
    }
    (listed,) = body["attachments"]
    links = {key: listed.pop(key) for key in ("link", "thumbnail_link")}
    assert listed == expected
    assert all(link.startswith("http://127.0.0.1:8000/tickets/files/") for link in links.values())
    assert {k: v for k, v in body["timeline"][0]["attachments"][0].items() if k in expected} == expected


def test_signed_links_work_without_a_session_for_their_user_only_and_expire(people: dict[str, Persona], settings: Any) -> None:
    alice = people["reporter_a"]
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), "blue").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "报错截图.png"
    ref = alice.api.post("/api/v1/tickets", data={"description": "悦帮 报修单无法派单", "files": buffer}).json()["ref"]
    (listed,) = alice.api.get(f"/api/v1/tickets/{ref}").json()["attachments"]
    link = listed["link"].removeprefix("http://127.0.0.1:8000")

    response = Client().get(link)  # an app's image view: no cookie, no header
    assert response.status_code == 200 and b"".join(response.streaming_content) == buffer.getvalue()
    assert response["X-Content-Type-Options"] == "nosniff"
    assert Client().get(listed["thumbnail_link"].removeprefix("http://127.0.0.1:8000"))["Content-Type"] == "image/jpeg"
    assert Client().get(link[:-4] + ("AAAA" if not link.endswith("AAAA") else "BBBB")).status_code == 404  # tampered

    alice.user.is_active = False  # access is checked again when a link is used
    alice.user.save(update_fields=["is_active"])
    assert Client().get(link).status_code == 404
    alice.user.is_active = True
    alice.user.save(update_fields=["is_active"])
    settings.FANKUI_ATTACHMENT_LINK_SECONDS = 0
    time.sleep(1.1)
    assert Client().get(link).status_code == 410


def test_an_app_reads_the_file_url_with_its_bearer_token(people: dict[str, Persona]) -> None:
    alice = people["reporter_a"]
    buffer = io.BytesIO(b"EAS 2026-12-04 ERROR login failed\n")
    buffer.name = "eas.log"
    ref = alice.api.post("/api/v1/tickets", data={"description": "EAS 登录失败", "files": buffer}).json()["ref"]
    (listed,) = alice.api.get(f"/api/v1/tickets/{ref}").json()["attachments"]
    path = listed["url"].removeprefix("http://127.0.0.1:8000")
    assert b"".join(alice.api.get(path).streaming_content) == buffer.getvalue()
    assert people["reporter_b"].api.get(path).status_code == 404
    assert Client(headers={"Authorization": "Bearer fk_made-up-token"}).get(path).status_code == 401
    assert Client().get(path).status_code == 302  # a browser without a session is sent to sign in


def test_missing_and_not_yours_are_the_same_404(people: dict[str, Persona]) -> None:
    ref = file_report(people["reporter_a"])
    not_yours = people["reporter_b"].api.get(f"/api/v1/tickets/{ref}")
    missing = people["reporter_b"].api.get("/api/v1/tickets/FK000000-NOPE0")
    assert not_yours.status_code == missing.status_code == 404
    assert not_yours.json() == missing.json() == {"error": {"code": "not_found", "message": "找不到该工单，或您无权查看。"}}


def test_anonymous_callers_get_401() -> None:
    response = Client().get("/api/v1/tickets/FK000000-NOPE0")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
