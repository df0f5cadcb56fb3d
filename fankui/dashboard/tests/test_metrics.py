"""/metrics: figures from the database and shared cache, for allowed scrapers only."""
from __future__ import annotations

import pytest
from django.test import Client, override_settings
from prometheus_client.parser import text_string_to_metric_families

from fankui.core import testing
from fankui.core.health import record_worker_heartbeat
from fankui.notify.models import Delivery
from fankui.notify.services import notify_user
from fankui.tickets.services import Intake, create_ticket

pytestmark = pytest.mark.django_db


def _samples(body: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value for family in text_string_to_metric_families(body) for s in family.samples}


def test_a_scrape_reports_intake_outbox_and_worker() -> None:
    testing.consultant_ding()
    create_ticket(reporter=testing.reporter_a(), intake=Intake(description="EAS 凭证打印空白", channel="api"))
    notify_user(None, kind="reply", dedup_key="metrics-test", subject="测试", body="测试", email="someone@example.cn")
    record_worker_heartbeat()
    response = Client(REMOTE_ADDR="127.0.0.1").get("/metrics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    samples = _samples(response.content.decode())
    assert samples[("fankui_tickets_created_total", (("channel", "api"),))] == 1
    assert samples[("fankui_tickets_created_last_hour", ())] == 1
    pending = Delivery.objects.filter(status="pending").count()
    assert pending and sum(v for (name, labels), v in samples.items() if name == "fankui_outbox_deliveries" and ("status", "pending") in labels) == pending
    assert 0 <= samples[("fankui_worker_heartbeat_age_seconds", ())] < 5


@override_settings(FANKUI_METRICS_TOKEN="scrape-secret", FANKUI_METRICS_ALLOW="10.1.0.0/16")
def test_only_allowed_scrapers_get_figures() -> None:
    assert Client(REMOTE_ADDR="192.0.2.7").get("/metrics").status_code == 403
    assert Client(REMOTE_ADDR="192.0.2.7", headers={"Authorization": "Bearer wrong"}).get("/metrics").status_code == 403
    assert Client(REMOTE_ADDR="192.0.2.7", headers={"Authorization": "Bearer scrape-secret"}).get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="10.1.3.4").get("/metrics").status_code == 200
