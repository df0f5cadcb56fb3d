"""An "app backend" as the tests play it: it registers an integration and signs calls for its users."""
from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from fankui.directory.models import System
from fankui.integrations import signing
from fankui.integrations.models import Integration
from fankui.integrations.services import create_integration

OWNER_X = {"id": "owner-x-1001", "name": "业主甲", "kind": "owner", "phone": "13800000001", "project": "演示小区", "house": "1栋101"}
OWNER_Y = {"id": "owner-y-2002", "name": "业主乙", "kind": "owner", "phone": "13800000002", "project": "演示小区", "house": "2栋202"}


@dataclass
class SignedRequest:
    """What one signed call sends; tests tamper with it to prove each refusal."""

    headers: dict[str, str]
    body: bytes
    content_type: str


@dataclass
class AppBackend:
    integration: Integration
    secret: str
    client: Client = field(default_factory=lambda: Client(enforce_csrf_checks=True))

    def headers(self, identity: dict[str, str], purpose: str, *, timestamp: int | None = None, nonce: str | None = None, secret: str | None = None) -> dict[str, str]:
        encoded = signing.encode_identity(identity)
        ts = str(int(time.time()) if timestamp is None else timestamp)
        nonce = nonce or secrets.token_hex(16)
        message = signing.canonical(key=self.integration.key, timestamp=ts, nonce=nonce, purpose=purpose, identity=encoded)
        return {
            "X-Fankui-Integration": self.integration.key,
            "X-Fankui-Timestamp": ts,
            "X-Fankui-Nonce": nonce,
            "X-Fankui-Identity": encoded,
            "X-Fankui-Signature": signing.sign(secret or self.secret, message),
        }

    def sign(self, method: str, path: str, identity: dict[str, str], *, json_body: Any = None, form: dict[str, Any] | None = None, **options: Any) -> SignedRequest:
        if form is not None:
            body, content_type = encode_multipart(BOUNDARY, form), MULTIPART_CONTENT
        elif json_body is not None:
            body, content_type = json.dumps(json_body, ensure_ascii=False).encode(), "application/json"
        else:
            body, content_type = b"", "application/json"
        headers = self.headers(identity, signing.request_purpose(method, path, body), **options)
        return SignedRequest(headers=headers, body=body, content_type=content_type)

    def send(self, method: str, path: str, signed: SignedRequest) -> HttpResponse:
        return self.client.generic(method, path, data=signed.body, content_type=signed.content_type, headers=signed.headers)

    def call(self, method: str, path: str, identity: dict[str, str], **options: Any) -> HttpResponse:
        return self.send(method, path, self.sign(method, path, identity, **options))

    def file(self, identity: dict[str, str], description: str, **fields: Any) -> HttpResponse:
        return self.call("POST", "/api/v1/integrations/tickets", identity, json_body={"description": description, **fields})


def register(name: str = "一应生活APP后端", key: str = "yiying-life", system: str = "一应生活APP", origins: str = "") -> AppBackend:
    integration, issued = create_integration(name=name, key=key, system=System.objects.get(name=system), allowed_origins=origins)
    return AppBackend(integration=integration, secret=issued.secret)


def panel_signature(app: AppBackend, identity: dict[str, str]) -> dict[str, str]:
    """What a web system's page hands the 问题反馈 button: its user, signed for the panel."""
    signed = app.headers(identity, signing.PURPOSE_PANEL)
    return {name: signed[f"X-Fankui-{name.title()}"] for name in ("identity", "timestamp", "nonce", "signature")}
