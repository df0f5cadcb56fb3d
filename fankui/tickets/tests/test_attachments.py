"""Uploads are judged by their bytes, refused with a message naming the file, and stored once."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.files.storage import storages
from PIL import Image

from fankui.accounts.models import Profile
from fankui.accounts.services import set_profile
from fankui.directory.models import Region
from fankui.tickets.attachments import (
    HTTP_STATUS,
    UploadRejected,
    _write_once,
    blob_name,
    open_attachment,
    read_attachment,
    sanitize_filename,
    validate_upload,
)
from fankui.tickets.models import Attachment, Ticket
from fankui.tickets.services import IncomingFile, Intake, IntakeResult, create_ticket
from fankui.tickets.tests.upload_samples import EXE, HTML, LOG_GB18030, LOG_UTF8, PDF, image_bytes, png_declaring


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- what is accepted ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name", "content_type"),
    [("PNG", "登录失败.png", "image/png"), ("JPEG", "登录失败.jpg", "image/jpeg"), ("WEBP", "登录失败.webp", "image/webp"), ("GIF", "登录失败.gif", "image/gif")],
)
def test_it_accepts_each_image_type_by_content(fmt: str, name: str, content_type: str) -> None:
    upload = validate_upload(name, image_bytes(fmt, (40, 30)))
    assert (upload.filename, upload.content_type, upload.width, upload.height) == (name, content_type, 40, 30)
    assert len(upload.sha256) == 64


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("报销单.pdf", PDF, "application/pdf"),
        ("eas.log", LOG_UTF8, "text/plain; charset=utf-8"),
        ("同步.txt", LOG_GB18030, "text/plain; charset=gb18030"),
    ],
)
def test_it_accepts_pdfs_and_text_logs(name: str, data: bytes, content_type: str) -> None:
    upload = validate_upload(name, data)
    assert (upload.filename, upload.content_type, upload.width, upload.height) == (name, content_type, None, None)


def test_content_decides_the_type_and_the_extension_follows() -> None:
    upload = validate_upload("截图.png", image_bytes("JPEG"))
    assert (upload.content_type, upload.filename) == ("image/jpeg", "截图.jpg")
    assert validate_upload("report.exe", image_bytes("PNG")).filename == "report.png"


def test_it_reports_upright_dimensions_for_rotated_phone_photos() -> None:
    upload = validate_upload("photo.jpg", image_bytes("JPEG", (400, 200), orientation=6))
    assert (upload.width, upload.height) == (200, 400)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("C:\\Users\\张三\\桌面\\EAS报错.png", "EAS报错.png"),
        ("../../etc/passwd", "passwd"),
        ("登录\u202egnp.exe", "登录gnp.exe"),  # right-to-left override would disguise the extension
        ("错误\x00\x07\n截图.png", "错误 截图.png"),
        ("...", "附件"),
        ("", "附件"),
    ],
)
def test_it_sanitizes_filenames_and_keeps_chinese(raw: str, clean: str) -> None:
    assert sanitize_filename(raw) == clean


def test_it_caps_filenames_at_200_characters_keeping_the_extension() -> None:
    name = sanitize_filename("长" * 300 + ".png")
    assert len(name) == 200 and name.endswith(".png")


# --- what is refused, and why -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "code", "message"),
    [
        ("截图.png", HTML, "unsupported_type", "“截图.png”的内容与扩展名 .png 不符"),
        ("截图.png", EXE, "unsupported_type", "“截图.png”的内容与扩展名 .png 不符"),
        ("报表.pdf", HTML, "unsupported_type", "“报表.pdf”的内容与扩展名 .pdf 不符"),
        ("setup.exe", EXE, "unsupported_type", "“setup.exe”不是支持的文件类型。可上传：PNG、JPEG、WebP、GIF 图片，PDF 文档，.txt/.log 文本日志"),
        ("页面.html", HTML, "unsupported_type", "“页面.html”不是支持的文件类型"),
        ("debug.log", EXE, "unsupported_type", "“debug.log”不是可读的文本日志"),
        ("空.png", b"", "empty_file", "“空.png”是空文件"),
        ("半截.jpg", image_bytes("JPEG", (400, 400))[:300], "corrupt_file", "“半截.jpg”已损坏或不完整"),
        ("半截.png", image_bytes("PNG", (400, 400))[:60], "corrupt_file", "“半截.png”已损坏或不完整"),
        ("合同.pdf", PDF[:-8], "corrupt_file", "“合同.pdf”不完整（缺少 PDF 文件结尾）"),
        ("炸弹.png", png_declaring(30000, 30000), "decompression_bomb", "“炸弹.png”声明的图片尺寸异常巨大"),
    ],
)
def test_it_refuses_by_content_naming_the_file(name: str, data: bytes, code: str, message: str) -> None:
    with pytest.raises(UploadRejected) as refused:
        validate_upload(name, data)
    assert refused.value.code == code
    assert message in refused.value.message


def test_it_refuses_files_over_the_byte_limit(settings: Any) -> None:
    settings.FANKUI_MAX_UPLOAD_BYTES = 1024 * 1024
    with pytest.raises(UploadRejected) as refused:
        validate_upload("大图.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (1024 * 1024))
    assert refused.value.code == "file_too_large"
    assert refused.value.message == "“大图.png”太大（1.0 MB），单个文件不能超过 1.0 MB。"


def test_the_default_byte_limit_is_ten_megabytes() -> None:
    with pytest.raises(UploadRejected, match="单个文件不能超过 10.0 MB"):
        validate_upload("huge.log", b"a" * (10 * 1024 * 1024 + 1))


def test_it_refuses_images_over_the_pixel_limit(settings: Any) -> None:
    settings.FANKUI_MAX_IMAGE_PIXELS = 1_000_000
    with pytest.raises(UploadRejected) as refused:
        validate_upload("全景.png", image_bytes("PNG", (1200, 1000)))
    assert refused.value.code == "image_too_large"
    assert refused.value.message == "“全景.png”的分辨率太大（1200×1000），图片不能超过 1 百万像素。"


def test_the_default_pixel_limit_refuses_a_small_file_declaring_48_megapixels() -> None:
    with pytest.raises(UploadRejected) as refused:
        validate_upload("8k.png", png_declaring(8000, 6000))
    assert refused.value.code == "image_too_large"


def test_each_refusal_code_has_an_http_status() -> None:
    assert HTTP_STATUS == {
        "empty_file": 422,
        "corrupt_file": 422,
        "too_many_files": 422,
        "file_too_large": 413,
        "image_too_large": 413,
        "decompression_bomb": 413,
        "unsupported_type": 415,
    }
    assert UploadRejected("unsupported_type", "x").http_status == 415


# --- through create_ticket: a bad file refuses the whole report, and nothing is stored -------------


@pytest.fixture
def reporter_a(db: Any) -> AbstractUser:
    user = get_user_model().objects.create_user("reporter-a", password="x")
    set_profile(user, role=Profile.Role.REPORTER, region=Region.objects.get(name="华南"), project="深圳湾")
    return user


def report(reporter: AbstractUser, *files: IncomingFile) -> IntakeResult:
    intake = Intake(description="金蝶EAS 登录失败，截图见附件", channel="web", region=Region.objects.get(name="华南"), files=files)
    return create_ticket(reporter=reporter, intake=intake)


@pytest.fixture
def refusal_leaves_no_trace(media_root: Path) -> Iterator[None]:
    tickets, attachments = Ticket.objects.count(), Attachment.objects.count()
    yield
    assert (Ticket.objects.count(), Attachment.objects.count()) == (tickets, attachments)
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("bad", "code", "message"),
    [
        (IncomingFile("截图.png", HTML), "unsupported_type", "“截图.png”的内容与扩展名 .png 不符"),
        (IncomingFile("病毒.png", EXE), "unsupported_type", "“病毒.png”的内容与扩展名 .png 不符"),
        (IncomingFile("空.log", b""), "empty_file", "“空.log”是空文件"),
        (IncomingFile("炸弹.png", png_declaring(30000, 30000)), "decompression_bomb", "“炸弹.png”"),
        (IncomingFile("8k.png", png_declaring(8000, 6000)), "image_too_large", "“8k.png”的分辨率太大（8000×6000）"),
    ],
)
def test_a_bad_file_refuses_the_whole_report(
    reporter_a: AbstractUser, refusal_leaves_no_trace: None, bad: IncomingFile, code: str, message: str
) -> None:
    good = IncomingFile("正常.png", image_bytes("PNG"))
    with pytest.raises(UploadRejected) as refused:
        report(reporter_a, good, bad)
    assert refused.value.code == code and message in refused.value.message


def test_an_oversized_file_refuses_the_whole_report(reporter_a: AbstractUser, refusal_leaves_no_trace: None, settings: Any) -> None:
    settings.FANKUI_MAX_UPLOAD_BYTES = 2000
    with pytest.raises(UploadRejected, match="“日志.log”太大"):
        report(reporter_a, IncomingFile("日志.log", b"x" * 2001))


def test_too_many_files_refuse_the_whole_report(reporter_a: AbstractUser, refusal_leaves_no_trace: None) -> None:
    files = [IncomingFile(f"截图{i}.png", image_bytes("PNG", (10 + i, 10))) for i in range(11)]
    with pytest.raises(UploadRejected) as refused:
        report(reporter_a, *files)
    assert refused.value.code == "too_many_files"
    assert refused.value.message == "一份报告最多附 10 个文件，您选择了 11 个。"


def test_the_file_count_limit_is_a_setting(reporter_a: AbstractUser, refusal_leaves_no_trace: None, settings: Any) -> None:
    settings.FANKUI_MAX_UPLOAD_FILES = 2
    with pytest.raises(UploadRejected, match="最多附 2 个文件，您选择了 3 个"):
        report(reporter_a, *[IncomingFile("a.log", b"a")] * 3)


# --- storage ------------------------------------------------------------------------------------


def test_it_stores_each_file_under_its_hash_with_its_row(reporter_a: AbstractUser, attachment_storage: str) -> None:
    png, log = image_bytes("PNG", (640, 480)), LOG_UTF8
    ticket = report(reporter_a, IncomingFile("登录失败.png", png), IncomingFile("eas.log", log)).ticket

    image, text = ticket.attachments.order_by("id")
    assert (image.filename, image.content_type, image.size, image.width, image.height) == ("登录失败.png", "image/png", len(png), 640, 480)
    assert (text.filename, text.content_type, text.size, text.has_thumbnail) == ("eas.log", "text/plain; charset=utf-8", len(log), False)
    assert image.uploaded_by == reporter_a and image.event is not None and image.event.kind == "created"
    assert read_attachment(image) == png
    assert storages["attachments"].exists(f"attachments/{image.sha256[:2]}/{image.sha256}")
    assert read_attachment(text) == log


def test_on_disk_files_live_in_the_data_folder_under_their_hash(reporter_a: AbstractUser, media_root: Path) -> None:
    image = report(reporter_a, IncomingFile("登录失败.png", image_bytes("PNG", (64, 48)))).ticket.attachments.get()
    assert (media_root / "attachments" / image.sha256[:2] / image.sha256).is_file()


def test_it_makes_a_small_upright_jpeg_thumbnail_and_keeps_the_original_untouched(reporter_a: AbstractUser, attachment_storage: str) -> None:
    photo = image_bytes("JPEG", (1600, 800), orientation=6)  # a phone photo stored sideways
    attachment = report(reporter_a, IncomingFile("现场.jpg", photo)).ticket.attachments.get()

    assert attachment.has_thumbnail
    with open_attachment(attachment, thumbnail=True) as thumb:
        assert thumb.name.endswith(f"{attachment.sha256}.thumb.jpg")
        with Image.open(thumb) as img:
            assert (img.format, img.size) == ("JPEG", (160, 320))
    assert read_attachment(attachment) == photo  # EXIF and all


def test_transparent_screenshots_get_a_white_thumbnail(reporter_a: AbstractUser, media_root: Path) -> None:
    attachment = report(reporter_a, IncomingFile("a.png", image_bytes("PNG", (100, 50), mode="RGBA"))).ticket.attachments.get()
    with open_attachment(attachment, thumbnail=True) as thumb, Image.open(thumb) as img:
        assert img.mode == "RGB" and img.size == (100, 50)


def test_files_without_a_picture_have_no_thumbnail(reporter_a: AbstractUser, media_root: Path) -> None:
    attachment = report(reporter_a, IncomingFile("合同.pdf", PDF)).ticket.attachments.get()
    assert not attachment.has_thumbnail
    with pytest.raises(FileNotFoundError):
        open_attachment(attachment, thumbnail=True)


def test_bytes_missing_from_storage_raise_file_not_found(reporter_a: AbstractUser, attachment_storage: str) -> None:
    attachment = report(reporter_a, IncomingFile("eas.log", LOG_UTF8)).ticket.attachments.get()
    storages["attachments"].delete(blob_name(attachment.sha256))
    with pytest.raises(FileNotFoundError):
        read_attachment(attachment)


def test_identical_uploads_are_stored_once(reporter_a: AbstractUser, media_root: Path) -> None:
    png = image_bytes("PNG", (50, 50))
    first = report(reporter_a, IncomingFile("一.png", png), IncomingFile("二.png", png)).ticket
    second = report(reporter_a, IncomingFile("三.png", png)).ticket

    rows = list(Attachment.objects.filter(ticket__in=[first, second]))
    assert len(rows) == 3 and len({row.sha256 for row in rows}) == 1
    assert [p.name for p in stored_files(media_root)] == [rows[0].sha256, f"{rows[0].sha256}.thumb.jpg"]


def test_concurrent_writes_of_one_content_leave_one_whole_file(media_root: Path) -> None:
    data = b"x" * 200_000
    sha = validate_upload("a.log", data).sha256
    threads = [threading.Thread(target=_write_once, args=(blob_name(sha), data)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert stored_files(media_root) == [media_root / blob_name(sha)]
    assert (media_root / blob_name(sha)).read_bytes() == data


def test_a_row_cannot_steer_the_storage_path() -> None:
    with pytest.raises(ValueError, match="not a SHA-256"):
        blob_name("../../settings.py")
