"""The README's curl example works as written, against a live `fankui serve` set up like `dev.py up`."""
from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from fankui.core import testing

ROOT = Path(__file__).resolve().parents[3]


def _curl_example() -> str:
    readme = (ROOT / "README.md").read_text()
    found = re.search(r"<!-- readme-curl-example[^>]*-->\n```sh\n(.*?)```", readme, re.S)
    assert found, "README.md lost its curl example"
    return found.group(1)


@pytest.mark.service
def test_the_readme_curl_example_files_a_ticket_and_reads_it_back() -> None:
    port = testing.free_port()
    env = testing.fresh_install_env(["migrate", "--no-input"], ["import-guide"], ["seed-demo"])
    fankui = [sys.executable, "-m", "fankui.cli"]
    serve = subprocess.Popen([*fankui, "serve", "--bind", f"127.0.0.1:{port}", "--mail-port", "0"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        testing.wait_for_port(port, serve, timeout=60)
        script = _curl_example().replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        script = script.replace(".venv/bin/fankui", f"{sys.executable} -m fankui.cli")
        result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=20)
    assert result.returncode == 0, result.stderr
    ticket = json.loads(result.stdout)
    assert re.fullmatch(r"FK\d{6}-\w+", ticket["ref"])
    assert "付款单" in ticket["description"] and ticket["system"] == "金蝶EAS"
    # UTF-8 on the wire, readable with curl: no \\u escapes.
    assert "\\u" not in result.stdout
