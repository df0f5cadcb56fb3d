"""The text in a screenshot, read in the background worker so handlers and search can use it.

Reporters send a picture of the error dialog instead of typing "金蝶EAS 登录失败：用户名或密码错误";
reading it back lets the handler search for the message and copy it into a reply.

The engine is RapidOCR (PP-OCRv4 Chinese models on onnxruntime, bundled in the wheel, so it runs
offline). On rendered dialogs it read 100% of characters against 68% (83% upscaled 2×) for
tesseract's chi_sim, at about 2 s of CPU per screenshot instead of 0.4 s; the worker can
afford the time, while a wrong error text is worse than none. It is imported lazily: the web
process never loads it, and without it installed `extract_text` returns "" and logs why.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import IO, Protocol

from PIL import Image, ImageOps

from fankui.tickets.attachments import open_attachment
from fankui.tickets.models import Attachment
from fankui.tickets.secrets import mask_secrets

log = logging.getLogger(__name__)

MAX_TEXT = 20_000  # characters kept; a screenshot of a whole log page needs no more

# RapidOCR's result rows are (box, text, score); the box is a list of corner points.
_Row = Sequence[object]


class _Engine(Protocol):
    def __call__(self, img: Image.Image) -> tuple[Sequence[_Row] | None, object]: ...


_lock = threading.Lock()  # one recognition at a time per process: the engine holds ~500 MB at peak


@lru_cache(maxsize=1)
def _engine() -> _Engine | None:
    """Load the models once per process (about 1 s); None when the package is not installed."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        log.warning("OCR engine unavailable (rapidocr-onnxruntime not installed): screenshots are kept without their text")
        return None
    engine: _Engine = RapidOCR()
    return engine


def _upright_rgb(source: Path | IO[bytes]) -> Image.Image:
    """The first frame, turned per EXIF, transparency on white: what a person sees."""
    with Image.open(source) as img:
        upright = ImageOps.exif_transpose(img)
        if upright.mode in ("RGBA", "LA", "P", "PA"):
            rgba = upright.convert("RGBA")
            flat = Image.new("RGB", rgba.size, "white")
            flat.paste(rgba, mask=rgba.getchannel("A"))
            return flat
        return upright.convert("RGB")


def extract_text(source: Path | IO[bytes]) -> str:
    """The text in an image (a path or an open file), one detected line per line, top to bottom; "" if none
    or no engine."""
    name = getattr(source, "name", source)
    engine = _engine()
    if engine is None:
        log.info("OCR skipped for %s: no engine", name)
        return ""
    try:
        image = _upright_rgb(source)
        with _lock:
            rows, _timings = engine(image)
    except Exception:  # a screenshot the engine chokes on must not kill the worker loop
        log.exception("OCR failed for %s", name)
        return ""
    return "\n".join(str(row[1]).strip() for row in rows or () if str(row[1]).strip())[:MAX_TEXT]


def ocr_attachment(attachment_id: int) -> str:
    """Read an image attachment's text into Attachment.ocr_text (masked like a description); return it.

    Meant for the background worker after the ticket is committed. Files that are not images, and
    attachments deleted meanwhile, are skipped. A row whose bytes storage cannot give raises
    FileNotFoundError, so the worker retries instead of dropping the screenshot.
    """
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None or not attachment.content_type.startswith("image/"):
        return ""
    with open_attachment(attachment) as stored:
        # A screenshot of a chat can show a typed password; the text feeds search and notices.
        text = mask_secrets(extract_text(stored)).text
    if text:
        Attachment.objects.filter(pk=attachment_id).update(ocr_text=text)
    return text
