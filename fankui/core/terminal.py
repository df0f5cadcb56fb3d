"""Text laid out for a terminal, where a Chinese character takes two columns."""
from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def ljust_display(text: str, width: int) -> str:
    """`str.ljust` by the columns a terminal shows, so tables with Chinese names line up."""
    return text + " " * max(0, width - display_width(text))
