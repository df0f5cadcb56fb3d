"""Done-when: three regions, one 一应生活APP failure, an incident, a fourth reporter who follows,
resolution — and exactly one resolution notice per reporter on each channel (real SMTP and webhook)."""
from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from fankui.accounts.tokens import create_token
from fankui.incidents.models import Incident
from fankui.incidents.tests.factories import APP_OUTAGE, after_commit, make_people
from fankui.notify.delivery import deliver_due
from fankui.notify.models import Notice
from fankui.notify.tests.receivers import http_receiver, smtp_server
from fankui.tickets.models import Ticket

pytestmark = [pytest.mark.django_db, pytest.mark.service]

SMTP = "django.core.mail.backends.smtp.EmailBackend"
REPORTERS = ("huanan", "huadong", "huabei", "huazhong")


def _api(user: Any) -> Client:
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {create_token(user=user).token}"})


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    with after_commit():
        return client.post(path, data=body, content_type="application/json")


def test_one_outage_from_three_regions_is_handled_once_and_everyone_hears_once() -> None:
    people = make_people()
    api = {key: _api(people[key]) for key in (*REPORTERS, "xiaou")}
    with smtp_server() as inbox, http_receiver() as hook, override_settings(
        EMAIL_BACKEND=SMTP,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=inbox.port,
        FANKUI_PUSH_WEBHOOK_URL=hook.url,
        FANKUI_PUSH_WEBHOOK_SECRET="test-secret",
    ):
        # 华南, 华东 and 华北 report the same failure within minutes.
        for key, text in zip(REPORTERS[:3], APP_OUTAGE):
            assert _post(api[key], "/api/v1/tickets", {"description": text}).status_code == 201
        incident = Incident.objects.get()
        assert (incident.state, incident.system.name) == ("proposed", "一应生活APP")
        assert Notice.objects.filter(kind="incident", recipient=people["xiaou"], subject__contains="疑似共性问题").count() == 1

        # 小U confirms it.
        confirmed = _post(api["xiaou"], f"/api/v1/incidents/{incident.pk}/confirm", {"summary": "登录网关故障，正在处理"})
        assert confirmed.status_code == 200, confirmed.content
        assert confirmed.json()["state"] == "confirmed"

        # A fourth reporter sees it while typing, files anyway, reads the notice, and follows.
        known = api["huazhong"].post("/api/v1/incidents/known", content_type="application/json", data={"text": APP_OUTAGE[3]}).json()
        assert [k["id"] for k in known] == [incident.pk]
        filed = _post(api["huazhong"], "/api/v1/tickets", {"description": APP_OUTAGE[3]})
        assert filed.status_code == 201
        assert filed.json()["notices"] == [known[0]["notice"]]
        assert known[0]["notice"].startswith(f"已知问题：{incident.title} 正在处理")
        followed = api["huazhong"].post(f"/api/v1/incidents/{incident.pk}/follow")
        assert followed.json() == {"id": incident.pk, "following": True, "created": True, "followers": 1}

        # Resolved: every ticket resolves, keeping its own record.
        resolved = _post(api["xiaou"], f"/api/v1/incidents/{incident.pk}/resolve", {"resolution": "登录网关已恢复，请重新登录"})
        assert resolved.json()["state"] == "resolved"
        tickets = Ticket.objects.filter(incident_link__incident=incident)
        assert tickets.count() == 4 and set(tickets.values_list("status", flat=True)) == {"resolved"}
        assert all(t.events.filter(kind="reply", body__contains="登录网关已恢复").exists() for t in tickets)

        deliver_due()

    for key in REPORTERS:
        user = people[key]
        in_app = Notice.objects.filter(recipient=user, body__contains="登录网关已恢复")
        mails = [m for m in inbox.messages if m["To"] == user.email and "登录网关已恢复" in m.get_content()]
        pushes = [h for h in hook.accepted if h.json["recipient"] == user.username and "登录网关已恢复" in h.json["body"]]
        assert (in_app.count(), len(mails), len(pushes)) == (1, 1, 1), key
