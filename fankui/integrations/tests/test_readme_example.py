"""The README's app-backend example (the same text the integration's admin page shows) works as written."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from fankui.integrations import examples
from fankui.integrations.tests.factories import register
from fankui.tickets.models import Ticket

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]


def test_the_readme_example_files_a_report_for_an_app_user(guide_loaded: None, live_server: Any) -> None:
    app = register()
    found = re.search(r"<!-- readme-integration-example[^>]*-->\n```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert found, "README.md lost its integration example"
    assert found.group(1).strip() == examples.example_request(app.integration).strip()  # README = admin page
    script = found.group(1).replace("fks_…", app.secret).replace("http://127.0.0.1:8000", live_server.url)
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    ticket = Ticket.objects.get(ref=json.loads(result.stdout)["ref"])
    assert (ticket.system.name, ticket.reporter_kind, ticket.context["device_model"]) == ("一应生活APP", "owner", "iPhone 15")
    assert ticket.reporter.app_identity.app_user_id == "u10086"
