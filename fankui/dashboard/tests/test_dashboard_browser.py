"""The dashboard in a real browser: charts for seeded data, a filter switch, a CSV download."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fankui.conftest import login
from fankui.dashboard.tests.factories import seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_consultant_reads_filters_and_downloads_the_dashboard(browser: Any, live_server: Any, guide_loaded: None, tmp_path: Path) -> None:
    people, _ = seed()
    ding = people["ding"]
    ding.set_password("pw-dashboard")
    ding.save()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    try:
        login(page, live_server.url, ding.username, "pw-dashboard")
        page.goto(f"{live_server.url}/dashboard/")
        assert page.locator("svg.chart").count() == 10
        assert page.locator("#chart-volume_system svg rect").count() >= 5  # one bar per system
        assert "金蝶EAS" in page.locator("#chart-volume_system").inner_text()

        page.select_option("select[name=region]", "huanan")
        page.wait_for_url("**region=huanan**")
        page.locator("#chart-volume_region summary").click()
        region_rows = page.locator("#chart-volume_region tbody tr")
        assert region_rows.count() == 1 and "华南" in region_rows.inner_text()

        with page.expect_download() as download:
            page.click("#chart-volume_system a.export-csv")
        target = tmp_path / "systems.csv"
        download.value.save_as(target)
        text = target.read_text(encoding="utf-8-sig")
        assert text.splitlines()[0] == "系统,报告数"
        assert "金蝶EAS,1" in text  # 华南 filed one EAS report
    finally:
        context.close()
