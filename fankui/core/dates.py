"""Dates as people read them: Chinese conventions by default (2026年5月3日), `Y-m-d` in English.

Use `show(value, "date")` in Python and `{% load fankui_dates %}{{ value|show:"date" }}` in templates.
Text stored at event time (timeline bodies, notification subjects) keeps its own Chinese formats.
"""
from __future__ import annotations

import datetime

from django.utils import dateformat, timezone
from django.utils.translation import get_language

# kind: (Chinese, other languages)
FORMATS = {
    "date": ("Y年n月j日", "Y-m-d"),
    "datetime": ("Y年n月j日 H:i", "Y-m-d H:i"),
    "month_day_time": ("n月j日 H:i", "m-d H:i"),
    "month_day": ("n/j", "m-d"),  # chart axis labels
}


def is_chinese() -> bool:
    """True for Chinese and when no language is active (the project's default is zh-hans)."""
    language = get_language()
    return not language or language.lower().startswith("zh")


def date_format(kind: str) -> str:
    chinese, other = FORMATS[kind]
    return chinese if is_chinese() else other


def show(value: datetime.date | datetime.datetime | None, kind: str = "date") -> str:
    """`value` in the current language's format; aware datetimes in the current time zone."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, date_format(kind))
