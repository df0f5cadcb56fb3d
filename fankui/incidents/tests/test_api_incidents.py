"""GET /api/v1/incidents, /known, /{id} and the decisions: who sees what, error codes and messages."""
from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings

from fankui.incidents import services
from fankui.incidents.models import Incident
from fankui.incidents.tests.factories import APP_OUTAGE, People, file, make_people
from fankui.workflow import incidents as workflow

pytestmark = pytest.mark.django_db

LIST_QUERY_BUDGET = 8


@pytest.fixture
def people() -> People:
    return make_people()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _outage(people: People) -> Incident:
    for key, text in zip(("huanan", "huadong", "huabei"), APP_OUTAGE):
        file(people[key], text)
    return Incident.objects.get()


def test_staff_list_every_incident_with_its_tickets_and_regions(people: People, django_assert_max_num_queries: Any) -> None:
    incident = _outage(people)
    client = _client(people["chen"])
    with django_assert_max_num_queries(LIST_QUERY_BUDGET):
        body = client.get("/api/v1/incidents").json()
    [row] = body
    assert set(row) == {"id", "state", "system", "title", "tickets", "regions", "created_at"}
    assert (row["id"], row["state"], row["system"]) == (incident.pk, "proposed", "一应生活APP")
    assert row["regions"] == ["华东", "华北", "华南"] and len(row["tickets"]) == 3


def test_reporters_see_only_incidents_they_are_part_of_and_only_their_own_refs(people: People) -> None:
    incident = _outage(people)
    [proposed] = _client(people["huanan"]).get("/api/v1/incidents").json()  # proposed: shown, neutrally titled
    assert proposed["state"] == "proposed" and proposed["title"].startswith("正在核实")
    workflow.confirm_incident(incident=incident, by=people["xiaou"])
    [row] = _client(people["huanan"]).get("/api/v1/incidents").json()
    own = incident.links.get(ticket__reporter=people["huanan"]).ticket.ref
    assert (row["state"], row["tickets"]) == ("confirmed", [own])
    assert _client(people["huazhong"]).get("/api/v1/incidents").json() == []  # not part of it


def test_detail_hides_the_grouping_reason_from_reporters(people: People) -> None:
    incident = _outage(people)
    workflow.confirm_incident(incident=incident, by=people["xiaou"], summary="登录服务故障")
    mine = _client(people["huanan"]).get(f"/api/v1/incidents/{incident.pk}").json()
    assert mine["reason"] is None and mine["summary"] == "登录服务故障" and mine["can_manage"] is False
    staff = _client(people["xiaou"]).get(f"/api/v1/incidents/{incident.pk}").json()
    assert staff["reason"].startswith("3 位报告人") and staff["can_manage"] is True


def test_someone_elses_incident_is_not_found(people: People) -> None:
    incident = _outage(people)
    response = _client(people["huazhong"]).get(f"/api/v1/incidents/{incident.pk}")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "共性问题不存在，或您无权查看。"}}


def test_only_people_concerned_may_decide(people: People) -> None:
    incident = _outage(people)
    response = _client(people["peng"]).post(f"/api/v1/incidents/{incident.pk}/confirm", {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"] == {"code": "not_concerned", "message": "只有该系统的对接人、相关大区的实施顾问或管理员可以处理该共性问题。"}


def test_deciding_twice_is_a_conflict(people: People) -> None:
    incident = _outage(people)
    client = _client(people["ding"])
    assert client.post(f"/api/v1/incidents/{incident.pk}/dismiss", {"reason": "网络问题"}, content_type="application/json").json()["state"] == "dismissed"
    again = client.post(f"/api/v1/incidents/{incident.pk}/confirm", {}, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["error"] == {"code": "incident_state", "message": "该共性问题当前为“已驳回”，不能执行此操作。"}


def test_known_lookup_and_follow_for_any_reporter(people: People) -> None:
    incident = _outage(people)
    workflow.confirm_incident(incident=incident, by=people["xiaou"])
    client = _client(people["huazhong"])
    assert client.post("/api/v1/incidents/known", content_type="application/json", data={"text": "登录"}).json() == []  # too short to judge
    [known] = client.post("/api/v1/incidents/known", content_type="application/json", data={"text": APP_OUTAGE[3], "system": "一应生活APP"}).json()
    assert known["id"] == incident.pk and known["notice"].startswith("已知问题：")
    assert client.post(f"/api/v1/incidents/{incident.pk}/follow").json()["created"] is True
    assert client.post(f"/api/v1/incidents/{incident.pk}/follow").json() == {"id": incident.pk, "following": True, "created": False, "followers": 1}
    assert [row["id"] for row in client.get("/api/v1/incidents").json()] == [incident.pk]


def test_a_proposed_incident_cannot_be_followed(people: People) -> None:
    incident = _outage(people)
    response = _client(people["huazhong"]).post(f"/api/v1/incidents/{incident.pk}/follow")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "该共性问题不存在或已不在处理中。"


def test_anonymous_callers_are_refused(people: People) -> None:
    response = Client().get("/api/v1/incidents")
    assert response.status_code == 401


def test_status_page_for_staff_and_configurably_for_yezhu(people: People) -> None:
    from fankui.accounts.services import set_profile

    incident = _outage(people)
    workflow.confirm_incident(incident=incident, by=people["xiaou"], summary="登录服务故障，正在处理")
    page = _client(people["huanan"]).get("/incidents/").content.decode()
    assert "一应生活APP" in page and "登录服务故障，正在处理" in page and "华南" in page
    set_profile(people["huabei"], role="reporter", kind="owner")
    assert _client(people["huabei"]).get("/incidents/").status_code == 403
    with override_settings(FANKUI_INCIDENT_STATUS_FOR_OWNERS=True):
        page = _client(people["huabei"]).get("/incidents/").content.decode()
    assert "登录服务故障，正在处理" in page
    # No regions and no ticket refs for 业主. A ref is matched by its shape: a bare "FK" can occur by
    # chance inside the page's random CSRF token.
    assert "华南" not in page and not re.search(r"FK\d{6}-", page)
    refs = [link.ticket.ref for link in incident.links.select_related("ticket")]
    assert refs and not any(ref in page for ref in refs)


def test_the_incident_page_lets_the_owner_confirm(people: People) -> None:
    incident = _outage(people)
    client = _client(people["xiaou"])
    assert "确认是共性问题" in client.get(f"/incidents/{incident.pk}/").content.decode()
    response = client.post(f"/incidents/{incident.pk}/confirm/", {"title": "一应生活APP 登录失败", "eta": "2031-05-03T14:00"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.state, incident.title, incident.eta.isoformat()) == ("confirmed", "一应生活APP 登录失败", "2031-05-03T06:00:00+00:00")


@pytest.mark.parametrize("body", ["[]", '"x"', "null"])
def test_a_decision_refuses_a_body_that_is_not_an_object(people: People, body: str) -> None:
    incident = _outage(people)
    response = _client(people["xiaou"]).post(f"/api/v1/incidents/{incident.pk}/dismiss", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"] == {"code": "bad_request", "message": "请求正文无法解析：应为 JSON 对象。"}
    incident.refresh_from_db()
    assert incident.state == "proposed"


def test_a_reporter_sees_the_proposed_incident_of_their_report_under_a_neutral_title(people: People) -> None:
    incident = _outage(people)
    assert incident.state == "proposed"
    client = _client(people["huadong"])
    [row] = client.get("/api/v1/incidents").json()
    assert (row["id"], row["state"], row["title"]) == (incident.pk, "proposed", "正在核实：一应生活APP 是否出现了共性问题")
    assert row["title"] != incident.title  # the proposal is named after another reporter's words
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "正在核实：一应生活APP 是否出现了共性问题" in page and incident.title not in page
    mine = incident.links.get(ticket__reporter=people["huadong"]).ticket
    assert client.get(f"/api/v1/tickets/{mine.ref}").json()["incident_id"] == incident.pk
    # Someone whose report is not in it does not see it until it is confirmed, and then only by following.
    assert _client(people["huazhong"]).get(f"/api/v1/incidents/{incident.pk}").status_code == 404
