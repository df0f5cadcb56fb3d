"""A tiny, safe Markdown renderer for the subset articles use.

Paragraphs (blank-line separated; single line breaks kept), numbered lists (``1. `` or ``1、``),
bullet lists (``- ``) and **bold**. Everything else is escaped text: article bodies are typed in
the admin and drafted from tickets, so no HTML from them ever reaches the page as markup.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_NUMBERED = re.compile(r"^\s*(\d{1,3})[.、)）]\s*(.*)$")
_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _inline(text: str, contacts: re.Pattern[str] | None) -> str:
    html = escape(text)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    if contacts is not None:
        # Names are matched in the escaped text, so a name can never open markup of its own.
        html = contacts.sub(lambda m: f'<a class="contact" href="/contacts/?q={quote(m.group(0))}">{m.group(0)}</a>', html)
    return html


def _list(lines: list[str], pattern: re.Pattern[str], tag: str, contacts: re.Pattern[str] | None) -> str:
    items = []
    start = ""
    for line in lines:
        match = pattern.match(line)
        if match is None:  # a wrapped line continues the previous item
            items[-1] += "<br>" + _inline(line.strip(), contacts)
            continue
        if tag == "ol" and not items and match.group(1) != "1":
            start = f' start="{int(match.group(1))}"'
        items.append(_inline(match.group(match.lastindex or 1), contacts))
    return f"<{tag}{start}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}>"


def render_markdown(text: str, *, contacts: Iterable[str] = ()) -> SafeString:
    """Render `text` as HTML; every name in `contacts` links to the directory (/contacts/?q=name)."""
    names = sorted({escape(name) for name in contacts if name}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(name) for name in names)) if names else None
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if _NUMBERED.match(lines[0]):
            blocks.append(_list(lines, _NUMBERED, "ol", pattern))
        elif _BULLET.match(lines[0]):
            blocks.append(_list(lines, _BULLET, "ul", pattern))
        else:
            blocks.append("<p>" + "<br>".join(_inline(line.strip(), pattern) for line in lines) + "</p>")
    return mark_safe("\n".join(blocks))  # noqa: S308 - every piece above is escaped first
