"""Counting in Django's shared cache (Redis with REDIS_URL, the data folder's SQLite cache on one machine), so every
process and server adds to one count: rate limits, lock-outs, per-sender allowances."""
from __future__ import annotations

from django.core.cache import cache


def count_one(key: str, *, timeout: int) -> int:
    """Add one to the count under `key` (started with `timeout` seconds to live) and return the new count."""
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired or evicted between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1
