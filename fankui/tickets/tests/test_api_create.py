"""POST /api/v1/tickets: intake over the API (JSON or multipart), with every refusal it can answer."""
from __future__ import annotations

import io
import json

import pytest
from django.test import Client, override_settings
from PIL import Image

from fankui.accounts.models import Profile
from fankui.accounts.services import set_profile
from fankui.tickets.models import TEXT_MAX_LENGTH, IdempotencyKey, Secret, Ticket
from fankui.tickets.tests.api_factories import Persona, make_personas, post_json

pytestmark = pytest.mark.django_db
URL = "/api/v1/tickets"


@pytest.fixture
def people() -> dict[str, Persona]:
    return make_personas()


@pytest.fixture
def alice(people: dict[str, Persona]) -> Persona:
    return people["reporter_a"]


def error(response: object) -> dict[str, str]:
    return response.json()["error"]  # type: ignore[attr-defined,no-any-return]


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    return buffer.getvalue()


# ---- the contract ------------------------------------------------------------------------------


def test_it_files_a_report_and_answers_with_the_routing(alice: Persona) -> None:
    response = post_json(alice.api, URL, {"description": "EAS 报销单提交后一直卡在审批流，无法提交", "urgency": "urgent"})
    assert response.status_code == 201
    body = response.json()
    ticket = Ticket.objects.get(ref=body["ref"])
    assert body["status"] == "open"
    assert body["url"] == f"http://127.0.0.1:8000/tickets/{ticket.ref}/"
    assert body["routing"]["system"] == "金蝶EAS"
    assert body["routing"]["contact"] == "肖睿"
    assert body["routing"]["consultant"] == "丁家贵"
    assert set(body["routing"]) == {"system", "department", "contact", "consultant", "topic", "confidence", "explanation"}
    assert body["notices"] == [] and body["suggestions"] == []
    assert (ticket.reporter, ticket.channel, ticket.urgency) == (alice.user, "api", "urgent")
    assert ticket.region is not None and ticket.region.name == "华南"  # from the reporter's profile
    assert ticket.project == "华南演示项目"


@override_settings(FANKUI_BASE_URL="https://fankui.example.cn/")
def test_the_url_follows_the_configured_base_url(alice: Persona) -> None:
    body = post_json(alice.api, URL, {"description": "一应之家登录不了"}).json()
    assert body["url"] == f"https://fankui.example.cn/tickets/{body['ref']}/"


def test_it_passes_on_the_routers_faq_suggestions(alice: Persona) -> None:
    body = post_json(alice.api, URL, {"description": "UV数统计不对，怎么反馈"}).json()
    assert {"slug": "uv_stats", "title": "UV数统计及问题反馈"} in body["suggestions"]
    # The ticket keeps each suggestion by slug and title, not the article's text.
    assert {"slug": "uv_stats", "title": "UV数统计及问题反馈"} in Ticket.objects.get(ref=body["ref"]).routing["faq"]


def test_a_replay_of_a_ticket_that_kept_the_suggestions_text_still_names_them(alice: Persona) -> None:
    report = {"description": "UV数统计不对，怎么反馈"}
    body = post_json(alice.api, URL, report, **{"Idempotency-Key": "uv-1"}).json()
    Ticket.objects.filter(ref=body["ref"]).update(routing={"faq": ["UV数统计及问题反馈\n每月统计一次……"]})  # as filed before
    replay = post_json(alice.api, URL, report, **{"Idempotency-Key": "uv-1"})
    assert replay.status_code == 200 and replay.json()["suggestions"] == [{"slug": "uv_stats", "title": "UV数统计及问题反馈"}]


def test_a_pasted_password_moves_to_the_vault_with_a_chinese_notice(alice: Persona) -> None:
    response = post_json(alice.api, URL, {"description": "一应之家登录不了，账号 zhangsan 密码是 Abc12345xyz"})
    assert response.status_code == 201
    assert response.json()["notices"] == ["您输入的账号/密码已移入加密保险箱，文字中已屏蔽，只有处理人可以查看。"]
    assert "Abc12345xyz" not in response.content.decode()
    ticket = Ticket.objects.get(ref=response.json()["ref"])
    assert "Abc12345xyz" not in ticket.description
    assert Secret.objects.filter(ticket=ticket).exists()


def test_given_secrets_are_stored_encrypted_and_not_echoed(alice: Persona) -> None:
    secrets = [{"label": "账号", "value": "huanan-admin"}, {"label": "密码", "value": "S3cret-Value-42"}]
    response = post_json(alice.api, URL, {"description": "CMP 登录后白屏", "secrets": secrets})
    assert response.status_code == 201
    assert "S3cret-Value-42" not in response.content.decode()
    stored = Secret.objects.filter(ticket__ref=response.json()["ref"])
    assert sorted(s.label for s in stored) == ["密码", "账号"]
    assert all("S3cret" not in s.ciphertext for s in stored)


def test_a_system_alias_names_the_system(alice: Persona) -> None:
    ref = post_json(alice.api, URL, {"description": "这个系统登录很慢", "system": "ＥＡＳ"}).json()["ref"]
    assert Ticket.objects.get(ref=ref).system.name == "金蝶EAS"  # type: ignore[union-attr]


def test_an_unknown_system_is_refused(alice: Persona) -> None:
    response = post_json(alice.api, URL, {"description": "登录很慢", "system": "不存在的系统"})
    assert response.status_code == 422
    assert error(response) == {"code": "unknown_system", "message": "未知系统“不存在的系统”，请使用通讯录中的系统名称或别名，或留空。"}
    assert not Ticket.objects.exists()


def test_an_explicit_region_and_project_win_over_the_profile(alice: Persona) -> None:
    ref = post_json(alice.api, URL, {"description": "收费云打印不了", "region": "huadong", "project": "东湖花园"}).json()["ref"]
    ticket = Ticket.objects.select_related("region", "assignee").get(ref=ref)
    assert (ticket.region.name, ticket.project, ticket.assignee.name) == ("华东", "东湖花园", "陈坚")  # type: ignore[union-attr]


def test_an_unknown_region_is_refused(alice: Persona) -> None:
    response = post_json(alice.api, URL, {"description": "收费云打印不了", "region": "火星"})
    assert response.status_code == 422
    assert error(response) == {"code": "unknown_region", "message": "未知大区“火星”。"}


def test_the_reporter_kind_comes_from_the_profile(alice: Persona) -> None:
    set_profile(alice.user, role=Profile.Role.REPORTER, kind=Profile.Kind.OWNER)
    ref = post_json(alice.api, URL, {"description": "业主钱包充值没到账", "channel": "app"}).json()["ref"]
    ticket = Ticket.objects.get(ref=ref)
    assert (ticket.reporter_kind, ticket.channel, ticket.region) == ("owner", "app", None)


def test_the_browser_session_is_accepted_too(alice: Persona) -> None:
    client = Client()
    client.force_login(alice.user)
    response = post_json(client, URL, {"description": "KM 搜索不到文档"})
    assert response.status_code == 201


# ---- multipart ---------------------------------------------------------------------------------


def test_multipart_carries_fields_secrets_and_screenshots(alice: Persona) -> None:
    shot = io.BytesIO(png())
    shot.name = "截图.png"
    form = {"description": "悦帮 报修单无法派单", "urgency": "urgent", "secrets": json.dumps([{"label": "账号", "value": "yb-001"}]), "files": shot}
    response = alice.api.post(URL, data=form)
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(ref=response.json()["ref"])
    assert ticket.urgency == "urgent" and ticket.system.name == "悦帮"  # type: ignore[union-attr]
    attachment = ticket.attachments.get()
    assert (attachment.content_type, attachment.width, attachment.height) == ("image/png", 40, 30)
    assert ticket.secrets.count() == 1


def test_a_file_of_the_wrong_type_answers_415(alice: Persona) -> None:
    fake = io.BytesIO(b"MZ\x90\x00 this is a windows program")
    fake.name = "截图.png"
    response = alice.api.post(URL, data={"description": "悦帮 报修单无法派单", "files": fake})
    assert response.status_code == 415
    assert error(response)["code"] == "unsupported_type"
    assert "截图.png" in error(response)["message"]
    assert not Ticket.objects.exists()


@override_settings(FANKUI_MAX_UPLOAD_BYTES=100)
def test_a_file_over_the_upload_limit_answers_413(alice: Persona) -> None:
    shot = io.BytesIO(png() + b"\0" * 200)
    shot.name = "big.png"
    response = alice.api.post(URL, data={"description": "悦帮 报修单无法派单", "files": shot})
    assert response.status_code == 413
    assert error(response)["code"] == "file_too_large"
    assert "单个文件不能超过" in error(response)["message"]


def test_a_broken_multipart_body_answers_400(alice: Persona) -> None:
    response = alice.api.post(URL, data=b"--x\r\nnonsense", content_type="multipart/form-data")  # no boundary
    assert response.status_code == 400
    assert error(response) == {"code": "malformed_multipart", "message": "无法解析上传的表单内容。"}


def test_multipart_secrets_must_be_json(alice: Persona) -> None:
    response = alice.api.post(URL, data={"description": "悦帮 报修单无法派单", "secrets": "账号=abc"})
    assert response.status_code == 400
    assert error(response) == {"code": "malformed_json", "message": "secrets 字段不是有效的 JSON。"}


# ---- refusals ----------------------------------------------------------------------------------


def test_it_refuses_callers_without_credentials() -> None:
    response = post_json(Client(enforce_csrf_checks=True), URL, {"description": "x"})
    assert response.status_code == 401
    assert error(response) == {"code": "unauthenticated", "message": "请先登录或提供有效的访问令牌。"}


def test_it_refuses_an_unknown_token(alice: Persona) -> None:
    client = Client(headers={"Authorization": f"Bearer {alice.token}x"})
    response = post_json(client, URL, {"description": "x"})
    assert response.status_code == 401
    assert error(response)["code"] == "unauthenticated"


def test_malformed_json_answers_400(alice: Persona) -> None:
    response = alice.api.post(URL, data='{"description": "EAS', content_type="application/json")
    assert response.status_code == 400
    assert error(response) == {"code": "malformed_json", "message": "请求内容不是有效的 JSON。"}


def test_another_content_type_answers_415(alice: Persona) -> None:
    response = alice.api.post(URL, data="description=EAS", content_type="text/plain")
    assert response.status_code == 415
    assert error(response) == {"code": "unsupported_media_type", "message": "请以 application/json 或 multipart/form-data 格式提交。"}


@override_settings(FANKUI_API_MAX_REQUEST_BYTES=2048)
def test_a_body_over_the_request_limit_answers_413(alice: Persona) -> None:
    response = post_json(alice.api, URL, {"description": "很长" * 1000})
    assert response.status_code == 413
    assert error(response) == {"code": "request_too_large", "message": "请求内容过大（上限 2 KB）。"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "description"),
        ({"description": ""}, "description"),
        ({"description": "字" * (TEXT_MAX_LENGTH + 1)}, "description"),
        ({"description": "EAS 卡", "title": "题" * 201}, "title"),
        ({"description": "EAS 卡", "urgency": "asap"}, "urgency"),
        ({"description": "EAS 卡", "channel": "email"}, "channel"),
        ({"description": "EAS 卡", "secrets": [{"label": "密码"}]}, "secrets"),
        (["EAS 卡"], None),
    ],
)
def test_invalid_fields_answer_422_naming_the_field(alice: Persona, body: object, field: str | None) -> None:
    response = post_json(alice.api, URL, body)
    assert response.status_code == 422
    assert error(response)["code"] == "invalid_request"
    assert error(response)["message"] == "请求内容不符合要求，请检查各字段。"
    if field:
        assert field in {str(part) for item in response.json()["error"]["fields"] for part in item["loc"]}
    assert not Ticket.objects.exists()


def test_a_blank_description_is_refused_by_the_workflow(alice: Persona) -> None:
    response = post_json(alice.api, URL, {"description": "   "})
    assert response.status_code == 422
    assert error(response) == {"code": "empty_description", "message": "请描述遇到的问题。"}


@override_settings(FANKUI_API_POSTS_PER_MINUTE=2)
@pytest.mark.usefixtures("one_clock_minute")
def test_it_limits_posts_per_token(people: dict[str, Persona]) -> None:
    alice, bob = people["reporter_a"], people["reporter_b"]
    assert post_json(alice.api, URL, {"description": "EAS 卡 1"}).status_code == 201
    assert post_json(alice.api, URL, {"description": "EAS 卡 2"}).status_code == 201
    response = post_json(alice.api, URL, {"description": "EAS 卡 3"})
    assert response.status_code == 429
    assert error(response) == {"code": "rate_limited", "message": "提交过于频繁（每分钟最多 2 次），请稍后再试。"}
    assert response["Retry-After"] == "55"  # the clock stands 5 s into its minute
    assert post_json(bob.api, URL, {"description": "EAS 卡"}).status_code == 201  # others are not affected
    assert Ticket.objects.count() == 3


# ---- idempotency -------------------------------------------------------------------------------


def test_a_retried_post_with_the_same_key_returns_the_first_ticket(alice: Persona) -> None:
    body = {"description": "EAS 付款单审批退回了", "secrets": [{"label": "密码", "value": "pw-1"}]}
    first = post_json(alice.api, URL, body, **{"Idempotency-Key": "app-7f3a"})
    again = post_json(alice.api, URL, body, **{"Idempotency-Key": "app-7f3a"})
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["ref"] == first.json()["ref"]
    assert again.json()["routing"] == first.json()["routing"]
    assert Ticket.objects.count() == 1 and IdempotencyKey.objects.count() == 1


def test_the_same_key_with_a_different_report_is_a_conflict(alice: Persona) -> None:
    post_json(alice.api, URL, {"description": "EAS 付款单审批退回了"}, **{"Idempotency-Key": "k1"})
    response = post_json(alice.api, URL, {"description": "一应之家打不开"}, **{"Idempotency-Key": "k1"})
    assert response.status_code == 409
    assert error(response) == {"code": "idempotency_conflict", "message": "该 Idempotency-Key 已用于另一份不同的报告。"}
    assert Ticket.objects.count() == 1


def test_keys_are_per_user(people: dict[str, Persona]) -> None:
    body = {"description": "EAS 付款单审批退回了"}
    a = post_json(people["reporter_a"].api, URL, body, **{"Idempotency-Key": "same"}).json()["ref"]
    b = post_json(people["reporter_b"].api, URL, body, **{"Idempotency-Key": "same"}).json()["ref"]
    assert a != b


def test_an_overlong_key_is_refused(alice: Persona) -> None:
    response = post_json(alice.api, URL, {"description": "EAS 卡"}, **{"Idempotency-Key": "k" * 101})
    assert response.status_code == 422
    assert error(response) == {"code": "invalid_idempotency_key", "message": "Idempotency-Key 不能超过 100 个字符。"}


def test_a_token_wins_over_a_session_cookie_without_csrf(alice: Persona) -> None:
    # An app's web view may carry a session cookie too; the token alone must be enough.
    client = alice.api
    client.force_login(alice.user)
    assert post_json(client, URL, {"description": "KM 搜索不到文档"}).status_code == 201


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_a_json_body_over_djangos_memory_limit_answers_413(alice: Persona) -> None:
    response = post_json(alice.api, URL, {"description": "很长" * 1000})
    assert response.status_code == 413
    assert error(response) == {"code": "request_too_large", "message": "请求内容过大。"}


def test_the_openapi_document_describes_both_body_formats() -> None:
    operation = Client().get("/api/openapi.json").json()["paths"]["/api/v1/tickets"]["post"]
    content = operation["requestBody"]["content"]
    assert set(content) == {"application/json", "multipart/form-data"}
    assert content["application/json"]["schema"]["properties"]["secrets"]["items"]["required"] == ["label", "value"]
    assert {"BearerToken": []} in operation["security"]


def test_a_title_pasted_with_line_breaks_is_stored_on_one_line(alice: Persona) -> None:
    response = post_json(alice.api, URL, {"title": "EAS 打不开\r\n急\u2028请处理", "description": "金蝶EAS 打不开"})
    assert Ticket.objects.get(ref=response.json()["ref"]).title == "EAS 打不开 急 请处理"
