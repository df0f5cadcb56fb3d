"""`{{ value|show:"month_day_time" }}`: a date in the current language's format (see fankui.core.dates)."""
from __future__ import annotations

import datetime

from django import template
from django.utils import dateformat

from fankui.core.dates import date_format

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def show(value: datetime.date | datetime.datetime | None, kind: str = "date") -> str:
    """Like `|date`, but the format follows the language: `Y年n月j日` in Chinese, `Y-m-d` in English."""
    if value in (None, ""):
        return ""
    return dateformat.format(value, date_format(kind))
