"""Fixtures for every tickets test."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from fankui.tickets.tests.mail_server import Mailer, intake_listener


@pytest.fixture
def smtp(guide_loaded: None) -> Iterator[Mailer]:
    """The SMTP listener on loopback; mail tests are transactional, since it files in its own thread."""
    with intake_listener() as mailer:
        yield mailer
