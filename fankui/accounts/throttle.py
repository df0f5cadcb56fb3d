"""Sign-in throttling: too many wrong passwords for one account, or from one address, lock sign-in for a while.

Counted in Django's cache, which is Redis when REDIS_URL is set (every server shares it) and a file cache in
the data folder otherwise (every process on the machine shares it). Usernames and addresses never appear in
keys as typed: they are hashed.
"""
from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from fankui.core.counters import count_one


def _key(kind: str, value: str) -> str:
    return f"login-fail:{kind}:" + hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def _keys(username: str, address: str) -> list[str]:
    return [_key("user", username), _key("addr", address)] if address else [_key("user", username)]


def is_locked(username: str, address: str) -> bool:
    """Whether sign-in for this account, or from this address, is locked now."""
    limits = (settings.FANKUI_LOGIN_FAILURES_PER_ACCOUNT, settings.FANKUI_LOGIN_FAILURES_PER_ADDRESS)
    return any((cache.get(key) or 0) >= limit for key, limit in zip(_keys(username, address), limits))


def record_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        count_one(key, timeout=settings.FANKUI_LOGIN_LOCK_SECONDS)


def record_success(username: str) -> None:
    """A right password clears the account's count (the address's stays: it may be guessing others)."""
    cache.delete(_key("user", username))
