"""The OpenAPI document tells the truth: schemathesis, with a token of each role, finds no server error and
no status code the document does not declare."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fankui.core import testing

ROLES = ["staff-huanan", "dingjiagui", "彭戈", "admin"]  # reporter, consultant, owner, admin


@pytest.fixture(scope="module")
def live_api() -> tuple[str, dict[str, str]]:
    env = testing.fresh_install_env(["migrate", "--no-input"], ["import-guide"], ["seed-demo"])
    fankui = [sys.executable, "-m", "fankui.cli"]
    tokens = {user: subprocess.run([*fankui, "token", "create", user], env=env, check=True, capture_output=True, text=True).stdout.split()[-1] for user in ROLES}
    port = testing.free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "fankui.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        testing.wait_for_port(port, server, timeout=60)  # type: ignore[arg-type]
        yield f"http://127.0.0.1:{port}", tokens  # type: ignore[misc]
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.mark.service
@pytest.mark.parametrize("user", ROLES)
def test_no_server_error_and_no_undocumented_status(live_api: tuple[str, dict[str, str]], user: str, tmp_path: Path) -> None:
    base, tokens = live_api
    schemathesis = Path(sys.executable).parent / "schemathesis"
    result = subprocess.run(
        [str(schemathesis), "run", f"{base}/api/openapi.json", "-H", f"Authorization: Bearer {tokens[user]}",
         "--checks", "not_a_server_error,status_code_conformance", "--max-examples", "12", "--seed", "20261204", "--no-color"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,  # its cache stays out of the checkout
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert "passed" in result.stdout
