"""A 300 MB upload through the web form, against a real gunicorn worker: its memory stays flat."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from fankui.core import testing

UPLOAD_BYTES = 300 * 1024 * 1024
ALLOWED_GROWTH_BYTES = 20 * 1024 * 1024


def _peak_rss(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) * 1024  # type: ignore[union-attr]


def _streamed_report(token: str, boundary: str) -> tuple[Iterator[bytes], int]:
    fields = {"csrfmiddlewaretoken": token, "description": "停车场道闸不抬杆，附监控录像", "urgency": "normal"}
    head = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items())
    head += f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="录像.png"\r\nContent-Type: image/png\r\n\r\n'
    tail = f"\r\n--{boundary}--\r\n".encode()
    chunk = b"\0" * (1024 * 1024)

    def body() -> Iterator[bytes]:
        yield head.encode()
        for _ in range(UPLOAD_BYTES // len(chunk)):
            yield chunk
        yield tail

    return body(), len(head.encode()) + UPLOAD_BYTES + len(tail)


@pytest.mark.service
def test_a_300_mb_web_upload_is_refused_without_the_worker_growing() -> None:
    env = testing.fresh_install_env(["migrate", "--no-input"], ["import-guide"])
    accounts = json.loads(subprocess.run([sys.executable, "-m", "fankui.cli", "seed-demo", "--json"], env=env, check=True,
                                         capture_output=True, text=True).stdout)
    reporter = next(a for a in accounts if a["role"] == "reporter")
    port = testing.free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "fankui.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        testing.wait_for_port(port, server, timeout=60)
        browser = testing.WebSession(port)
        browser.log_in(reporter["username"], reporter["password"])
        token = browser.form_token("/tickets/new/")  # also warms the worker up: every page module is loaded
        [worker] = testing.descendant_pids(server.pid)
        before = _peak_rss(worker)

        boundary = uuid.uuid4().hex
        body, length = _streamed_report(token, boundary)
        status, page = browser.request("POST", "/tickets/new/", body, {
            "Content-Type": f"multipart/form-data; boundary={boundary}", "Content-Length": str(length)})

        growth = _peak_rss(worker) - before
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert status == 400 and "“录像.png”太大" in page and "停车场道闸不抬杆" in page
    assert growth < ALLOWED_GROWTH_BYTES, f"worker grew {growth / 2**20:.1f} MB"
