"""The dashboard page and its exports: parse the filters, build the tables, render."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from fankui.dashboard import charts, exports, selectors
from fankui.dashboard.formats import cell
from fankui.directory.models import Region, System


def _chart(table: selectors.Table) -> str:
    if table.chart == "line":
        xs = [row[0] for row in table.rows]
        return charts.lines(table.title, xs, [(table.columns[i], [row[i] for row in table.rows]) for i in table.series])
    if table.chart == "bar":
        column = table.series[0]
        labels = [" · ".join(cell(v) for v in row[:column] if v is not None) if column > 1 else row[0] for row in table.rows]
        return charts.bars(table.title, labels, [row[column] for row in table.rows])
    return ""


def _filters(request: HttpRequest) -> selectors.Filters:
    return selectors.parse_filters(request.GET.dict())


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    try:
        tables = selectors.build(request.user, filters)
    except selectors.NotAllowed:
        raise PermissionDenied(_("看板仅对管理员、实施顾问和系统对接人开放。")) from None
    query = urlencode(filters.as_query())
    sections = [
        {"table": t, "chart": _chart(t), "rows": [[cell(v) for v in row] for row in t.rows], "query": query}
        for t in tables
    ]
    context = {
        "sections": sections,
        "filters": filters,
        "regions": Region.objects.all(),
        "systems": System.objects.order_by("name"),
        "generated": timezone.localtime(),
    }
    return render(request, "dashboard/dashboard.html", context)


@login_required
def export(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    """One table as CSV or .xlsx, or every table as one workbook (key "all", xlsx)."""
    filters = _filters(request)
    try:
        tables = selectors.build(request.user, filters) if key == "all" else [selectors.table_named(request.user, filters, key)]
    except selectors.NotAllowed:
        raise PermissionDenied(_("看板仅对管理员、实施顾问和系统对接人开放。")) from None
    if not tables or tables[0] is None:
        raise Http404(key)
    stamp = f"{filters.start:%Y%m%d}-{filters.end:%Y%m%d}"
    if fmt == "csv" and key != "all":
        table = tables[0]
        response = HttpResponse(exports.to_csv(table.columns, table.rows), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        body = exports.to_xlsx([(t.title, t.columns, t.rows) for t in tables if t is not None])
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        raise Http404(fmt)
    response["Content-Disposition"] = f'attachment; filename="fankui-{key}-{stamp}.{fmt}"'
    return response


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics for the allowed scrapers (fankui.dashboard.metrics)."""
    from prometheus_client import CollectorRegistry, generate_latest
    from prometheus_client.exposition import CONTENT_TYPE_LATEST

    from fankui.dashboard.metrics import FankuiCollector, may_scrape

    if not may_scrape(request):
        return HttpResponse("forbidden: set FANKUI_METRICS_TOKEN or FANKUI_METRICS_ALLOW\n", status=403, content_type="text/plain")
    registry = CollectorRegistry()
    registry.register(FankuiCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
