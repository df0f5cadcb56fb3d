"""Mailbox intake over IMAP: the helpdesk mailbox on 腾讯企业邮箱 (imap.exmail.qq.com) or any IMAP server.

Where the group cannot point its mail at the SMTP listener, fankui logs into the mailbox instead. One
pass (`fetch_mailbox`): every message in FANKUI_IMAP_FOLDER goes through the same intake as the
listener's (`intake.handle_raw`), then moves to FANKUI_IMAP_DONE_FOLDER. Run by `fankui mail-fetch`
(once, or `--watch`) and by the worker every minute when FANKUI_IMAP_HOST is set.

At least once, never twice: a message leaves the folder only after it was filed (or deliberately
dropped or held). A worker that dies between filing and moving leaves it there; the next pass files it
again, and the Message-ID idempotency key makes that a duplicate, which is then moved. A message whose
filing fails (the database is down) stays for the next pass.

The mailbox password comes from the environment or a mounted file (FANKUI_IMAP_PASSWORD_FILE): it is
never written to the database or the data folder, never logged, and not shown by repr(). TLS (imaps,
port 993) is on unless FANKUI_IMAP_TLS=0; FANKUI_IMAP_CA_FILE names a private CA to trust.
"""
from __future__ import annotations

import base64
import imaplib
import logging
import re
import ssl
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings

from fankui.tickets.mail.intake import MailResult, RateGuard, handle_raw

log = logging.getLogger(__name__)

TIMEOUT = 30
BATCH = 200  # messages per pass: a backlog drains over a few passes instead of one long login


class MailboxError(Exception):
    """The mailbox could not be reached, logged into or used; says which, never the password."""


@dataclass(frozen=True)
class Mailbox:
    """Where to fetch from, read from settings at call time."""

    host: str
    port: int
    user: str
    password: str = field(repr=False)
    folder: str = "INBOX"
    done_folder: str = "fankui-done"
    tls: bool = True
    ca_file: str = ""

    @classmethod
    def from_settings(cls) -> Mailbox | None:
        """The configured mailbox, or None when FANKUI_IMAP_HOST is not set."""
        if not settings.FANKUI_IMAP_HOST:
            return None
        return cls(
            host=settings.FANKUI_IMAP_HOST,
            port=settings.FANKUI_IMAP_PORT or (993 if settings.FANKUI_IMAP_TLS else 143),
            user=settings.FANKUI_IMAP_USER,
            password=settings.FANKUI_IMAP_PASSWORD,
            folder=settings.FANKUI_IMAP_FOLDER,
            done_folder=settings.FANKUI_IMAP_DONE_FOLDER,
            tls=settings.FANKUI_IMAP_TLS,
            ca_file=settings.FANKUI_IMAP_CA_FILE,
        )

    @property
    def address(self) -> str:
        """The mailbox's own address, when its login is one: the mail in it was delivered to it."""
        return self.user if "@" in self.user else ""


@dataclass
class FetchReport:
    """What one pass did: intake outcomes by action, messages moved, messages left for the next pass."""

    outcomes: Counter[str] = field(default_factory=Counter)
    moved: int = 0
    left: int = 0

    def __str__(self) -> str:
        done = "，".join(f"{action} {n}" for action, n in sorted(self.outcomes.items())) or "无新邮件"
        return f"{done}；已移到处理完文件夹 {self.moved} 封" + (f"；{self.left} 封留待下次" if self.left else "")


def folder_name(name: str) -> str:
    """A folder name as IMAP wants it: modified UTF-7 (RFC 3501 § 5.1.3) for Chinese names, quoted."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            encoded = base64.b64encode("".join(pending).encode("utf-16-be")).decode().rstrip("=").replace("/", ",")
            out.append(f"&{encoded}-")
            pending.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending.append(ch)
    flush()
    quoted = "".join(out).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}"'


@contextmanager
def connect(mailbox: Mailbox) -> Iterator[imaplib.IMAP4]:
    """A logged-in IMAP session with the folder selected; logged out at the end of the block."""
    try:
        if mailbox.tls:
            context = ssl.create_default_context(cafile=mailbox.ca_file or None)
            client: imaplib.IMAP4 = imaplib.IMAP4_SSL(mailbox.host, mailbox.port, ssl_context=context, timeout=TIMEOUT)
        else:
            client = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=TIMEOUT)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError(f"cannot reach {mailbox.host}:{mailbox.port}: {exc}") from exc
    try:
        try:
            client.login(mailbox.user, mailbox.password)
        except imaplib.IMAP4.error as exc:
            raise MailboxError(f"login refused for {mailbox.user} on {mailbox.host}") from exc
        status, detail = client.select(folder_name(mailbox.folder))
        if status != "OK":
            raise MailboxError(f"cannot open folder {mailbox.folder!r}: {detail!r}")
        yield client
    finally:
        try:
            client.logout()
        except (OSError, imaplib.IMAP4.error):
            pass


def pending_uids(client: imaplib.IMAP4) -> list[bytes]:
    status, data = client.uid("SEARCH", None, "ALL")
    if status != "OK":
        raise MailboxError(f"search failed: {data!r}")
    return data[0].split()[:BATCH] if data and data[0] else []


def file_message(client: imaplib.IMAP4, uid: bytes, mailbox: Mailbox, *, guard: RateGuard | None = None) -> MailResult:
    """Fetch one message (without marking it read) and put it through the intake."""
    status, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
    raw = next((part[1] for part in data if isinstance(part, tuple)), None) if status == "OK" else None
    if not isinstance(raw, bytes):
        raise MailboxError(f"cannot fetch message {uid.decode()}: {data!r}")
    return handle_raw(raw, envelope_to=(mailbox.address,) if mailbox.address else (), guard=guard)


def move_done(client: imaplib.IMAP4, uid: bytes, mailbox: Mailbox) -> None:
    """Move a handled message to the done folder (MOVE, or COPY + delete where the server lacks MOVE)."""
    target = folder_name(mailbox.done_folder)
    if "MOVE" in client.capabilities:
        status, data = client.uid("MOVE", uid, target)
    else:
        status, data = client.uid("COPY", uid, target)
        if status == "OK":
            client.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)")
            client.expunge()
    if status != "OK":
        raise MailboxError(f"cannot move message {uid.decode()} to {mailbox.done_folder!r}: {data!r}")


def _ensure_done_folder(client: imaplib.IMAP4, mailbox: Mailbox) -> None:
    status, data = client.list('""', folder_name(mailbox.done_folder))
    if status == "OK" and any(data):
        return
    status, data = client.create(folder_name(mailbox.done_folder))
    if status != "OK":
        raise MailboxError(f"cannot create folder {mailbox.done_folder!r}: {data!r}")


def fetch_mailbox(mailbox: Mailbox, *, guard: RateGuard | None = None) -> FetchReport:
    """One pass over the mailbox: file every waiting message, move each one that was handled."""
    report = FetchReport()
    with connect(mailbox) as client:
        uids = pending_uids(client)
        if uids:
            _ensure_done_folder(client, mailbox)
        for uid in uids:
            try:
                result = file_message(client, uid, mailbox, guard=guard)
            except MailboxError:
                raise
            except Exception:
                log.exception("mailbox intake: message %s could not be filed; it stays for the next pass", uid.decode())
                report.left += 1
                continue
            report.outcomes[result.action] += 1
            move_done(client, uid, mailbox)
            report.moved += 1
    if report.moved or report.left:
        log.info("mailbox %s on %s: %s", mailbox.user, mailbox.host, re.sub(r"\s+", " ", str(report)))
    return report


def watch_mailbox(mailbox: Mailbox, stop: threading.Event, *, interval: float = 30, report: Callable[[str], None] = log.info) -> None:
    """Fetch, then wait `interval` seconds, until `stop` is set; an unreachable mailbox is tried again."""
    guard = RateGuard()
    while not stop.is_set():
        try:
            report(f"{mailbox.user}@{mailbox.host}：{fetch_mailbox(mailbox, guard=guard)}")
        except MailboxError as exc:
            report(f"收取邮件失败，稍后重试：{exc}")
        stop.wait(interval)
