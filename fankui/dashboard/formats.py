"""Chinese display conventions for the dashboard: 2026年5月3日, 1,234, 87.5%, 3.2 小时."""
from __future__ import annotations

import datetime


def cell(value: object) -> str:
    """One table cell as people read it (exports keep the raw value)."""
    if value is None:
        return "—"
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
    if isinstance(value, datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def short_label(value: object) -> str:
    """An axis label: dates as 5/3 (month/day), the rest as in a cell."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return f"{value.month}/{value.day}"
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
