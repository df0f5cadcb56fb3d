"""Fixtures for every tickets test."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from fankui.tickets.tests.mail_server import Mailer, intake_listener


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    """Start and end each test with empty API rate-limit counters (they live in the process-wide cache)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def smtp(guide_loaded: None) -> Iterator[Mailer]:
    """The SMTP listener on loopback; mail tests are transactional, since it files in its own thread."""
    with intake_listener() as mailer:
        yield mailer
