"""Worker tasks. (Placeholder until the notify delivery worker lands.)"""
from __future__ import annotations


def deliver_pending() -> None:
    return None
