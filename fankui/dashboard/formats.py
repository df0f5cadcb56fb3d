"""Display conventions for the dashboard: Chinese by default (2026年5月3日, 1,234, 87.5%, 3.2 小时),
`Y-m-d` dates in English (see fankui.core.dates)."""
from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from fankui.core.dates import show


def cell(value: object) -> str:
    """One table cell as people read it (exports keep the raw value)."""
    if value is None:
        return "—"
    if isinstance(value, datetime.datetime):
        return show(value, "datetime")
    if isinstance(value, datetime.date):
        return show(value, "date")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def short_label(value: object) -> str:
    """An axis label: dates as 5/3 (month/day; 05-03 in English), the rest as in a cell."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return show(value, "month_day")
    return cell(value)


def export_value(value: object) -> object:
    """What a CSV/Excel cell holds: numbers stay numbers, times become local ISO text."""
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
