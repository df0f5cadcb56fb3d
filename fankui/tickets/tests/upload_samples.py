"""Sample uploads generated in code, so no binary fixtures live in the repository."""
from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


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
