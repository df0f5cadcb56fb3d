"""Shared fixtures: the shipped guide is loaded once for the whole run."""
from __future__ import annotations

import base64
import os
import uuid
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
    # getDisplayMedia({preferCurrentTab}) shares the tab without the prompt no test can click; the
    # page still has to ask (the 问题反馈 panel's screenshot, fankui/integrations/tests).
    "--auto-accept-this-tab-capture",
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


def paste_image(page: Any, data: bytes) -> None:
    """Fire the paste event a screenshot tool's Ctrl+V produces, with a PNG on the clipboard, in the
    description box of `page` (a page or a frame)."""
    page.evaluate(
        """(b64) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const data = new DataTransfer();
            data.items.add(new File([bytes], "image.png", { type: "image/png" }));
            const event = new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true });
            document.querySelector("textarea[name=description]").dispatchEvent(event);
        }""",
        base64.b64encode(data).decode(),
    )


def login(page: Any, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """An S3 API server on loopback (moto's standalone server, speaking what MinIO or OSS speak): its URL."""
    from moto.server import ThreadedMotoServer

    from fankui.core.testing import free_port

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_env(s3_server: str) -> dict[str, str]:
    """A new, empty bucket on the S3 server, as the FANKUI_S3_* settings an operator would set."""
    import boto3

    bucket = f"fankui-{uuid.uuid4().hex[:12]}"
    env = {"FANKUI_S3_BUCKET": bucket, "FANKUI_S3_ENDPOINT_URL": s3_server, "FANKUI_S3_REGION": "us-east-1",
           "FANKUI_S3_ACCESS_KEY_ID": "fankui-test", "FANKUI_S3_SECRET_ACCESS_KEY": "fankui-test-secret"}
    boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", aws_access_key_id="fankui-test",
                 aws_secret_access_key="fankui-test-secret").create_bucket(Bucket=bucket)
    return env


@pytest.fixture(params=["disk", "s3"])
def attachment_storage(request: pytest.FixtureRequest, settings: Any, tmp_path: Any) -> str:
    """Run a test once with attachments in the data folder and once in an S3 bucket; names the kind."""
    from fankui.settings import s3_storage

    settings.MEDIA_ROOT = tmp_path / "files"
    if request.param == "s3":
        env = request.getfixturevalue("s3_env")
        settings.STORAGES = {**settings.STORAGES, "attachments": s3_storage(
            env["FANKUI_S3_BUCKET"], endpoint_url=env["FANKUI_S3_ENDPOINT_URL"], region=env["FANKUI_S3_REGION"],
            access_key=env["FANKUI_S3_ACCESS_KEY_ID"], secret_key=env["FANKUI_S3_SECRET_ACCESS_KEY"])}
    return str(request.param)


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> None:
    """Test rollbacks undo writes without signals: start each test with empty per-process caches, and
    with an empty shared cache (rate-limit counts, the worker's last look at new reports)."""
    from django.core.cache import cache

    from fankui.core.process_cache import clear_process_caches

    clear_process_caches()
    cache.clear()


@pytest.fixture(autouse=True)
def _site_language() -> None:
    """Every test starts in the site's language: a view may activate another for its request (the panel
    speaks its host page's), and the test client runs requests in the test's own thread, where
    LocaleMiddleware's choice outlives the response."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
