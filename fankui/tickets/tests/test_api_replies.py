"""POST /api/v1/tickets/{ref}/replies: the reporter and handlers reply; only handlers write internal notes."""
from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

from fankui.notify.models import Notice
from fankui.tickets.models import TEXT_MAX_LENGTH, Ticket, TicketEvent
from fankui.tickets.tests.api_factories import Persona, file_report, make_personas, post_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> dict[str, Persona]:
    return make_personas()


@pytest.fixture
def ref(people: dict[str, Persona]) -> str:
    return file_report(people["reporter_a"])


def replies(ref: str) -> str:
    return f"/api/v1/tickets/{ref}/replies"


def test_the_reporter_adds_information(people: dict[str, Persona], ref: str) -> None:
    response = post_json(people["reporter_a"].api, replies(ref), {"body": "补充：是付款单，不是报销单"})
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["public"], body["body"], body["actor"]) == ("reply", True, "补充：是付款单，不是报销单", "staff-huanan")
    assert TicketEvent.objects.filter(ticket__ref=ref, kind="reply", actor=people["reporter_a"].user).exists()


def test_a_handlers_public_reply_reaches_the_reporter(people: dict[str, Persona], ref: str) -> None:
    response = post_json(people["ding"].api, replies(ref), {"body": "已转肖睿处理"})
    assert response.status_code == 201
    assert Ticket.objects.get(ref=ref).first_responded_at is not None
    assert Notice.objects.filter(ticket__ref=ref, recipient=people["reporter_a"].user, kind=Notice.Kind.REPLY).exists()


def test_a_handler_writes_an_internal_note_the_reporter_never_sees(people: dict[str, Persona], ref: str) -> None:
    response = post_json(people["ding"].api, replies(ref), {"body": "内部：先查审批流配置", "public": False})
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["public"]) == ("note", False)
    assert "内部：先查审批流配置" not in people["reporter_a"].api.get(f"/api/v1/tickets/{ref}").content.decode()


def test_a_reporter_may_not_write_internal_notes(people: dict[str, Persona], ref: str) -> None:
    response = post_json(people["reporter_a"].api, replies(ref), {"body": "悄悄话", "public": False})
    assert response.status_code == 403
    assert response.json() == {"error": {"code": "forbidden", "message": "只有处理人可以添加内部备注。"}}
    assert not TicketEvent.objects.filter(body="悄悄话").exists()


def test_someone_elses_ticket_is_not_found(people: dict[str, Persona], ref: str) -> None:
    response = post_json(people["reporter_b"].api, replies(ref), {"body": "我也遇到了"})
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "找不到该工单，或您无权查看。"}}


@pytest.mark.parametrize("body", [{}, {"body": ""}, {"body": "长" * (TEXT_MAX_LENGTH + 1)}, {"body": "好", "public": "maybe"}])
def test_invalid_replies_answer_422(people: dict[str, Persona], ref: str, body: dict[str, object]) -> None:
    response = post_json(people["reporter_a"].api, replies(ref), body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def test_a_blank_reply_is_refused_by_the_workflow(people: dict[str, Persona], ref: str) -> None:
    response = post_json(people["reporter_a"].api, replies(ref), {"body": "   "})
    assert response.status_code == 422
    assert response.json()["error"] == {"code": "empty_reply", "message": "回复内容不能为空。"}


def test_malformed_json_answers_400(people: dict[str, Persona], ref: str) -> None:
    response = people["reporter_a"].api.post(replies(ref), data="{body", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_json"


def test_a_form_post_answers_415(people: dict[str, Persona], ref: str) -> None:
    response = people["reporter_a"].api.post(replies(ref), data={"body": "补充"})
    assert response.status_code == 415
    assert response.json()["error"] == {"code": "unsupported_media_type", "message": "请以 application/json 格式提交。"}


@override_settings(FANKUI_API_POSTS_PER_MINUTE=1)
@pytest.mark.usefixtures("one_clock_minute")
def test_replies_count_towards_the_rate_limit(people: dict[str, Persona]) -> None:
    cache.clear()
    ref = file_report(people["reporter_a"])  # the one POST this minute
    response = post_json(people["reporter_a"].api, replies(ref), {"body": "补充"})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
