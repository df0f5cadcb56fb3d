"""The dashboard page, its JSON and its exports: scope, filters, numbers and query budgets."""
from __future__ import annotations

import csv
import datetime
import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from fankui.dashboard import charts, exports, selectors
from fankui.dashboard.tests.factories import seed

pytestmark = pytest.mark.django_db

# Regenerate on purpose: the dashboard's query count must not grow with the number of tickets.
PAGE_QUERY_BUDGET = 22


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _table(tables: list[selectors.Table], key: str) -> selectors.Table:
    return next(t for t in tables if t.key == key)


def test_admin_sees_volume_by_system_region_channel_and_day() -> None:
    people, tickets = seed()
    filters = selectors.parse_filters({})
    tables = selectors.build(people["admin"], filters)
    by_system = dict(_table(tables, "volume_system").rows)  # type: ignore[arg-type]
    assert by_system["金蝶EAS"] == 2 and by_system["格美特停车系统"] == 1
    assert dict(_table(tables, "volume_region").rows)["华南"] == 2  # type: ignore[arg-type]
    assert dict(_table(tables, "volume_channel").rows) == {"网页": 6}  # type: ignore[arg-type]
    days = _table(tables, "volume_day").rows
    assert len(days) == 30 and sum(n for _, n in days) == 6  # type: ignore[misc]
    assert days[-1] == [timezone.localdate(), 2]


def test_sla_backlog_and_routing_accuracy() -> None:
    people, tickets = seed()
    tables = selectors.build(people["admin"], selectors.parse_filters({}))
    sla = _table(tables, "sla").rows
    assert [row[0] for row in sla] == ["非紧急"]
    assert sla[0][1] == 6 and sla[0][4] == 1  # six reports, one response breach
    backlog = _table(tables, "backlog").rows
    assert sum(row[2] for row in backlog) == 5  # type: ignore[misc]
    assert ["二线（系统对接人）", "未指派", 1] in backlog
    routing = _table(tables, "routing").rows
    assert sum(row[1] for row in routing) >= 5  # type: ignore[misc]
    assert all(row[2] == 100.0 for row in routing if row[1])  # nobody changed a routed system


def test_filters_narrow_every_chart() -> None:
    people, _ = seed()
    filters = selectors.parse_filters({"region": "huanan"})
    tables = selectors.build(people["admin"], filters)
    assert dict(_table(tables, "volume_region").rows) == {"华南": 2}  # type: ignore[arg-type]
    today = timezone.localdate()
    only_today = selectors.parse_filters({"start": today.isoformat(), "end": today.isoformat()})
    assert sum(n for _, n in _table(selectors.build(people["admin"], only_today), "volume_day").rows) == 2  # type: ignore[misc]


def test_an_owner_sees_only_their_systems() -> None:
    people, _ = seed()
    tables = selectors.build(people["peng"], selectors.parse_filters({}))
    assert {row[0] for row in _table(tables, "volume_system").rows} == {"金蝶EAS"}


def test_reporters_are_refused() -> None:
    people, _ = seed()
    response = _client(people["huanan"]).get("/dashboard/")
    assert response.status_code == 403
    api = _client(people["huanan"]).get("/api/v1/dashboard")
    assert api.json() == {"error": {"code": "forbidden", "message": "看板仅对管理员、实施顾问和系统对接人开放。"}}


def test_the_page_has_a_chart_a_table_and_exports_for_each_metric_within_its_query_budget(django_assert_max_num_queries: Any) -> None:
    people, _ = seed()
    client = _client(people["ding"])
    with django_assert_max_num_queries(PAGE_QUERY_BUDGET):
        response = client.get("/dashboard/", {"region": "huanan"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<svg class="chart"') == 10
    assert html.count('class="export-csv"') == 10 and html.count('class="export-xlsx"') == 10
    assert "金蝶EAS" in html and "region=huanan" in html


def test_csv_export_is_excel_friendly_utf8() -> None:
    people, _ = seed()
    response = _client(people["admin"]).get("/dashboard/export/volume_system.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="fankui-volume_system-')
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["系统", "报告数"] and ["金蝶EAS", "2"] in rows


def test_xlsx_export_is_a_zip_with_the_expected_sheet_xml() -> None:
    people, _ = seed()
    response = _client(people["admin"]).get("/dashboard/export/all.xlsx")
    package = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(package.namelist())
    assert {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml"} <= names
    assert len([n for n in names if n.startswith("xl/worksheets/")]) == 10
    workbook = package.read("xl/workbook.xml").decode()
    assert '<sheet name="每日报告量" sheetId="1" r:id="rId1"/>' in workbook
    system_sheet = package.read("xl/worksheets/sheet2.xml").decode()
    assert '<c r="A1" t="inlineStr"><is><t xml:space="preserve">系统</t></is></c>' in system_sheet
    assert '<c r="B2"><v>2</v></c>' in system_sheet


def test_exports_neutralise_formulas_and_xml_control_characters() -> None:
    body = exports.to_csv(["标题"], [["=HYPERLINK(\"x\")"]]).decode("utf-8-sig")
    assert body.splitlines()[1] == '"\'=HYPERLINK(""x"")"'
    sheet = exports.sheet_xml(["a"], [["<b>\x07"]])
    assert "&lt;b&gt;" in sheet and "\x07" not in sheet


def test_charts_escape_labels() -> None:
    svg = charts.bars("按系统", ["<script>alert(1)</script>"], [3])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    line = charts.lines("每日", [datetime.date(2026, 5, 3)], [("报告数", [1])])
    assert ">5/3<" in line


def test_api_answers_the_same_tables() -> None:
    people, _ = seed()
    body = _client(people["admin"]).get("/api/v1/dashboard", {"system": "99999"}).json()
    assert [t["key"] for t in body["tables"]][:4] == ["volume_day", "volume_system", "volume_region", "volume_channel"]
