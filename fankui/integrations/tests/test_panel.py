"""The 问题反馈 button's server side: the script, CORS and framing only for registered origins."""
from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from fankui.integrations.tests.factories import AppBackend, panel_signature, register
from fankui.tickets.models import Ticket

pytestmark = pytest.mark.django_db

ORIGIN = "https://bms.example.cn"
STAFF = {"id": "bms-lisi", "name": "李四", "kind": "staff"}


def _start(app: AppBackend, origin: str, **changes: str) -> object:
    body = {
        **panel_signature(app, STAFF),
        "page_url": f"{origin}/approvals/7",
        "browser": "Mozilla/5.0 Chrome/156",
        **changes,
    }
    return Client().post(f"/integrations/{app.integration.key}/panel/start", json.dumps(body), content_type="application/json", headers={"Origin": origin})


def test_the_script_is_served_by_fankui_for_an_active_integration_only() -> None:
    app = register(name="BMS", key="bms", system="BMS", origins=ORIGIN)
    response = Client().get("/integrations/bms/button.js")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/javascript")
    assert 'key = "bms"' in response.content.decode() and "问题反馈" in response.content.decode()
    app.integration.active = False
    app.integration.save()
    assert Client().get("/integrations/bms/button.js").status_code == 404


def test_cors_answers_a_registered_origin_and_nobody_else() -> None:
    register(name="BMS", key="bms", system="BMS", origins=f"{ORIGIN}\nhttps://bms2.example.cn")
    preflight = Client().options("/integrations/bms/panel/start", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"})
    assert (preflight.status_code, preflight["Access-Control-Allow-Origin"]) == (204, ORIGIN)
    refused = Client().options("/integrations/bms/panel/start", headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403 and "Access-Control-Allow-Origin" not in refused


def test_a_registered_page_opens_a_panel_framed_only_by_its_origins() -> None:
    app = register(name="BMS", key="bms", system="BMS", origins=ORIGIN)
    response = _start(app, ORIGIN)
    assert response.status_code == 201, response.content  # type: ignore[attr-defined]
    assert response["Access-Control-Allow-Origin"] == ORIGIN  # type: ignore[index]
    panel = Client().get(response.json()["url"].removeprefix("http://127.0.0.1:8000"))  # type: ignore[attr-defined]
    assert panel.status_code == 200
    assert panel["Content-Security-Policy"] == f"frame-ancestors {ORIGIN}"
    assert "X-Frame-Options" not in panel and 'name="h5s"' in panel.content.decode()
    assert "fankui_h5" not in panel.cookies  # the panel needs no third-party cookie


def test_an_unregistered_origin_or_a_bad_signature_opens_nothing() -> None:
    app = register(name="BMS", key="bms", system="BMS", origins=ORIGIN)
    refused = _start(app, "https://evil.example")
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "origin_not_allowed")  # type: ignore[attr-defined]
    forged = _start(app, ORIGIN, signature="0" * 64)
    assert (forged.status_code, forged.json()["error"]["code"]) == (401, "bad_signature")  # type: ignore[attr-defined]
    # Signed for the API, not for the panel: refused too.
    api = app.headers(STAFF, "POST /api/v1/integrations/tickets " + "0" * 64)
    wrong_use = _start(app, ORIGIN, signature=api["X-Fankui-Signature"], nonce=api["X-Fankui-Nonce"], timestamp=api["X-Fankui-Timestamp"])
    assert wrong_use.json()["error"]["code"] == "bad_signature"  # type: ignore[attr-defined]
    assert Ticket.objects.count() == 0


def _panel(app: AppBackend, **changes: str) -> str:
    started = _start(app, ORIGIN, **changes)
    return Client().get(started.json()["url"].removeprefix("http://127.0.0.1:8000")).content.decode()  # type: ignore[attr-defined]


def test_the_script_carries_its_words_in_both_languages_and_lets_the_panel_ask_for_a_screenshot() -> None:
    register(name="BMS", key="bms", system="BMS", origins=ORIGIN)
    script = Client().get("/integrations/bms/button.js").content.decode()
    assert '"label": "问题反馈"' in script and '"label": "Report a problem"' in script
    assert "This site is not registered with fankui" in script and "本网站未在 fankui 登记" in script
    assert 'iframe.allow = "display-capture"' in script


def test_the_panel_speaks_the_language_the_page_asked_for_else_chinese() -> None:
    app = register(name="BMS", key="bms", system="BMS", origins=ORIGIN)
    english = _panel(app, lang="en-US")
    assert '<html lang="en">' in english and "Capture this page" in english and "截取当前页面" not in english
    for asked in ("fr", "", "zh-CN"):
        chinese = _panel(app, lang=asked)
        assert '<html lang="zh-hans">' in chinese and "截取当前页面" in chinese


def test_an_english_panel_stays_english_when_its_form_comes_back_with_an_error() -> None:
    app = register(name="BMS", key="bms", system="BMS", origins=ORIGIN)
    page = _panel(app, lang="en")
    fields = dict(re.findall(r'name="(h5[st])" value="([^"]+)"', page))
    answer = Client().post("/integrations/h5/new/", {**fields, "description": ""}, headers={"Accept-Language": "zh-CN"})
    assert answer.status_code == 400
    assert '<html lang="en">' in answer.content.decode() and "This field is required." in answer.content.decode()


def test_the_panel_talks_only_to_the_registered_page_it_was_opened_on() -> None:
    app = register(name="BMS", key="bms", system="BMS", origins=ORIGIN)
    assert f'data-host-origin="{ORIGIN}"' in _panel(app)
    # A page address on an origin the integration never registered: the panel asks nobody to step aside.
    assert 'data-host-origin=""' in _panel(app, page_url="https://evil.example/approvals/7")
