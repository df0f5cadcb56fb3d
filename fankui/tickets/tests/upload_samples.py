"""Sample uploads generated in code, so no binary fixtures live in the repository."""
from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont


def image_bytes(fmt: str, size: tuple[int, int] = (40, 30), *, mode: str = "RGB", orientation: int | None = None) -> bytes:
    """A small solid image; `orientation` writes an EXIF Orientation tag (JPEG only)."""
    out = io.BytesIO()
    img = Image.new(mode, size, "red")
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        img.save(out, fmt, exif=exif.tobytes())
    else:
        img.save(out, fmt)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A well-formed, ~60-byte PNG whose header claims width×height pixels (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"")) + _chunk(b"IEND", b"")


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
LOG_UTF8 = "2024-05-06 09:12:01 ERROR 金蝶EAS 登录失败：用户名或密码错误\n".encode()
LOG_GB18030 = "2024-05-06 09:12:01 错误 明源ERP 同步失败\r\n".encode("gb18030")
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"


# Debian's fonts-noto-cjk; Pillow's built-in font has no Chinese glyphs.
CJK_FONTS = ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"]


def error_dialog() -> bytes:
    """A 420×150 Windows-style error dialog, as reporters screenshot it."""
    # dev.py test installs fonts-noto-cjk; a missing font is a broken test machine, not a skip.
    font_path = next(p for p in CJK_FONTS if Path(p).exists())
    font = ImageFont.truetype(font_path, 14, index=2 if font_path.endswith(".ttc") else 0)
    img = Image.new("RGB", (420, 150), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 0, 420, 30], fill=(0, 90, 170))
    draw.text((10, 7), "金蝶EAS", font=font, fill="white")
    draw.text((60, 55), "登录失败：用户名或密码错误", font=font, fill="black")
    draw.rectangle([320, 110, 400, 136], outline=(120, 120, 120), fill=(230, 230, 230))
    draw.text((346, 114), "确定", font=font, fill="black")
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()
