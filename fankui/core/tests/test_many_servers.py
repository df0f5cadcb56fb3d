"""Many servers, one truth: two app servers and two workers on one database, one Redis and one S3 bucket, as
production runs them, agree on files, directory edits, rate limits, lock-outs and readiness."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from fankui.core import testing
from fankui.tickets.tests.upload_samples import error_dialog

pytestmark = pytest.mark.service
LIMIT = 6  # API posts per token per minute


@contextmanager
def workers(env: dict[str, str], count: int = 2) -> Iterator[None]:
    processes = [subprocess.Popen([sys.executable, "-m", "fankui.cli", "run_huey"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True) for _ in range(count)]
    try:
        yield
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)


def api(port: int, method: str, path: str, token: str, body: bytes | None = None, content_type: str = "application/json") -> tuple[int, Any]:
    status, text = testing.WebSession(port).request(method, path, body, {"Authorization": f"Bearer {token}", "Content-Type": content_type})
    return status, json.loads(text) if text.startswith(("{", "[")) else text


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = f"----fankui{uuid.uuid4().hex}"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    for name, (filename, data) in files.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\nContent-Type: image/png\r\n\r\n'
        parts.append(head.encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def until(check: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.2)


def test_two_app_servers_and_two_workers_agree(s3_env: dict[str, str]) -> None:
    with testing.fresh_database() as database_url, testing.private_redis() as (redis_url, redis_server):
        env = testing.fresh_install_env(["migrate", "--no-input"], ["import-guide"], database_url=database_url)
        env.update(s3_env, REDIS_URL=redis_url, FANKUI_OCR="1", FANKUI_API_POSTS_PER_MINUTE=str(LIMIT),
                   FANKUI_LOGIN_FAILURES_PER_ACCOUNT="3")
        accounts = {a["username"]: a for a in json.loads(subprocess.run(
            [sys.executable, "-m", "fankui.cli", "seed-demo", "--json"], env=env, check=True, capture_output=True, text=True).stdout)}

        def token_of(username: str) -> str:
            return subprocess.run([sys.executable, "-m", "fankui.cli", "token", "create", username], env=env, check=True,
                                  capture_output=True, text=True).stdout.split()[-1]

        reporter, other = token_of("staff-huanan"), token_of("staff-huabei")
        with testing.app_servers(env, workers=1) as (a, b), workers(env):
            # Ready on both once a worker has started (it beats at start, not only each minute).
            for port in (a, b):
                until(lambda port=port: testing.WebSession(port).request("GET", "/readyz")[0] == 200, 60, f"/readyz on {port}")
                assert testing.WebSession(port).request("GET", "/healthz")[0] == 200

            # A screenshot uploaded on A: shown by B, read by a worker, and the report routed by its text.
            body, content_type = multipart({"description": "一直报这个错，见截图"}, {"files": ("报错.png", error_dialog())})
            status, created = api(a, "POST", "/api/v1/tickets", reporter, body, content_type)
            assert status == 201, created
            ref = created["ref"]
            assert created["routing"]["system"] is None  # the typed text alone names nothing
            _, ticket = api(b, "GET", f"/api/v1/tickets/{ref}", reporter)
            (attachment,) = ticket["attachments"]
            session = testing.WebSession(b)
            session.log_in("staff-huanan", accounts["staff-huanan"]["password"])
            assert session.request_bytes("GET", urllib.parse.urlparse(attachment["url"]).path) == error_dialog()
            assert session.request_bytes("GET", urllib.parse.urlparse(attachment["thumbnail_url"]).path)[:2] == b"\xff\xd8"
            until(lambda: api(b, "GET", f"/api/v1/tickets/{ref}", reporter)[1]["system"] == "金蝶EAS", 90,
                  "a worker read the screenshot and routed the report to 金蝶EAS")

            # An inline edit of SRM's owner on A's admin page routes on B within 2 s.
            admin = testing.WebSession(a)
            admin.log_in("admin", accounts["admin"]["password"])
            _, listing = admin.request("GET", "/admin/directory/system/?q=SRM")
            change = re.search(r'href="(/admin/directory/system/\d+/change/)[^"]*"[^>]*>SRM<', listing)
            assert change, listing[:1000]
            _, page = admin.request("GET", change.group(1))
            form = testing.FormFields()
            form.feed(page)
            owner_field = next(name for name in form.fields if re.fullmatch(r"responsibilities-0-person", name))
            new_owner = re.search(r'<option value="(\d+)"[^>]*>王书彬', page)
            assert new_owner, "王书彬 is offered as an owner"
            form.fields[owner_field] = new_owner.group(1)
            status, _ = admin.request("POST", change.group(1), urllib.parse.urlencode(form.fields).encode(),
                                      {"Content-Type": "application/x-www-form-urlencoded"})
            assert status == 302
            edited = time.monotonic()
            status, routed = api(b, "POST", "/api/v1/tickets", reporter, json.dumps({"description": "SRM 供应商系统登录不了"}).encode())
            assert status == 201 and routed["routing"]["contact"] == "王书彬", routed["routing"]
            assert time.monotonic() - edited < 2

            # A lock-out on A holds on B.
            def sign_in(port: int, password: str) -> int:
                attempt = testing.WebSession(port)
                return attempt.post_form("/accounts/login/", {"username": "staff-huadong", "password": password})[0]

            for i in range(3):
                assert sign_in((a, b)[i % 2], "wrong-password") == 200
            assert sign_in(b, accounts["staff-huadong"]["password"]) == 200  # locked: the right password is refused too

            # The rate limit counts posts on both servers together.
            while time.time() % 60 > 40:  # the limit counts per clock minute: stay inside one
                time.sleep(1)
            statuses = [api((a, b)[i % 2], "POST", "/api/v1/tickets", other, json.dumps({"description": f"EAS 打印凭证空白 第{i}次"}).encode())[0]
                        for i in range(LIMIT + 3)]
            assert statuses.count(201) == LIMIT and statuses.count(429) == 3, statuses

            # Redis gone: both servers say they are not ready, naming the cache.
            redis_server.terminate()
            redis_server.wait(timeout=10)
            for port in (a, b):
                status, text = testing.WebSession(port).request("GET", "/readyz")
                assert status == 503 and json.loads(text)["checks"]["cache"]["ok"] is False, text
                assert testing.WebSession(port).request("GET", "/healthz")[0] == 200
