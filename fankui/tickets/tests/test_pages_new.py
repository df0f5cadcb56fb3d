"""提交问题: the reporter's web form."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import AbstractUser
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from fankui.core.testing import client_for, make_personas
from fankui.tickets.models import Secret, Ticket
from fankui.tickets.tests.page_factories import png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter_a() -> AbstractUser:
    return make_personas()["reporter_a"]


def test_it_needs_login() -> None:
    response = Client().get("/tickets/new/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_prefills_region_and_project_from_the_profile(reporter_a: AbstractUser) -> None:
    html = client_for(reporter_a).get("/tickets/new/").content.decode()
    assert "华南演示项目" in html
    assert '<option value="' in html and "selected>华南</option>" in html
    # Systems grouped by department, the secrets section and the kb suggestion box.
    assert '<optgroup label="集团信息技术中心">' in html
    assert "复现问题需要的账号和密码（加密保存，仅处理人可见）" in html
    assert 'id="suggestions" data-suggest-url="/api/v1/kb/suggest"' in html
    assert 'accept="image/*,.pdf,.txt,.log"' in html and "multiple" in html
    assert ("kb/suggest.js" in html) == (finders.find("kb/suggest.js") is not None)


def test_it_files_a_report_and_moves_a_pasted_password_to_the_vault(reporter_a: AbstractUser) -> None:
    client = client_for(reporter_a)
    response = client.post(
        "/tickets/new/",
        {"description": "EAS 登录不了 账号 test01 密码 Abc12345", "urgency": "urgent", "region": reporter_a.profile.region.pk},
        follow=True,
    )
    ticket = Ticket.objects.get(reporter=reporter_a)
    assert response.redirect_chain[-1][0] == f"/tickets/{ticket.ref}/"
    html = response.content.decode()
    assert f"问题已提交，编号 {ticket.ref}" in html
    assert "您输入的账号/密码已移入加密保险箱，文字中已屏蔽，只有处理人可以查看。" in html
    assert "Abc12345" not in html and "******" in html
    assert ticket.channel == "web" and ticket.urgency == "urgent" and ticket.region.name == "华南"


def test_it_encrypts_the_account_fields_and_never_shows_them(reporter_a: AbstractUser) -> None:
    client = client_for(reporter_a)
    response = client.post("/tickets/new/", {"description": "收费云打不开", "urgency": "normal", "account": "gw-test", "password": "S3cret!x"}, follow=True)
    ticket = Ticket.objects.get(reporter=reporter_a)
    assert sorted(Secret.objects.filter(ticket=ticket).values_list("label", flat=True)) == ["密码", "账号"]
    html = response.content.decode()
    assert "S3cret!x" not in html and "gw-test" not in html
    assert "2 项账号/密码已加密保存" in html


def test_it_keeps_several_screenshots(reporter_a: AbstractUser) -> None:
    files = [SimpleUploadedFile("截图1.png", png_bytes(), "image/png"), SimpleUploadedFile("截图2.png", png_bytes(60, 40), "image/png")]
    response = client_for(reporter_a).post("/tickets/new/", {"description": "门禁刷卡无反应", "urgency": "normal", "files": files}, follow=True)
    ticket = Ticket.objects.get(reporter=reporter_a)
    assert ticket.attachments.count() == 2
    first = ticket.attachments.first()
    assert f'src="/tickets/{ticket.ref}/files/{first.pk}/thumb"' in response.content.decode()


def test_it_refuses_an_empty_description_and_keeps_what_was_typed(reporter_a: AbstractUser) -> None:
    response = client_for(reporter_a).post("/tickets/new/", {"description": "  ", "title": "工资条看不到", "urgency": "normal"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请描述遇到的问题。" in html
    assert 'value="工资条看不到"' in html
    assert not Ticket.objects.exists()


def test_it_shows_the_upload_refusal_and_keeps_the_description(reporter_a: AbstractUser) -> None:
    fake = SimpleUploadedFile("截图.png", b"MZ\x90\x00 this is not an image", "image/png")
    response = client_for(reporter_a).post("/tickets/new/", {"description": "停车场道闸不抬杆", "urgency": "normal", "files": [fake]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "停车场道闸不抬杆" in html
    assert "“截图.png”的内容与扩展名 .png 不符" in html
    assert not Ticket.objects.exists()


def test_it_does_not_echo_the_password_when_the_form_is_shown_again(reporter_a: AbstractUser) -> None:
    response = client_for(reporter_a).post("/tickets/new/", {"description": "", "urgency": "normal", "password": "Pw-987654"})
    assert response.status_code == 400
    assert "Pw-987654" not in response.content.decode()


def test_it_records_the_suggestions_that_did_not_solve_it(reporter_a: AbstractUser) -> None:
    client_for(reporter_a).post(
        "/tickets/new/",
        {"description": "绑定了房产还是显示访客", "urgency": "normal", "suggested_articles": "binding_visitor, survey_link"},
    )
    created = Ticket.objects.get(reporter=reporter_a).events.get(kind="created")
    assert created.data["not_solved_by"] == ["binding_visitor", "survey_link"]


@override_settings(FANKUI_MAX_UPLOAD_BYTES=200_000)
def test_a_file_over_the_limit_is_dropped_while_it_streams_in_and_refused_by_name(reporter_a: AbstractUser) -> None:
    big = SimpleUploadedFile("监控录像.png", png_bytes() + b"\0" * 300_000, "image/png")
    response = client_for(reporter_a).post("/tickets/new/", {"description": "停车场道闸不抬杆", "urgency": "normal", "files": [big]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "“监控录像.png”太大，单个文件不能超过" in html and "停车场道闸不抬杆" in html
    assert not Ticket.objects.exists()


@override_settings(FANKUI_MAX_UPLOAD_BYTES=200_000)
def test_the_api_refuses_the_same_way_with_the_same_code(reporter_a: AbstractUser) -> None:
    big = SimpleUploadedFile("big.png", png_bytes() + b"\0" * 300_000, "image/png")
    response = client_for(reporter_a).post("/api/v1/tickets", {"description": "停车场道闸不抬杆", "files": [big]})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "file_too_large"
