"""Turn a raw mail, as Chinese mail clients really send it, into readable, model-free facts.

Nothing here touches the database: `parse_mail(raw)` gives a `ParsedMail` (sender, subject,
body text, thread Message-IDs, attachments, and why it is automated if it is), and the pieces
(`decode_bytes`, `decode_header_value`, `html_to_text`, `trim_quoted`, `strip_signature`, `ticket_refs`) are
tested on their own.

What real clients send, and what each part here is for:

- Foxmail, Outlook and QQ Mail label bodies and RFC 2047 words "gb2312" while writing GBK
  characters (镕, 喆, 玥 …) that GB2312 lacks. Python's strict gb2312 codec refuses those, so every
  GB label is decoded as GB18030, a superset. Big5 (Taiwan/HK colleagues) is decoded as cp950
  (Windows' Big5) and then Big5-HKSCS. A lying or missing label falls back to UTF-8, then GB18030.
- Headers are decoded by hand from the raw header text instead of through `policy.default`'s
  header objects, which decode a mislabelled GBK word with surrogate escapes (unreadable).
- Attachment names come as RFC 2231 (`filename*=gbk''%BD%D8…`), as RFC 2047 words inside quotes
  (`filename="=?GBK?B?…?="`, Outlook and Foxmail; not allowed by the RFC, sent anyway), or as
  raw 8-bit bytes. All three are read.
- Outlook and WeCom mail often send HTML only; it is turned into text with the stdlib
  `html.parser` (script/style dropped, line breaks kept at <br>, <p>, <div> …). Text inside a
  <blockquote> (Gmail, Apple Mail quoting) comes out "> "-prefixed so quote trimming sees it.
"""
from __future__ import annotations

import codecs
import email.message
import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

# Not \b: Chinese characters are word characters, and "关于FK251125-ABCDE的问题" must still match.
REF_PATTERN = re.compile(r"(?<![A-Za-z0-9])FK\d{6}-[A-Z2-9]{5}(?![A-Za-z0-9])", re.IGNORECASE)
# The Message-ID fankui puts on every notification mail (fankui.notify.channels.email.message_id_for).
OUR_MESSAGE_ID = re.compile(r"^<fankui\.(\d+)(?:\.(FK\d{6}-[A-Z2-9]{5}))?@[^>]+>$", re.IGNORECASE)

# --- charsets ---------------------------------------------------------------------------------

_GB_LABELS = {"gb2312", "gb_2312", "gb_2312-80", "gbk", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn", "x-euc-cn", "csgb2312", "chinese", "iso-ir-58", "gb18030"}
_BIG5_LABELS = {"big5", "big-5", "x-big5", "cn-big5", "csbig5", "cp950", "ms950", "windows-950", "big5-hkscs", "big5hkscs"}
_FALLBACKS = ("utf-8", "gb18030")


def _codecs_for(label: str | None) -> list[str]:
    """The codecs to try, in order, for a declared charset label (or none)."""
    name = (label or "").strip().strip('"').lower()
    if name in _GB_LABELS:
        chosen = ["gb18030"]
    elif name in _BIG5_LABELS:
        chosen = ["cp950", "big5hkscs"]
    elif name in {"", "us-ascii", "ascii", "unknown-8bit", "x-unknown"}:
        chosen = []  # ASCII labels on 8-bit text are common; let the fallbacks decide
    else:
        try:
            chosen = [codecs.lookup(name).name]
        except LookupError:
            chosen = []
    return [*chosen, *(c for c in _FALLBACKS if c not in chosen)]


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Decode mail text by its label, trusting GB18030 for every GB label and surviving lies."""
    tries = _codecs_for(charset)
    for codec in tries:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode(tries[0], errors="replace")


def _unsurrogate(text: str) -> str:
    """Raw 8-bit header bytes arrive as surrogate escapes; read them as UTF-8 or GB18030."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    return decode_bytes(text.encode("utf-8", "surrogateescape"), None)


def _unfold(value: str) -> str:
    return re.sub(r"\r?\n(?=[ \t])", "", value)


def decode_header_value(raw: str) -> str:
    """Decode an RFC 2047 header (or one of raw 8-bit bytes) to text, with fankui's charset rules."""
    value = _unsurrogate(_unfold(raw))
    if "=?" not in value:
        return re.sub(r"\s+", " ", value).strip()
    parts = []
    for chunk, charset in decode_header(value):
        if isinstance(chunk, str):
            parts.append(chunk)
        elif charset is None:
            parts.append(decode_bytes(chunk, "utf-8"))
        else:
            parts.append(decode_bytes(chunk, charset))
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _raw_header(msg: Message, name: str) -> str | None:
    """A header's raw text as received (policy.default would decode it its own way)."""
    wanted = name.lower()
    for key, value in msg.raw_items():
        if key.lower() == wanted:
            return str(value)
    return None


def _raw_headers(msg: Message, name: str) -> list[str]:
    wanted = name.lower()
    return [str(value) for key, value in msg.raw_items() if key.lower() == wanted]


def header(msg: Message, name: str) -> str:
    raw = _raw_header(msg, name)
    return decode_header_value(raw) if raw is not None else ""


# --- HTML → text ------------------------------------------------------------------------------

_SKIP_TAGS = {"script", "style", "head", "title", "template", "noscript"}
_BLOCK_TAGS = {
    "p", "div", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr",
    "section", "article", "header", "footer", "address", "dd", "dt", "dl", "blockquote", "center", "body",
}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.current_quoted = False
        self.skip = 0
        self.quote = 0
        self.pre = 0

    def _newline(self) -> None:
        line = "".join(self.current).strip()
        self.lines.append(f"> {line}" if self.current_quoted and line else line)
        self.current = []
        self.current_quoted = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag == "br":
            self._newline()
        elif tag in _BLOCK_TAGS:
            if self.current:
                self._newline()
            if tag == "blockquote":
                self.quote += 1
            elif tag == "pre":
                self.pre += 1
        elif tag in {"td", "th"} and self.current:
            self.current.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._newline()
        elif tag == "hr" and self.current:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            if self.current:
                self._newline()
            if tag == "blockquote":
                self.quote = max(0, self.quote - 1)
            elif tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre:
            for i, piece in enumerate(data.split("\n")):
                if i:
                    self._newline()
                self._append(piece)
            return
        self._append(re.sub(r"[ \t\r\n\f]+", " ", data))

    def _append(self, text: str) -> None:
        if not text:
            return
        if not self.current:
            self.current_quoted = self.quote > 0
            text = text.lstrip(" ")
        self.current.append(text)

    def text(self) -> str:
        if self.current:
            self._newline()
        return _tidy("\n".join(self.lines))


def html_to_text(html: str) -> str:
    """Readable text from an HTML mail body: no markup, no script/style, line breaks kept."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return parser.text()


def _tidy(text: str) -> str:
    """Normalise newlines and spaces, drop invisible characters, keep at most one blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ").replace("\u3000", " ")
    text = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff]", "", text)
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


# --- quoted replies and signatures --------------------------------------------------------------

_CUT_LINES = (
    re.compile(r"^-{2,}\s*原始邮件\s*-{2,}$"),
    re.compile(r"^-{2,}\s*(original message|forwarded message|转发邮件信息|转发的邮件|回复的原邮件)\s*-{2,}$", re.IGNORECASE),
    re.compile(r"^(发自我的|来自我的|sent from my |发自企业微信|来自企业微信|发自网易邮箱|来自网易邮箱|发自手机QQ邮箱|来自QQ邮箱)", re.IGNORECASE),
    re.compile(r"^--$"),  # "-- " (RFC 3676), its trailing space usually lost on the way
)
_WROTE = (
    re.compile(r"^在.{0,200}写道\s*[:：]$"),
    re.compile(r"^On\b.{0,300}\bwrote\s*:$", re.IGNORECASE),
    re.compile(r"^.{0,200}于\s*\d{4}\s*年.{0,100}写道\s*[:：]$"),  # Gmail in Chinese
)
_FROM_LINE = re.compile(r"^\**\s*(发件人|from)\s*\**\s*[:：]", re.IGNORECASE)
_HEADER_LINE = re.compile(r"^\**\s*(发送时间|发送日期|日期|时间|收件人|抄送|主题|sent|date|to|cc|subject)\s*\**\s*[:：]", re.IGNORECASE)
_RULE_LINE = re.compile(r"^[\s_\-=─—*]+$")


def _is_wrote_line(lines: Sequence[str], i: int) -> bool:
    """"在 … 写道：" / "On … wrote:", which clients may wrap onto a second line."""
    line = lines[i].strip()
    joined = f"{line} {lines[i + 1].strip()}" if i + 1 < len(lines) else line
    return any(p.match(line) or (p.match(joined) and not p.match(lines[i + 1].strip())) for p in _WROTE)


def _is_from_block(lines: Sequence[str], i: int) -> bool:
    """A "发件人: / From:" line followed within a few lines by another quoted-header line."""
    if not _FROM_LINE.match(lines[i].strip()):
        return False
    return any(_HEADER_LINE.match(line.strip()) for line in lines[i + 1 : i + 5])


def trim_quoted(text: str) -> str:
    """The new part of a reply: drop what follows a quote/signature marker and "> " lines.

    A bottom-poster (who answers below "On … wrote:") would lose everything to the cut, so when
    the cut leaves nothing, the text is kept with only the quoted lines and markers removed.
    """
    lines = text.split("\n")
    kept: list[str] = []
    cut_at = None
    for i, line in enumerate(lines):
        s = line.strip()
        if any(p.match(s) for p in _CUT_LINES) or _is_wrote_line(lines, i) or _is_from_block(lines, i):
            cut_at = i
            break
        if s.startswith(">") or s.startswith("＞"):
            continue
        kept.append(line)
    result = _strip_rules(kept)
    if result or cut_at is None:
        return result
    rest = [
        line
        for i, line in enumerate(lines)
        if not line.strip().startswith((">", "＞"))
        and not _is_wrote_line(lines, i)
        and not any(p.match(line.strip()) for p in _CUT_LINES)
    ]
    return _strip_rules(rest)


# A sign-off block most clients add with no "-- " above it: a few short lines after a blank line, one
# of them a phone number (mainland mobile, landline with area code, Hong Kong 8 digits), or a
# confidentiality notice. Only the last paragraphs are looked at; the whole mail stays with handlers.
_PHONE = re.compile(r"(?<![\d-])(?:\+?86[\s-]?)?(?:1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}[\s-]?\d{7,8}|(?:\+?852[\s-]?)?\d{4}[\s-]\d{4})(?![\d-])")
_SIGNOFF_WORD = re.compile(r"手机|电话|座机|分机|传真|Tel|Mobile|Mob|Phone|Fax", re.IGNORECASE)
_DISCLAIMER = re.compile(
    r"(本邮件|此邮件|本电子邮件|this e-?mail|this message).{0,120}(保密|机密|confidential|privileged)"
    r"|(保密|机密|confidential|privileged).{0,120}(本邮件|此邮件|本电子邮件|this e-?mail|this message)",
    re.IGNORECASE | re.DOTALL,
)
_SENTENCE = re.compile(r"[，。！？；,!?;]")
# What makes a block of short lines with a phone the sender's card rather than report details
# ("业主：陈女士 / 电话：137… / 房号：3栋1201" stays): their name, a job title or unit, an address.
_CARD_WORD = re.compile(
    r"经理|主管|专员|工程师|顾问|总监|主任|助理|科长|部长|客服|部$|部\s|中心|公司|集团|Manager|Engineer|Director|Dept|Department|@|www\.|https?://",
    re.IGNORECASE,
)
MAX_SIGNATURE_LINES = 6
MAX_SIGNATURE_LINE = 50


def _is_signature(paragraph: str, name: str) -> bool:
    lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
    if _DISCLAIMER.search(paragraph) and len(paragraph) <= 800:
        return True
    if not lines or len(lines) > MAX_SIGNATURE_LINES or any(len(line) > MAX_SIGNATURE_LINE for line in lines):
        return False
    if not any(_PHONE.search(line) for line in lines):
        return False
    # One line alone must read like a sign-off ("手机 139…", "张三 | 客服部 | 139…"), not a sentence
    # ("请回电 139…，谢谢").
    if len(lines) > 1:
        return bool(_CARD_WORD.search(paragraph)) or bool(name and name in paragraph)
    line = lines[0]
    return not _SENTENCE.search(line) and (bool(_SIGNOFF_WORD.search(line)) or len(re.split(r"\s*[|｜]\s*", line)) >= 3)


def strip_signature(text: str, name: str = "") -> str:
    """The text without a trailing signature (`name`: the sender's) or confidentiality notice; never the
    only paragraph."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    while len(paragraphs) > 1 and _is_signature(paragraphs[-1], name.strip()):
        paragraphs.pop()
    return "\n\n".join(paragraphs)


def _strip_rules(lines: list[str]) -> str:
    """Drop the trailing blank and separator lines (Outlook's "_____" above its From: block)."""
    while lines and (not lines[-1].strip() or _RULE_LINE.match(lines[-1])):
        lines.pop()
    return _tidy("\n".join(lines))


# --- automated mail -------------------------------------------------------------------------------

# "外出"/"休假" only as Exchange's "外出: …" prefix: "外出打卡定位失败" is a real report.
_AUTO_SUBJECT = re.compile(
    r"^\s*[\[【(（]?\s*((外出|休假)\s*[:：\]】)）]|自动回复|自动答复|自动应答|auto[\s-]?reply|automatic reply|autoreply|auto response|out of (the )?office"
    r"|undeliverable|undelivered mail|delivery status notification|mail delivery failed|退信|系统退信|投递失败)",
    re.IGNORECASE,
)
_BOUNCE_SENDERS = re.compile(r"^(mailer-daemon|postmaster|noreply-dmarc|no-reply-dmarc)@", re.IGNORECASE)


def automated_reason(msg: Message, *, subject: str, sender: str, envelope_from: str | None) -> str:
    """Why this mail was written by a machine (auto-reply, bounce, list, our own), or "" for a person.

    Such mail is never answered or filed: answering an auto-responder is how mail loops start.
    """
    if _raw_header(msg, "X-Fankui-Ticket") is not None:
        return "loop: our own notification (X-Fankui-Ticket)"
    if OUR_MESSAGE_ID.match(header(msg, "Message-ID")):
        return "loop: our own Message-ID"
    # Bounces first: a DSN often says Auto-Submitted too, and a bounce is what it is (a lost notice).
    return_path = _raw_header(msg, "Return-Path")
    if (return_path is not None and return_path.strip() == "<>") or envelope_from in ("", "<>"):
        return "bounce: empty return path"
    if _BOUNCE_SENDERS.match(sender):
        return f"bounce: sender {sender}"
    if msg.get_content_type() == "multipart/report" and str(msg.get_param("report-type", "")).lower() == "delivery-status":
        return "bounce: delivery status report"
    auto = header(msg, "Auto-Submitted").lower()
    if auto and not auto.startswith("no"):
        return f"auto-submitted: {auto[:40]}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Reply"):
        if _raw_header(msg, name) is not None:
            return f"auto-reply header: {name}"
    precedence = header(msg, "Precedence").lower()
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return f"precedence: {precedence}"
    if _raw_header(msg, "List-Id") is not None:
        return "mailing list (List-Id)"
    if _AUTO_SUBJECT.match(subject):
        return f"auto-reply subject: {subject[:40]}"
    return ""


def spam_verdict(msg: Message) -> str:
    """The receiving server's own spam verdict (SpamAssassin, Tencent Exmail/QQ), or ""."""
    if header(msg, "X-Spam-Flag").strip().lower() == "yes":
        return "X-Spam-Flag: YES"
    if header(msg, "X-Spam-Status").strip().lower().startswith("yes"):
        return "X-Spam-Status: Yes"
    if header(msg, "X-QQ-SPAM").strip().lower() in {"true", "yes", "1"}:
        return "X-QQ-SPAM"
    return ""


# --- the whole mail ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MailAttachment:
    filename: str
    content_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class ParsedMail:
    """One received mail, decoded. `automated` says why it must be dropped ("" for a person's mail)."""

    message_id: str
    sender: str  # lower-cased address, "" when there is none
    sender_name: str
    subject: str
    text: str
    in_reply_to: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    attachments: tuple[MailAttachment, ...] = ()
    automated: str = ""
    urgent: bool = False
    spam: str = ""  # why the receiving server called it spam, or ""
    recipients: tuple[str, ...] = ()  # To, Cc, Delivered-To, X-Original-To and the SMTP envelope's RCPT TO
    authentication_results: tuple[str, ...] = ()  # as stamped by the receiving MTAs (RFC 8601)

    @property
    def reply_text(self) -> str:
        """The body without quoted history and signature: what a reply adds."""
        return strip_signature(trim_quoted(self.text), self.sender_name)

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """The Message-IDs this mail answers, nearest first (In-Reply-To, then References backwards)."""
        seen: dict[str, None] = {}
        for mid in (*self.in_reply_to, *reversed(self.references)):
            seen.setdefault(mid, None)
        return tuple(seen)

    @property
    def subject_refs(self) -> tuple[str, ...]:
        return ticket_refs(self.subject)

    @property
    def idempotency_key(self) -> str:
        """"mail:" + Message-ID: a redelivered mail files nothing twice (IdempotencyKey.key ≤ 100)."""
        if self.message_id and len(self.message_id) <= 95:
            return f"mail:{self.message_id}"
        basis = self.message_id or f"{self.sender}\n{self.subject}\n{self.text}"
        return f"mail:sha256:{hashlib.sha256(basis.encode()).hexdigest()}"


def ticket_refs(text: str) -> tuple[str, ...]:
    """Ticket references (FK251125-ABCDE) in a text, upper-cased, in order, without repeats."""
    return tuple(dict.fromkeys(m.upper() for m in REF_PATTERN.findall(text)))


def ref_from_message_id(message_id: str) -> str | None:
    """The ticket ref inside one of our Message-IDs (<fankui.{notice}.{ref}@domain>), if any."""
    match = OUR_MESSAGE_ID.match(message_id.strip())
    return match.group(2).upper() if match and match.group(2) else None


def _message_ids(value: str) -> tuple[str, ...]:
    return tuple(re.findall(r"<[^<>\s]+>", value))


def _param(part: Message, name: str, header_name: str) -> str:
    """A Content-Type/Disposition parameter: RFC 2231, RFC 2047-in-quotes or raw 8-bit, decoded."""
    raw = _raw_header(part, header_name)
    if raw is None:
        return ""
    holder = email.message.Message()  # compat32 parameter parsing of the raw text
    holder[header_name] = _unfold(raw)
    value = holder.get_param(name, header=header_name)
    if value is None or value == "":
        return ""
    if isinstance(value, tuple):  # RFC 2231: (charset, language, %-decoded latin-1 text)
        charset, _, text = value
        return decode_bytes(str(text).encode("latin-1", "replace"), charset or "utf-8").strip()
    return decode_header_value(str(value))


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    return decode_bytes(payload, part.get_content_charset())


_TYPE_EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp", "application/pdf": ".pdf", "text/plain": ".txt"}


def _attachments(msg: Message, body: Message | None) -> Iterator[MailAttachment]:
    """Every leaf part that is a file: named parts and non-text parts (inline screenshots included).

    QQ Mail and Foxmail send a pasted screenshot as an unnamed inline image in multipart/related:
    it is the evidence, so it is kept under a generated name.
    """
    count = 0
    for part in msg.walk():
        if part.is_multipart() or part is body:
            continue
        ctype = part.get_content_type()
        filename = _param(part, "filename", "Content-Disposition") or _param(part, "name", "Content-Type")
        disposition = (part.get_content_disposition() or "").lower()
        if not filename and ctype.startswith(("text/", "message/")) and disposition != "attachment":
            continue  # the other half of multipart/alternative, or a forwarded message's body
        if ctype == "message/rfc822" or ctype.startswith("multipart/"):
            continue  # its own parts are walked too
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            continue
        count += 1
        if not filename:
            filename = f"附件{count}{_TYPE_EXTENSIONS.get(ctype, '')}"
        yield MailAttachment(filename=filename, content_type=ctype, data=data)


def _is_urgent(msg: Message) -> bool:
    """Foxmail's "紧急" flag and Outlook's "high importance" both arrive as these headers."""
    priority = header(msg, "X-Priority")
    return priority[:1] in {"1", "2"} or header(msg, "Importance").lower() == "high" or header(msg, "Priority").lower() == "urgent"


def parse_mail(raw: bytes, *, envelope_from: str | None = None, envelope_to: Sequence[str] = ()) -> ParsedMail:
    """Decode a raw RFC 5322 mail. `envelope_from` is SMTP's MAIL FROM ("" for a bounce), `envelope_to`
    its RCPT TO addresses."""
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    raw_from = _raw_header(msg, "From") or ""
    name, address = parseaddr(_unsurrogate(_unfold(raw_from)))
    sender = address.strip().lower() if "@" in address else ""
    subject = header(msg, "Subject")
    body = msg.get_body(preferencelist=("plain", "html")) if isinstance(msg, EmailMessage) else None
    if body is None:
        text = ""
    elif body.get_content_type() == "text/html":
        text = html_to_text(_part_text(body))
    else:
        text = _tidy(_part_text(body))
    message_id = _message_ids(header(msg, "Message-ID"))
    return ParsedMail(
        message_id=message_id[0] if message_id else "",
        sender=sender,
        sender_name=decode_header_value(name) if name else "",
        subject=subject,
        text=text,
        in_reply_to=_message_ids(" ".join(_raw_headers(msg, "In-Reply-To"))),
        references=_message_ids(" ".join(_raw_headers(msg, "References"))),
        attachments=tuple(_attachments(msg, body)),
        automated=automated_reason(msg, subject=subject, sender=sender, envelope_from=envelope_from),
        urgent=_is_urgent(msg),
        spam=spam_verdict(msg),
        recipients=(*envelope_to, *_addresses(msg, "To", "Cc", "Delivered-To", "X-Original-To")),
        authentication_results=tuple(_unfold(value) for value in _raw_headers(msg, "Authentication-Results")),
    )


def _addresses(msg: Message, *names: str) -> tuple[str, ...]:
    values = [_unsurrogate(_unfold(value)) for name in names for value in _raw_headers(msg, name)]
    return tuple(address.lower() for _, address in getaddresses(values) if "@" in address)
