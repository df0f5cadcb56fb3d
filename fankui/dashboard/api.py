"""The dashboard's tables as JSON (the same numbers as the page and its exports)."""
from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from fankui.core.api import ApiError, api_auth, errors
from fankui.dashboard import selectors
from fankui.dashboard.formats import export_value

router = Router(tags=["dashboard"])


@router.get("", response={200: dict[str, Any], **errors()}, auth=api_auth(), summary="看板数据")
def dashboard(request: HttpRequest, start: str = "", end: str = "", region: str = "", system: str = "") -> dict[str, Any]:
    filters = selectors.parse_filters({"start": start, "end": end, "region": region, "system": system})
    try:
        tables = selectors.build(request.auth, filters)  # type: ignore[attr-defined]
    except selectors.NotAllowed:
        raise ApiError(403, "forbidden", "看板仅对管理员、实施顾问和系统对接人开放。") from None
    return {
        "filters": filters.as_query(),
        "tables": [
            {"key": t.key, "title": t.title, "columns": t.columns, "rows": [[export_value(v) for v in row] for row in t.rows]}
            for t in tables
        ],
    }
