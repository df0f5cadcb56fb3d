"""Fixtures for every tickets test."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from unittest import mock

import pytest
from django.utils import timezone

from fankui.tickets.tests.mail_server import Mailer, intake_listener


@pytest.fixture
def one_clock_minute() -> Iterator[None]:
    """Hold the clock inside one minute: the API's post limit counts per clock minute, and a test whose posts
    straddle a minute's end would see the count start again."""
    inside = timezone.make_aware(datetime(2026, 3, 2, 9, 30, 5))
    with mock.patch.object(timezone, "now", return_value=inside):
        yield


@pytest.fixture
def smtp(guide_loaded: None) -> Iterator[Mailer]:
    """The SMTP listener on loopback; mail tests are transactional, since it files in its own thread."""
    with intake_listener() as mailer:
        yield mailer
