"""Who else has a ticket open, and who is typing a reply: short-lived presence in the shared cache.

The cache is Redis when configured (else the data folder's file cache), so every app server sees
the same presence. One key per ticket holds {user id: (name, last seen, typing until)}; a browser
refreshes its entry every few seconds, and an entry not refreshed for PRESENT_FOR is gone. Two
writers racing on one key can drop one refresh, which the next refresh restores: presence is a
hint, never a lock.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache

PRESENT_FOR = 30.0  # seconds without a refresh before someone counts as gone
TYPING_FOR = 8.0  # seconds a keystroke counts as "typing"


@dataclass(frozen=True)
class Present:
    name: str
    typing: bool


def _key(ticket_id: int) -> str:
    return f"ticket-presence:{ticket_id}"


def touch(ticket_id: int, *, user_id: int, name: str, typing: bool = False, now: float | None = None) -> list[Present]:
    """Record that the user has the ticket open (and is typing); return the others present."""
    now = time.time() if now is None else now
    entries: dict[str, list] = cache.get(_key(ticket_id)) or {}
    live = {uid: entry for uid, entry in entries.items() if now - entry[1] < PRESENT_FOR}
    previous = live.get(str(user_id))
    typing_until = now + TYPING_FOR if typing else (previous[2] if previous else 0.0)
    live[str(user_id)] = [name, now, typing_until]
    cache.set(_key(ticket_id), live, timeout=int(PRESENT_FOR) + 5)
    return [Present(entry[0], entry[2] > now) for uid, entry in sorted(live.items()) if uid != str(user_id)]


def leave(ticket_id: int, *, user_id: int) -> None:
    entries: dict[str, list] = cache.get(_key(ticket_id)) or {}
    if entries.pop(str(user_id), None) is not None:
        cache.set(_key(ticket_id), entries, timeout=int(PRESENT_FOR) + 5)
