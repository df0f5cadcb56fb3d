"""A secret revoked on one server is refused by every other at once: each keeps its copy of the integrations
only while the stamp in the shared cache stays put."""
from __future__ import annotations

import json
import secrets
import subprocess
import sys
import time

import pytest

from fankui.core import testing
from fankui.integrations import signing

PATH = "/api/v1/integrations/tickets"
OWNER = {"id": "owner-9", "name": "业主九", "kind": "owner", "region": "huanan"}


def _signed_post(port: int, secret: str, text: str) -> tuple[int, str]:
    body = json.dumps({"description": text}, ensure_ascii=False).encode()
    identity = signing.encode_identity(OWNER)
    timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
    message = signing.canonical(key="two-servers", timestamp=timestamp, nonce=nonce,
                                purpose=signing.request_purpose("POST", PATH, body), identity=identity)
    return testing.WebSession(port).request("POST", PATH, body, {
        "Content-Type": "application/json", "X-Fankui-Integration": "two-servers", "X-Fankui-Timestamp": timestamp,
        "X-Fankui-Nonce": nonce, "X-Fankui-Identity": identity, "X-Fankui-Signature": signing.sign(secret, message)})


def _fankui(env: dict[str, str], *args: str) -> str:
    return subprocess.run([sys.executable, "-m", "fankui.cli", *args], env=env, check=True, capture_output=True, text=True).stdout


@pytest.mark.service
@pytest.mark.parametrize("cache", ["one-machine", "redis"])
def test_a_secret_revoked_by_a_command_is_refused_by_both_servers_at_once(cache: str) -> None:
    env = testing.fresh_install_env(["migrate", "--no-input"], ["import-guide"])
    if cache == "redis":
        import redis

        url = "redis://127.0.0.1:6379/12"
        redis.Redis.from_url(url).flushdb()
        env["REDIS_URL"] = url
    secret = _fankui(env, "integration", "create", "两台服务器", "--key", "two-servers", "--system", "一应生活APP").split()[-1]
    with testing.app_servers(env) as ports:
        for port in ports:  # both servers now hold the integration and its secret
            status, text = _signed_post(port, secret, f"缴费页面一直转圈（{port}）")
            assert status == 201, text
        _fankui(env, "integration", "revoke", "two-servers")
        for port in ports:
            status, text = _signed_post(port, secret, "撤销之后的报告")
            assert status == 401 and json.loads(text)["error"]["code"] == "bad_signature", text
