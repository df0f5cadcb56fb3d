"""Downloading attachments: only through the chokepoint, with headers that keep browsers from running them."""
from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.test import Client

from fankui.accounts.models import Profile
from fankui.accounts.services import set_profile
from fankui.directory.models import Person, Region
from fankui.tickets.models import Attachment, Ticket
from fankui.tickets.services import IncomingFile, Intake, create_ticket, reply_to_ticket
from fankui.tickets.tests.upload_samples import LOG_UTF8, PDF, image_bytes

pytestmark = [pytest.mark.urls("fankui.tickets.tests.urls_files"), pytest.mark.django_db]

PNG = image_bytes("PNG", (800, 600))


def user_in(username: str, region: str, role: str = Profile.Role.REPORTER) -> AbstractUser:
    user = get_user_model().objects.create_user(username, password="x")
    set_profile(user, role=role, region=Region.objects.get(name=region))
    return user


@pytest.fixture
def reporter_a() -> AbstractUser:
    return user_in("reporter-a", "华南")


@pytest.fixture
def reporter_b() -> AbstractUser:
    return user_in("reporter-b", "华东")


@pytest.fixture
def consultant() -> AbstractUser:
    """丁家贵, 华南's consultant: the handler of reporter A's ticket."""
    user = user_in("dingjiagui", "华南", Profile.Role.CONSULTANT)
    Person.objects.filter(name="丁家贵").update(user=user)
    return user


@pytest.fixture
def ticket(settings: Any, tmp_path: Path, reporter_a: AbstractUser) -> Ticket:
    settings.MEDIA_ROOT = tmp_path / "files"
    intake = Intake(
        description="金蝶EAS 登录失败：用户名或密码错误",
        channel="web",
        region=reporter_a.profile.region,  # type: ignore[attr-defined]
        files=[IncomingFile("登录失败.png", PNG), IncomingFile("eas.log", LOG_UTF8), IncomingFile("合同.pdf", PDF)],
    )
    return create_ticket(reporter=reporter_a, intake=intake).ticket


def client_for(user: AbstractUser | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def url(ticket: Ticket, filename: str, *, thumb: bool = False) -> str:
    attachment = ticket.attachments.get(filename=filename)
    return f"/tickets/{ticket.ref}/files/{attachment.pk}" + ("/thumb" if thumb else "")


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def assert_hardened(response: Any) -> None:
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_the_reporter_sees_her_screenshot_inline(ticket: Ticket, reporter_a: AbstractUser) -> None:
    response = client_for(reporter_a).get(url(ticket, "登录失败.png"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f"inline; filename*=utf-8''{quote('登录失败.png')}"
    assert body(response) == PNG
    assert_hardened(response)


@pytest.mark.parametrize(
    ("filename", "content_type", "data"),
    [("eas.log", "text/plain; charset=utf-8", LOG_UTF8), ("合同.pdf", "application/pdf", PDF)],
)
def test_other_files_download_instead_of_opening(
    ticket: Ticket, reporter_a: AbstractUser, filename: str, content_type: str, data: bytes
) -> None:
    response = client_for(reporter_a).get(url(ticket, filename))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment; filename")
    assert body(response) == data
    assert_hardened(response)


def test_the_thumbnail_is_a_small_jpeg(ticket: Ticket, reporter_a: AbstractUser) -> None:
    response = client_for(reporter_a).get(url(ticket, "登录失败.png", thumb=True))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert body(response)[:3] == b"\xff\xd8\xff"
    assert_hardened(response)


def test_files_without_a_thumbnail_answer_404(ticket: Ticket, reporter_a: AbstractUser) -> None:
    assert client_for(reporter_a).get(url(ticket, "合同.pdf", thumb=True)).status_code == 404


def test_the_handler_can_download(ticket: Ticket, consultant: AbstractUser) -> None:
    client = client_for(consultant)
    assert client.get(url(ticket, "登录失败.png")).status_code == 200
    assert client.get(url(ticket, "eas.log")).status_code == 200
    assert client.get(url(ticket, "登录失败.png", thumb=True)).status_code == 200


@pytest.mark.parametrize("thumb", [False, True])
def test_it_rejects_other_reporters_files_as_not_found(ticket: Ticket, reporter_b: AbstractUser, thumb: bool) -> None:
    response = client_for(reporter_b).get(url(ticket, "登录失败.png", thumb=thumb))
    assert response.status_code == 404


def test_an_attachment_is_only_found_under_its_own_ticket(ticket: Ticket, reporter_a: AbstractUser) -> None:
    other = create_ticket(reporter=reporter_a, intake=Intake(description="另一个问题", channel="web")).ticket
    attachment = Attachment.objects.get(ticket=ticket, filename="登录失败.png")
    assert client_for(reporter_a).get(f"/tickets/{other.ref}/files/{attachment.pk}").status_code == 404


def test_a_missing_attachment_answers_404(ticket: Ticket, reporter_a: AbstractUser) -> None:
    assert client_for(reporter_a).get(f"/tickets/{ticket.ref}/files/999999").status_code == 404


def test_a_file_lost_from_disk_answers_404_not_500(ticket: Ticket, reporter_a: AbstractUser, settings: Any) -> None:
    settings.MEDIA_ROOT = Path(settings.MEDIA_ROOT).parent / "elsewhere"
    assert client_for(reporter_a).get(url(ticket, "eas.log")).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(ticket: Ticket) -> None:
    response = client_for(None).get(url(ticket, "登录失败.png"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_only_answers_get(ticket: Ticket, reporter_a: AbstractUser) -> None:
    assert client_for(reporter_a).post(url(ticket, "登录失败.png")).status_code == 405


def test_files_on_internal_notes_are_hidden_from_the_reporter(ticket: Ticket, reporter_a: AbstractUser, consultant: AbstractUser) -> None:
    note = reply_to_ticket(ticket=ticket, by=consultant, body="内部：后台日志", public=False, files=[IncomingFile("后台.log", LOG_UTF8)])
    attachment = note.attachments.get()
    path = f"/tickets/{ticket.ref}/files/{attachment.pk}"
    assert client_for(consultant).get(path).status_code == 200
    assert client_for(reporter_a).get(path).status_code == 404


def test_attachments_in_object_storage_are_served_through_the_same_checks(
    attachment_storage: str, reporter_a: AbstractUser, reporter_b: AbstractUser
) -> None:
    ticket = create_ticket(reporter=reporter_a, intake=Intake(description="EAS 登录失败", channel="web", files=[IncomingFile("登录失败.png", PNG)])).ticket
    response = client_for(reporter_a).get(url(ticket, "登录失败.png"))
    assert response.status_code == 200 and body(response) == PNG
    assert_hardened(response)
    thumb = client_for(reporter_a).get(url(ticket, "登录失败.png", thumb=True))
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert client_for(reporter_b).get(url(ticket, "登录失败.png")).status_code == 404
