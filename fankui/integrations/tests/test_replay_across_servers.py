"""A signature used on one app server is refused on another: used nonces are kept in the database."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import subprocess
import sys
import time

import pytest

from fankui.core import testing


def _signed(secret: str, body: bytes) -> dict[str, str]:
    identity = base64.urlsafe_b64encode(json.dumps({"id": "u1", "name": "业主甲", "kind": "owner"}).encode()).decode().rstrip("=")
    timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
    purpose = f"POST /api/v1/integrations/tickets {hashlib.sha256(body).hexdigest()}"
    signature = hmac.new(secret.encode(), "\n".join(["fankui-v1", "life", timestamp, nonce, purpose, identity]).encode(), hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Fankui-Integration": "life", "X-Fankui-Timestamp": timestamp,
            "X-Fankui-Nonce": nonce, "X-Fankui-Identity": identity, "X-Fankui-Signature": signature}


@pytest.mark.service
def test_a_call_replayed_on_the_other_server_is_refused() -> None:
    env = testing.fresh_install_env(["migrate", "--no-input"], ["import-guide"])
    secret = subprocess.run([sys.executable, "-m", "fankui.cli", "integration", "create", "一应生活APP后端", "--key", "life", "--system", "一应生活APP"],
                            env=env, check=True, capture_output=True, text=True).stdout.split()[-1]
    body = json.dumps({"description": "缴费页面一直转圈，付款失败"}, ensure_ascii=False).encode()
    headers = _signed(secret, body)
    with testing.app_servers(env) as ports:
        first = testing.WebSession(ports[0]).request("POST", "/api/v1/integrations/tickets", body, headers)
        again = testing.WebSession(ports[1]).request("POST", "/api/v1/integrations/tickets", body, headers)
    assert first[0] == 201, first
    assert again[0] == 401 and json.loads(again[1])["error"]["code"] == "replayed_signature", again
