"""The issue's black-box script: an app backend that knows only HTTP and the README's signing rule.

Against a live server: an admin registers the integration on the admin site and copies the secret
shown once; the backend files for owner X with a signed identity and a screenshot, opens the H5
hand-off as X and sees the report, cannot reach owner Y's report by any id, gets the handler's reply
as a push addressed to X's app user id, and X replies from the H5 page. A forged, expired, replayed
or foreign signature is refused with its error code and nothing is stored.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import re
import secrets
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import override_settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.core.files.uploadedfile import SimpleUploadedFile

from fankui.accounts.tokens import create_token
from fankui.core import testing
from fankui.core.testing import WebSession
from fankui.directory.models import System
from fankui.integrations.models import AppIdentity
from fankui.notify.delivery import deliver_all_due
from fankui.notify.tests.receivers import http_receiver
from fankui.tickets.models import Ticket
from fankui.tickets.tests.page_factories import png_bytes

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]

X = {"id": "owner-x-1001", "name": "业主甲", "kind": "owner", "phone": "13800000001", "project": "演示小区", "house": "1栋101"}
Y = {"id": "owner-y-2002", "name": "业主乙", "kind": "owner", "phone": "13800000002", "project": "演示小区", "house": "2栋202"}


@dataclass
class AppServer:
    """The app backend: signs `fankui-v1\\nkey\\nts\\nnonce\\npurpose\\nidentity` with HMAC-SHA256."""

    port: int
    key: str
    secret: str

    def sign(self, method: str, path: str, body: bytes, user: dict[str, str], *, ts: int | None = None, secret: str | None = None) -> dict[str, str]:
        identity = base64.urlsafe_b64encode(json.dumps(user, ensure_ascii=False).encode()).decode().rstrip("=")
        timestamp, nonce = str(ts or int(time.time())), secrets.token_hex(16)
        purpose = f"{method} {path} {hashlib.sha256(body).hexdigest()}"
        message = "\n".join(["fankui-v1", self.key, timestamp, nonce, purpose, identity])
        signature = hmac.new((secret or self.secret).encode(), message.encode(), hashlib.sha256).hexdigest()
        return {"X-Fankui-Integration": self.key, "X-Fankui-Timestamp": timestamp, "X-Fankui-Nonce": nonce,
                "X-Fankui-Identity": identity, "X-Fankui-Signature": signature}

    def send(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        status, data = response.status, response.read()
        connection.close()
        return status, json.loads(data) if data else None

    def call(self, method: str, path: str, user: dict[str, str], payload: Any = None, **options: Any) -> tuple[int, Any]:
        body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", **self.sign(method, path, body, user, **options)}
        return self.send(method, path, body, headers)


def register_on_admin_site(admin: WebSession, name: str, key: str, system: str) -> str:
    status, page = admin.post_form(
        "/admin/integrations/integration/add/",
        {"name": name, "key": key, "system": str(System.objects.get(name=system).pk), "allowed_origins": "", "active": "on",
         "secrets-TOTAL_FORMS": "0", "secrets-INITIAL_FORMS": "0"},
    )
    found = re.search(r'<pre id="issued-secret"[^>]*>(fks_[^<]+)</pre>', page)
    assert status == 200 and found, page[:2000]
    return found.group(1)


def stored() -> tuple[int, int, int]:
    return Ticket.objects.count(), AppIdentity.objects.count(), Ticket.objects.values("events").count()


def test_an_app_backend_files_and_follows_its_owners_reports_over_http(guide_loaded: None, live_server: Any) -> None:
    port = int(live_server.url.rsplit(":", 1)[1])
    testing.admin()
    ding_token = create_token(user=testing.consultant_ding(), name="desk").token
    admin = WebSession(port)
    admin.log_in("admin", "x")
    app = AppServer(port, "yiying-life", register_on_admin_site(admin, "一应生活APP后端", "yiying-life", "一应生活APP"))
    other = AppServer(port, "yiying-smart", register_on_admin_site(admin, "一应智能APP后端", "yiying-smart", "一应智能APP"))

    with http_receiver() as gateway, override_settings(FANKUI_PUSH_WEBHOOK_URL=gateway.url, FANKUI_PUSH_WEBHOOK_SECRET="gw", FANKUI_BASE_URL=live_server.url):
        # 1. Owner X's report with a screenshot (multipart, the signature covers the exact body).
        form = {"description": "缴费页面一直转圈，付款失败", "files": SimpleUploadedFile("缴费.png", png_bytes(300, 200), "image/png")}
        body = encode_multipart(BOUNDARY, form)
        path = "/api/v1/integrations/tickets"
        first = {"Content-Type": MULTIPART_CONTENT, **app.sign("POST", path, body, X)}
        status, created = app.send("POST", path, body, first)
        assert status == 201, created
        ref_x = created["ref"]
        status, created_y = app.call("POST", path, Y, {"description": "停车缴费失败，扣款了没开闸", "context": {"page": "停车缴费"}})
        ref_y = created_y["ref"]
        ticket_y = Ticket.objects.get(ref=ref_y)

        # 2. Refused, each with its code, and nothing stored.
        before = stored()
        refusals = [
            ("replayed_signature", app.send("POST", path, body, first)),
            ("bad_signature", app.call("POST", path, X, {"description": "伪造"}, secret="fks_not-the-secret")),
            ("signature_expired", app.call("POST", path, X, {"description": "过期"}, ts=int(time.time()) - 600)),
            # Signed with the other integration's secret but sent as this one.
            ("bad_signature", app.call("POST", path, X, {"description": "串号"}, secret=other.secret)),
        ]
        for code, (status, answer) in refusals:
            assert (status, answer["error"]["code"]) == (401, code)
        assert stored() == before
        assert other.call("GET", f"/api/v1/integrations/tickets/{ref_x}", X)[0] == 404  # X of another app is someone else

        # 3. X opens the H5 hand-off and sees the report; Y's is out of reach by any id.
        status, link = app.call("POST", "/api/v1/integrations/h5-links", X, {"next": f"/integrations/h5/tickets/{ref_x}/"})
        phone = WebSession(port)
        status, _ = phone.request("GET", urllib.parse.urlsplit(link["url"]).path + "?" + urllib.parse.urlsplit(link["url"]).query)
        assert status == 302
        status, page = phone.request("GET", f"/integrations/h5/tickets/{ref_x}/")
        assert status == 200 and "缴费页面一直转圈" in page
        assert phone.request("GET", urllib.parse.urlsplit(link["url"]).path)[0] == 403  # the link opened once
        y_file = ticket_y.attachments.first()
        for probe in (f"/integrations/h5/tickets/{ref_y}/", f"/integrations/h5/tickets/{ticket_y.pk}/", f"/integrations/h5/tickets/{ref_y}/files/{y_file.pk if y_file else 1}/"):
            assert phone.request("GET", probe)[0] == 404, probe
        assert app.call("GET", f"/api/v1/integrations/tickets/{ref_y}", X)[0] == 404
        assert [t["ref"] for t in app.call("GET", "/api/v1/integrations/tickets", X)[1]["results"]] == [ref_x]

        # 4. The handler answers; the push names X's app user id and links to the H5 conversation.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("POST", f"/api/v1/tickets/{ref_x}/replies", body=json.dumps({"body": "请更新到最新版本后重试"}).encode(),
                           headers={"Authorization": f"Bearer {ding_token}", "Content-Type": "application/json"})
        assert connection.getresponse().status == 201
        deliver_all_due()
        [push] = [hit.json for hit in gateway.hits if hit.json["event"] == "reply"]
        assert (push["recipient"], push["integration"], push["ticket"]) == ("owner-x-1001", "yiying-life", ref_x)
        assert push["url"] == f"{live_server.url}/integrations/h5/tickets/{ref_x}/"

        # 5. X replies from the H5 page.
        token = re.search(r'name="h5t" value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
        reply = urllib.parse.urlencode({"h5t": token, "action": "reply", "body": "更新后可以了，谢谢"}).encode()
        status, _ = phone.request("POST", f"/integrations/h5/tickets/{ref_x}/", reply, {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 302
        assert "更新后可以了，谢谢" in phone.request("GET", f"/integrations/h5/tickets/{ref_x}/")[1]
    ticket = Ticket.objects.get(ref=ref_x)
    assert (ticket.system.name, ticket.reporter_kind, ticket.attachments.count()) == ("一应生活APP", "owner", 1)
