"""Fixtures for every tickets test."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    """Start and end each test with empty API rate-limit counters (they live in the process-wide cache)."""
    cache.clear()
    yield
    cache.clear()
