"""Directory fields written into the Markdown guide as text, never as markup.

A `|` would split a table cell, a newline would end the row, and `<script>` or `**` in a name would be
rendered by whatever shows the file. Article bodies are Markdown by design and are not passed through.
"""
from __future__ import annotations

import re

from django import template
from django.utils.html import escape

register = template.Library()

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


@register.filter
def md_text(value: object) -> str:
    """One line of plain text inside Markdown: HTML-escaped, Markdown punctuation backslash-escaped."""
    text = escape("" if value is None else str(value))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


@register.filter
def md_cell(value: object) -> str:
    """A table cell: plain text whose line breaks stay inside the cell."""
    lines = str("" if value is None else value).splitlines() or [""]
    return "<br>".join(md_text(line.strip()) for line in lines)
