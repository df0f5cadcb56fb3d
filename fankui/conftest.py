"""Shared fixtures: the shipped guide is loaded once for the whole run."""
from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from fankui.directory.guide import load_guide
from fankui.directory.services import import_guide


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        import_guide(load_guide())


@pytest.fixture
def guide_loaded(transactional_db: Any) -> None:
    """For live-server tests: transactional tests start from an emptied database."""
    import_guide(load_guide())


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread; Django must still allow ORM calls here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    """A page the size of a frontline reporter's phone (375 px wide)."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def assert_fits_phone(page: Any) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the 375px screen"


def login(page: Any, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> None:
    """Test rollbacks undo writes without signals: start each test with empty per-process caches."""
    from fankui.core.process_cache import clear_process_caches

    clear_process_caches()
