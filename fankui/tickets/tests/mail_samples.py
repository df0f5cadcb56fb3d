"""Raw mails shaped like the ones Chinese mail clients send, generated in code.

Each builder writes the bytes by hand (not with `email.message`), because the point is to
reproduce what Foxmail, Outlook, QQ Mail and WeCom mail really put on the wire, including
the parts that break the RFCs: "gb2312" labels on GBK text, RFC 2047 words inside quoted
filenames, HTML-only bodies.
"""
from __future__ import annotations

import base64
import io
import quopri
from collections.abc import Mapping, Sequence

from PIL import Image

CRLF = "\r\n"
DATE = "Wed, 25 Nov 2026 10:30:12 +0800"


def png_bytes(width: int = 40, height: int = 30) -> bytes:
    """A real, small PNG screenshot."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def word(text: str, *, label: str = "gb2312", codec: str = "gbk") -> str:
    """An RFC 2047 B-word, labelled as the client labels it, encoded as the client encodes it."""
    return f"=?{label}?B?{base64.b64encode(text.encode(codec)).decode()}?="


def _b64(data: bytes) -> str:
    encoded = base64.b64encode(data).decode()
    return CRLF.join(encoded[i : i + 76] for i in range(0, len(encoded), 76))


def _qp(data: bytes) -> str:
    return quopri.encodestring(data).decode("ascii").replace("\n", CRLF)


def _headers(
    *,
    sender: str,
    subject: str,
    message_id: str,
    to: str = "1@einyun.com",
    in_reply_to: str | None = None,
    references: str | None = None,
    extra: Mapping[str, str] | None = None,
) -> list[str]:
    lines = [f"Date: {DATE}", f"From: {sender}", f"To: {to}", f"Subject: {subject}"]
    if message_id:
        lines.append(f"Message-ID: {message_id}")
    if in_reply_to:
        lines.append(f"In-Reply-To: {in_reply_to}")
    if references:
        lines.append(f"References: {references}")
    lines += [f"{k}: {v}" for k, v in (extra or {}).items()]
    return [*lines, "MIME-Version: 1.0"]


def foxmail_gbk(
    *,
    address: str,
    name: str,
    subject: str,
    body: str,
    message_id: str,
    attachments: Sequence[tuple[str, bytes]] = (),
    in_reply_to: str | None = None,
    references: str | None = None,
    extra: Mapping[str, str] | None = None,
) -> bytes:
    """Foxmail 7.2 on a Chinese Windows: GBK everywhere, labelled gb2312, filenames as RFC 2047 in quotes."""
    head = _headers(
        sender=f'"{word(name)}" <{address}>',
        subject=word(subject),
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
        extra={"X-Priority": "3", "X-Has-Attach": "yes" if attachments else "no", "X-Mailer": "Foxmail 7.2.25.228[cn]", **(extra or {})},
    )
    html = "<html><head><meta http-equiv=\"content-type\" content=\"text/html; charset=gb2312\"><style>body { font-size: 10.5pt; font-family: 微软雅黑; }</style></head><body>"
    html += "".join(f"<div>{line or '<br>'}</div>" for line in body.split("\n")) + "</body></html>"
    parts = [
        "This is a multi-part message in MIME format.",
        "",
        "------=_001_NextPart572182624333_=----",
        'Content-Type: multipart/alternative; boundary="----=_002_NextPart572182624333_=----"',
        "",
        "------=_002_NextPart572182624333_=----",
        'Content-Type: text/plain; charset="gb2312"',
        "Content-Transfer-Encoding: base64",
        "",
        _b64(body.replace("\n", CRLF).encode("gbk")),
        "",
        "------=_002_NextPart572182624333_=----",
        'Content-Type: text/html; charset="gb2312"',
        "Content-Transfer-Encoding: quoted-printable",
        "",
        _qp(html.encode("gbk")),
        "",
        "------=_002_NextPart572182624333_=------",
        "",
    ]
    for filename, data in attachments:
        parts += [
            "------=_001_NextPart572182624333_=----",
            f'Content-Type: application/octet-stream; name="{word(filename)}"',
            "Content-Transfer-Encoding: base64",
            f'Content-Disposition: attachment; filename="{word(filename)}"',
            "",
            _b64(data),
            "",
        ]
    parts.append("------=_001_NextPart572182624333_=------")
    return CRLF.join([*head, 'Content-Type: multipart/mixed; boundary="----=_001_NextPart572182624333_=----"', "", *parts, ""]).encode("ascii")


def outlook_html_only(*, address: str, name: str, subject: str, html_body: str, message_id: str, extra: Mapping[str, str] | None = None) -> bytes:
    """Outlook 2016 (zh-CN) sending HTML only: Word markup, <o:p>, conditional comments, gb2312 label, QP."""
    html = (
        '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
        '<head><meta http-equiv=Content-Type content="text/html; charset=gb2312">'
        '<meta name=Generator content="Microsoft Word 15 (filtered medium)">'
        "<style><!--\n/* Font Definitions */\n@font-face {font-family:等线;}\np.MsoNormal {margin:0cm; font-size:10.5pt;}\n--></style>"
        '<!--[if gte mso 9]><xml><o:shapedefaults v:ext="edit" spidmax="1026" /></xml><![endif]--></head>'
        '<body lang=ZH-CN link="#0563C1" vlink="#954F72"><div class=WordSection1>'
        f"{html_body}"
        "</div><script>document.write('tracking')</script></body></html>"
    )
    head = _headers(
        sender=f'"{word(name)}" <{address}>',
        subject=word(subject),
        message_id=message_id,
        extra={"Thread-Index": "AdsWTQ1vE5xq8Xw4S0KpYc0uOqZ2Aw==", "X-Mailer": "Microsoft Outlook 16.0", "Content-Language": "zh-cn", **(extra or {})},
    )
    return CRLF.join(
        [*head, 'Content-Type: text/html; charset="gb2312"', "Content-Transfer-Encoding: quoted-printable", "", _qp(html.encode("gbk")), ""]
    ).encode("ascii")


def big5_plain(*, address: str, name: str, subject: str, body: str, message_id: str) -> bytes:
    """Outlook on a Traditional Chinese Windows: Big5 body and subject, quoted-printable."""
    head = _headers(sender=f'"{word(name, label="big5", codec="big5")}" <{address}>', subject=word(subject, label="big5", codec="big5"), message_id=message_id)
    return CRLF.join(
        [*head, 'Content-Type: text/plain; charset="big5"', "Content-Transfer-Encoding: quoted-printable", "", _qp(body.encode("big5")), ""]
    ).encode("ascii")


def utf8_plain(
    *,
    address: str,
    subject: str,
    body: str,
    message_id: str,
    name: str = "",
    in_reply_to: str | None = None,
    references: str | None = None,
    extra: Mapping[str, str] | None = None,
    attachments: Sequence[tuple[str, bytes]] = (),
) -> bytes:
    """QQ Mail / WeCom mail / phones: UTF-8 text; attachment names in RFC 2231 (filename*=utf-8'')."""
    sender = f'"{word(name, label="utf-8", codec="utf-8")}" <{address}>' if name else f"<{address}>"
    head = _headers(
        sender=sender, subject=word(subject, label="utf-8", codec="utf-8"), message_id=message_id, in_reply_to=in_reply_to, references=references, extra=extra
    )
    text = ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", "", _b64(body.replace("\n", CRLF).encode("utf-8"))]
    if not attachments:
        return CRLF.join([*head, *text, ""]).encode("ascii")
    from urllib.parse import quote

    boundary = "----=_NextPart_6747E3A1_0F0C5B40_3C2A1F6E"
    parts = [f"--{boundary}", *text, ""]
    for filename, data in attachments:
        parts += [
            f"--{boundary}",
            "Content-Type: application/octet-stream",
            "Content-Transfer-Encoding: base64",
            f"Content-Disposition: attachment;{CRLF} filename*=utf-8''{quote(filename)}",
            "",
            _b64(data),
            "",
        ]
    parts.append(f"--{boundary}--")
    return CRLF.join([*head, f'Content-Type: multipart/mixed; boundary="{boundary}"', "", *parts, ""]).encode("ascii")
