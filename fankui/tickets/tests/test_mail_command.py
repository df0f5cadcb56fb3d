"""`fankui mail-intake`: the command starts the listener and stops cleanly on SIGTERM."""
from __future__ import annotations

import os
import signal
import smtplib
import subprocess
import sys

import pytest

from fankui.core import testing
from fankui.tickets.tests import mail_samples as samples


def fankui(*args: str) -> list[str]:
    return [sys.executable, "-c", "from fankui.cli import main; main()", *args]


def test_help_needs_no_database() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fankui.settings_test"}
    result = subprocess.run(fankui("mail-intake", "--help"), capture_output=True, text=True, env=env, timeout=60, check=True)
    assert "--port" in result.stdout and "SMTP" in result.stdout


@pytest.mark.service
def test_it_listens_answers_and_stops_on_sigterm() -> None:
    port = testing.free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fankui.settings_test"}
    process = subprocess.Popen(fankui("mail-intake", "--port", str(port)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        testing.wait_for_port(port, process)
        # An auto-reply is dropped before any database work, so this needs no migrated database.
        raw = samples.utf8_plain(address="a@cc-pg.cn", subject="自动回复：休假中", body="我正在休假", message_id="<oof@cc-pg.cn>")
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            client.ehlo()
            client.mail("a@cc-pg.cn")
            client.rcpt("1@einyun.com")
            assert client.data(raw) == (250, b"2.0.0 OK dropped")
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert f"邮件接收已启动：smtp://127.0.0.1:{port}" in out and "邮件接收已停止。" in out
