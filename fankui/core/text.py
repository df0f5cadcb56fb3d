"""Typed text made safe for places that take one line."""
from __future__ import annotations


def one_line(text: str) -> str:
    """Every run of whitespace — CR, LF, tabs, U+2028 and the other line breaks — becomes one space.

    For mail headers (a line break there is BadHeaderError, or an injected header) and for titles."""
    return " ".join(text.split())
