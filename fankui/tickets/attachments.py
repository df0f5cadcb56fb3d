"""Attachments: validated by their content, stored once under their SHA-256 outside the web root.

A reporter's screenshot, PDF or log is trusted for nothing: not its name, not its declared type.
`validate_upload` decides what the bytes are (PNG, JPEG, WebP, GIF, PDF, or a UTF-8/GB18030 text
log) and refuses everything else with `UploadRejected`. `create_ticket` validates every file
before its transaction opens, so one bad file refuses the whole report and nothing is written.

HEIC (iPhone photos) is not accepted: Pillow 13 reads it only through the extra `pillow-heif`
package. Phones convert to JPEG when uploading through a browser, so the gap is small.

Storage is content-addressed: `attachments/<sha[:2]>/<sha>` in the attachment storage (the data
folder, or S3-compatible object storage shared by every server; see fankui/core/storage.py), so
identical or concurrent uploads are stored once and a reader never sees half a file. A blob
written by a transaction that later rolls back stays stored unreferenced; it is harmless
(nothing can reach it without an Attachment row).
"""
from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from fankui.core.storage import attachment_storage
from fankui.tickets.models import Attachment, Ticket, TicketEvent

log = logging.getLogger(__name__)

THUMBNAIL_SIZE = 320
MAX_FILENAME = 200  # Attachment.filename max_length

# What each refusal means over HTTP. Only views and endpoints turn these into responses;
# the pixel limits answer 413 like the byte limit: the upload is too big, just measured in pixels.
HTTP_STATUS = {
    "empty_file": 422,
    "corrupt_file": 422,
    "too_many_files": 422,
    "file_too_large": 413,
    "image_too_large": 413,
    "decompression_bomb": 413,
    "unsupported_type": 415,
}

ACCEPTED_TYPES_TEXT = "PNG、JPEG、WebP、GIF 图片，PDF 文档，.txt/.log 文本日志"


class UploadRejected(Exception):
    """A file refused by content or size; `code` is stable English (see HTTP_STATUS), the message Chinese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message

    @property
    def http_status(self) -> int:
        return HTTP_STATUS.get(self.code, 422)


@dataclass(frozen=True)
class ValidatedUpload:
    """Bytes whose type was established from their content, ready for `save_attachment`."""

    filename: str
    content_type: str
    data: bytes = field(repr=False)
    sha256: str
    width: int | None = None
    height: int | None = None

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class NamedData(Protocol):
    """Anything with a filename and bytes (tickets.services.IncomingFile)."""

    @property
    def filename(self) -> str: ...

    @property
    def data(self) -> bytes: ...


# --- limits, read at call time so override_settings and env changes apply -------------------


def max_upload_bytes() -> int:
    return settings.FANKUI_MAX_UPLOAD_BYTES


def max_image_pixels() -> int:
    return settings.FANKUI_MAX_IMAGE_PIXELS


def max_upload_files() -> int:
    return settings.FANKUI_MAX_UPLOAD_FILES


# --- file names ---------------------------------------------------------------------------------

_EXTENSIONS = {
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg", ".jfif"),
    "image/webp": (".webp",),
    "image/gif": (".gif",),
    "application/pdf": (".pdf",),
    "text/plain": (".txt", ".log"),
}
_TEXT_EXTENSIONS = _EXTENSIONS["text/plain"]


def sanitize_filename(filename: str) -> str:
    """Keep the last path part, drop control and formatting characters, keep Chinese, cap the length.

    Format characters (Unicode Cf) include U+202E, which can make "exe.png" display as "gnp.exe".
    """
    name = re.split(r"[/\\]", unicodedata.normalize("NFC", filename))[-1]
    name = "".join(" " if ch.isspace() else ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn"} or ch.isspace())
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name:
        return "附件"
    if len(name) > MAX_FILENAME:
        stem, ext = os.path.splitext(name)
        ext = ext if len(ext) <= 10 else ""
        name = stem[: MAX_FILENAME - len(ext)].rstrip(" .") + ext
    return name


def _with_extension(name: str, content_type: str) -> str:
    """Make the name's extension agree with the content, so a download opens in the right program."""
    allowed = _EXTENSIONS[content_type.split(";")[0]]
    stem, ext = os.path.splitext(name)
    if ext.lower() in allowed:
        return name
    return sanitize_filename((stem or "附件")[: MAX_FILENAME - len(allowed[0])] + allowed[0])


# --- detection by content -----------------------------------------------------------------------

_IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
)
_IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}


def _image_format(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    for magic, fmt in _IMAGE_MAGIC:
        if data.startswith(magic):
            return fmt
    return None


def _decode_text(data: bytes) -> str | None:
    """The charset a log is written in, or None when it is not text (NUL bytes, undecodable)."""
    if b"\x00" in data:
        return None
    for charset in ("utf-8", "gb18030"):
        try:
            data.decode(charset)
        except UnicodeDecodeError:
            continue
        return charset
    return None


def _check_image(name: str, fmt: str, data: bytes) -> tuple[int, int]:
    """Open, verify and fully decode the image; return its displayed (width, height)."""
    bomb = UploadRejected("decompression_bomb", f"“{name}”声明的图片尺寸异常巨大（疑似“解压炸弹”），已拒收。")
    try:
        # Pillow warns past Image.MAX_IMAGE_PIXELS and raises past twice that; both are refusals here.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # `formats` pins the decoder to what the magic bytes said: no guessing among
            # Pillow's many other plug-ins (EPS would even start Ghostscript).
            with Image.open(io.BytesIO(data), formats=[fmt]) as probe:
                width, height = probe.size
                if width * height > max_image_pixels():
                    raise UploadRejected(
                        "image_too_large",
                        f"“{name}”的分辨率太大（{width}×{height}），图片不能超过 {max_image_pixels() / 1_000_000:g} 百万像素。",
                    )
                probe.verify()  # checksums and structure, without decoding
            with Image.open(io.BytesIO(data), formats=[fmt]) as img:
                img.load()  # decode: catches truncated and malformed pixel data
                orientation = img.getexif().get(0x0112, 1)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise bomb from None
    except UploadRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        log.info("image refused as corrupt: %s (%s)", name, exc)
        raise UploadRejected("corrupt_file", f"“{name}”已损坏或不完整，无法作为图片打开。") from None
    # EXIF orientations 5–8 rotate by 90°: a phone photo taken upright is stored sideways.
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _detect(name: str, data: bytes) -> tuple[str, int | None, int | None]:
    """(content type, width, height) established from the bytes, or UploadRejected."""
    fmt = _image_format(data)
    if fmt is not None:
        width, height = _check_image(name, fmt, data)
        return _IMAGE_TYPES[fmt], width, height
    if data.startswith(b"%PDF-"):
        # A complete PDF ends with %%EOF (followed at most by a little whitespace or padding).
        if b"%%EOF" not in data[-1024:]:
            raise UploadRejected("corrupt_file", f"“{name}”不完整（缺少 PDF 文件结尾），可能上传中断，请重新上传。")
        return "application/pdf", None, None
    ext = os.path.splitext(name)[1].lower()
    if ext in _TEXT_EXTENSIONS:
        charset = _decode_text(data)
        if charset is None:
            raise UploadRejected(
                "unsupported_type", f"“{name}”不是可读的文本日志（只接受 UTF-8 或 GB18030 编码的纯文本，不能含二进制内容）。"
            )
        return f"text/plain; charset={charset}", None, None
    declared = next((ct for ct, exts in _EXTENSIONS.items() if ext in exts), None)
    if declared is not None:
        raise UploadRejected("unsupported_type", f"“{name}”的内容与扩展名 {ext} 不符，不是真正的{ext[1:].upper()}文件，已拒收。")
    raise UploadRejected("unsupported_type", f"“{name}”不是支持的文件类型。可上传：{ACCEPTED_TYPES_TEXT}。")


def validate_upload(filename: str, data: bytes) -> ValidatedUpload:
    """Establish what an uploaded file is from its bytes, or raise UploadRejected naming the file."""
    name = sanitize_filename(filename)
    if not data:
        raise UploadRejected("empty_file", f"“{name}”是空文件，请重新选择。")
    limit = max_upload_bytes()
    if len(data) > limit:
        raise UploadRejected(
            "file_too_large", f"“{name}”太大（{_megabytes(len(data))}），单个文件不能超过 {_megabytes(limit)}。"
        )
    content_type, width, height = _detect(name, data)
    return ValidatedUpload(
        filename=_with_extension(name, content_type),
        content_type=content_type,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        width=width,
        height=height,
    )


def validate_uploads(files: Sequence[NamedData]) -> list[ValidatedUpload]:
    """Validate a whole report's files: the count first, then each one (the first refusal wins)."""
    limit = max_upload_files()
    if len(files) > limit:
        raise UploadRejected("too_many_files", f"一份报告最多附 {limit} 个文件，您选择了 {len(files)} 个。")
    return [validate_upload(f.filename, f.data) for f in files]


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


# --- storage ----------------------------------------------------------------------------------

_SHA256 = re.compile(r"[0-9a-f]{64}")


def blob_name(sha256: str, *, thumbnail: bool = False) -> str:
    """The storage name of the bytes with this SHA-256 (whether or not they are stored yet)."""
    if not _SHA256.fullmatch(sha256):  # a row is data too: never let it steer a name
        raise ValueError(f"not a SHA-256: {sha256[:70]!r}")
    name = f"{sha256}.thumb.jpg" if thumbnail else sha256
    return f"attachments/{sha256[:2]}/{name}"


def _write_once(name: str, data: bytes) -> None:
    """Store the bytes under their name unless they are there already (that is the dedupe)."""
    storage = attachment_storage()
    if not storage.exists(name):
        storage.save(name, ContentFile(data))


def _thumbnail_bytes(data: bytes) -> bytes:
    """A JPEG at most THUMBNAIL_SIZE px on its longer side, turned upright per EXIF, on white."""
    with Image.open(io.BytesIO(data), formats=list(_IMAGE_TYPES)) as img:
        img.draft("RGB", (THUMBNAIL_SIZE * 2, THUMBNAIL_SIZE * 2))  # JPEG: decode at reduced scale
        upright = ImageOps.exif_transpose(img)
        upright.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
        if upright.mode in ("RGBA", "LA", "P", "PA"):
            rgba = upright.convert("RGBA")
            flat = Image.new("RGB", rgba.size, "white")
            flat.paste(rgba, mask=rgba.getchannel("A"))
            upright = flat
        elif upright.mode != "RGB":
            upright = upright.convert("RGB")
        out = io.BytesIO()
        upright.save(out, "JPEG", quality=82, optimize=True)
        return out.getvalue()


def save_attachment(ticket: Ticket, upload: ValidatedUpload, *, by: AbstractBaseUser | None, event: TicketEvent | None = None) -> Attachment:
    """Store the bytes (once per content) and a thumbnail for images, and record the Attachment.

    The original is kept byte for byte (EXIF included): it is evidence, and the handler may need it.
    Call inside the ticket's transaction; the file is written first so a committed row always has its file.
    """
    _write_once(blob_name(upload.sha256), upload.data)
    has_thumbnail = False
    if upload.is_image:
        try:
            _write_once(blob_name(upload.sha256, thumbnail=True), _thumbnail_bytes(upload.data))
            has_thumbnail = True
        except (OSError, ValueError) as exc:  # the original is valid; a missing preview is not fatal
            log.warning("thumbnail failed for %s: %s", upload.sha256, exc)
    return Attachment.objects.create(
        ticket=ticket,
        event=event,
        uploaded_by=by,
        sha256=upload.sha256,
        filename=upload.filename,
        content_type=upload.content_type,
        size=upload.size,
        width=upload.width,
        height=upload.height,
        has_thumbnail=has_thumbnail,
    )


def open_attachment(attachment: Attachment, *, thumbnail: bool = False) -> File:
    """The stored file (opened for reading) of a row fetched through selectors.get_attachment_for;
    FileNotFoundError if its bytes are not in storage."""
    if thumbnail and not attachment.has_thumbnail:
        raise FileNotFoundError(f"attachment {attachment.pk} has no thumbnail")
    return attachment_storage().open(blob_name(attachment.sha256, thumbnail=thumbnail), "rb")


def read_attachment(attachment: Attachment, *, thumbnail: bool = False) -> bytes:
    with open_attachment(attachment, thumbnail=thumbnail) as stored:
        data: bytes = stored.read()
    return data
