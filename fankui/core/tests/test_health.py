"""/healthz and /readyz: what a load balancer and monitoring ask."""
from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from fankui.core.health import HEARTBEAT_KEY, HEARTBEAT_STALE_SECONDS, record_worker_heartbeat

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_login() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_is_ready_with_a_fresh_worker_heartbeat() -> None:
    record_worker_heartbeat()
    body = Client().get("/readyz").json()
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True, "cache": True, "storage": True, "worker": True, "calendar": body["checks"]["calendar"]["ok"],
    }


def test_readyz_names_a_silent_worker_and_answers_503() -> None:
    cache.set(HEARTBEAT_KEY, time.time() - HEARTBEAT_STALE_SECONDS - 5)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {"ok": False, "detail": f"后台任务 {HEARTBEAT_STALE_SECONDS + 5} 秒没有心跳", "blocking": True}


def test_a_calendar_year_without_holidays_is_shown_but_does_not_take_the_server_out() -> None:
    record_worker_heartbeat()
    with override_settings(FANKUI_BUSINESS_CALENDAR=None):
        body = Client().get("/readyz").json()
    calendar = body["checks"]["calendar"]
    assert calendar["blocking"] is False
    assert calendar["ok"] or "节假日和调休数据" in calendar["detail"]
    assert body["status"] == "ready"


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}})
def test_readyz_fails_when_the_shared_cache_is_unreachable() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["cache"]["ok"] is False
