"""Screenshots are read back to text; without the engine, nothing breaks."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from PIL import Image

from fankui.tickets import ocr
from fankui.tickets.models import Attachment
from fankui.tickets.services import IncomingFile, Intake, create_ticket
from fankui.tickets.tests.upload_samples import PDF, error_dialog

def file_report(settings: Any, tmp_path: Path, *files: IncomingFile) -> list[Attachment]:
    settings.MEDIA_ROOT = tmp_path / "files"
    reporter = get_user_model().objects.create_user("reporter-a")
    ticket = create_ticket(reporter=reporter, intake=Intake(description="EAS 登不上，见截图", channel="web", files=files)).ticket
    return list(ticket.attachments.order_by("id"))


@pytest.mark.django_db
def test_it_reads_the_error_message_of_a_screenshot_into_the_attachment(settings: Any, tmp_path: Path) -> None:
    (attachment,) = file_report(settings, tmp_path, IncomingFile("报错.png", error_dialog()))

    text = ocr.ocr_attachment(attachment.pk)

    assert "登录失败：用户名或密码错误" in text
    assert "金蝶EAS" in text
    attachment.refresh_from_db()
    assert attachment.ocr_text == text


@pytest.mark.django_db
def test_files_that_are_not_pictures_are_skipped(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "extract_text", lambda path: pytest.fail("must not run OCR on a PDF"))
    (attachment,) = file_report(settings, tmp_path, IncomingFile("合同.pdf", PDF))
    assert ocr.ocr_attachment(attachment.pk) == ""
    assert ocr.ocr_attachment(999_999) == ""


def test_without_the_engine_it_returns_nothing_and_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(ocr, "_engine", lambda: None)
    path = tmp_path / "a.png"
    Image.new("RGB", (10, 10)).save(path)
    with caplog.at_level(logging.INFO, logger="fankui.tickets.ocr"):
        assert ocr.extract_text(path) == ""
    assert "OCR skipped" in caplog.text


@pytest.mark.django_db
def test_a_screenshot_routes_a_report_whose_text_names_no_system(
    settings: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    settings.FANKUI_OCR = True  # the worker reads the screenshot after commit (Huey is immediate in tests)
    settings.MEDIA_ROOT = tmp_path / "files"
    reporter = get_user_model().objects.create_user("reporter-b")
    with django_capture_on_commit_callbacks(execute=True):
        ticket = create_ticket(
            reporter=reporter, intake=Intake(description="一直报这个错，见截图", channel="web", files=[IncomingFile("报错.png", error_dialog())])
        ).ticket
    assert ticket.system is None  # the typed text alone names nothing
    ticket.refresh_from_db()
    assert ticket.system is not None and ticket.system.name == "金蝶EAS"
    assert ticket.events.filter(kind="routed", data__source="ocr").exists()
    assert "登录失败" in ticket.attachments.get().ocr_text


@pytest.mark.django_db
def test_a_screenshot_whose_bytes_are_not_in_storage_yet_is_retried_not_dropped(
    settings: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """A worker on another machine may see the row before shared storage shows the file (or a share is down)."""
    from django.core.files.storage import storages
    from huey.contrib.djhuey import HUEY

    from fankui.tickets.attachments import blob_name

    settings.FANKUI_OCR = True
    settings.MEDIA_ROOT = tmp_path / "files"
    reporter = get_user_model().objects.create_user("reporter-c")
    held = tmp_path / "held"
    HUEY.flush()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ticket = create_ticket(
            reporter=reporter, intake=Intake(description="一直报这个错，见截图", channel="web", files=[IncomingFile("报错.png", error_dialog())])
        ).ticket
    attachment = ticket.attachments.get()
    stored = Path(storages["attachments"].path(blob_name(attachment.sha256)))
    stored.rename(held)  # the file is not readable here (yet)
    for callback in callbacks:
        callback()

    assert ocr.Attachment.objects.get(pk=attachment.pk).ocr_text == ""
    assert len(HUEY.scheduled()) == 1, "the OCR task must be scheduled again, not marked done"

    held.rename(stored)  # storage catches up; the retry reads it
    (retry,) = HUEY.scheduled()
    HUEY.execute(retry, timestamp=retry.eta)  # as the consumer does once the delay has passed
    assert "登录失败" in ocr.Attachment.objects.get(pk=attachment.pk).ocr_text
