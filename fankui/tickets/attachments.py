"""Attachment validation and storage. (Placeholder until the attachments module lands.)"""
from __future__ import annotations

from typing import Any


def validate_upload(filename: str, data: bytes) -> Any:
    raise ValueError("attachments are not accepted yet")


def save_attachment(ticket: Any, upload: Any, *, by: Any, event: Any = None) -> Any:
    raise ValueError("attachments are not accepted yet")
