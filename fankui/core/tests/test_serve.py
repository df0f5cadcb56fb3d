"""`fankui serve` under a process manager: SIGTERM stops it and every process it started, and frees its ports."""
from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fankui.core import testing


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.mark.service
def test_sigterm_stops_every_child_and_frees_the_ports() -> None:
    web_port, mail_port = testing.free_port(), testing.free_port()
    env = testing.fresh_install_env(["migrate", "--no-input"])
    command = [sys.executable, "-m", "fankui.cli", "serve", "--bind", f"127.0.0.1:{web_port}", "--mail-port", str(mail_port), "--web-workers", "2"]
    serve = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        testing.wait_for_port(web_port, serve, timeout=60)
        testing.wait_for_port(mail_port, serve, timeout=60)
        children = testing.descendant_pids(serve.pid)
        assert len(children) >= 5  # gunicorn master + 2 workers, the Huey worker, the mail listener

        serve.send_signal(signal.SIGTERM)
        out, err = serve.communicate(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(pid) for pid in children):
            time.sleep(0.1)
    finally:
        if serve.poll() is None:
            serve.kill()
    assert serve.returncode == 0, err
    assert not [pid for pid in children if _alive(pid)]
    assert _port_is_free(web_port) and _port_is_free(mail_port)
    assert "Traceback" not in err


def test_shared_data_without_shared_keys_refuses_to_start() -> None:
    env = testing.fresh_install_env()
    for name in ("FANKUI_SECRET_KEY", "FANKUI_VAULT_KEYS"):
        env.pop(name, None)
    env["REDIS_URL"] = "redis://127.0.0.1:6379/14"
    result = subprocess.run([sys.executable, "-m", "fankui.cli", "check"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "必须在每台服务器上设置同一个 FANKUI_SECRET_KEY 和 FANKUI_VAULT_KEYS" in result.stderr


def test_behind_a_tls_proxy_the_deploy_check_is_clean() -> None:
    env = {**testing.fresh_install_env(), "FANKUI_HTTPS": "1", "FANKUI_ALLOWED_HOSTS": "fankui.example.cn"}
    result = subprocess.run([sys.executable, "-m", "fankui.cli", "check", "--deploy", "--fail-level", "WARNING"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
