"""In real Chromium: a 华东 member of staff asks who handles EAS permissions."""
from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from fankui.conftest import assert_fits_phone, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_whois_shows_consultant_then_owner_on_a_phone(guide_loaded: None, live_server: Any, phone_page: Any) -> None:
    get_user_model().objects.create_user("staff-a", password="pw-staff-a-123")
    login(phone_page, live_server.url, "staff-a", "pw-staff-a-123")
    phone_page.goto(f"{live_server.url}/contacts/")
    phone_page.fill("input[name=q]", "eas 权限")
    phone_page.select_option("select[name=region]", "华东")
    phone_page.click("form.search button[type=submit]")
    steps = phone_page.locator("#path li.step")
    assert steps.nth(0).inner_text().count("陈坚") == 1
    assert "彭戈" in steps.nth(1).inner_text()
    assert_fits_phone(phone_page)
