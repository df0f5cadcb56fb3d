"""The SMTP listener that receives mail for fankui (aiosmtpd).

Why an SMTP listener rather than polling a mailbox over IMAP: the guide's customer-service
mailbox (1@einyun.com) can forward, or an MX record can route, to this listener, so mail
arrives the moment it is sent (no polling delay), nothing needs a mailbox password stored in
fankui, it works offline on the intranet, and the sending MTA keeps and retries a mail we answer
with a 4xx — a crash loses nothing. Tests run a real server on loopback.

Answers: 250 for every mail that was filed, recognised as a duplicate, or deliberately dropped
(auto-replies must not bounce: a bounce to an auto-responder is a mail loop). 451 when filing
failed (e.g. the database is down), so the sending MTA retries later; the Message-ID
idempotency key makes that retry safe.
"""
from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.controller import Controller
from django.db import connections

from fankui.tickets.mail.intake import MailResult, RateGuard, handle_raw

log = logging.getLogger(__name__)

MAX_MAIL_BYTES = 30 * 1024 * 1024  # ten 2–3 MB screenshots, base64-encoded (+33 %)


class MailIntakeHandler:
    """aiosmtpd handler: each mail is filed in one worker thread, one at a time.

    The ORM is synchronous and must not run on the event loop; a single worker thread keeps
    filing serial (SQLite-friendly, and two mails of one thread never race each other).
    """

    def __init__(self, *, guard: RateGuard | None = None) -> None:
        self.guard = guard or RateGuard()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mail-intake")

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(self._executor, self._file, raw, envelope.mail_from, list(envelope.rcpt_tos))
        except Exception:
            log.exception("mail intake failed (from=%s); asking the sender's MTA to retry", envelope.mail_from)
            return "451 4.3.0 Temporary failure filing the mail, please retry later"
        if result.ticket is not None:
            return f"250 2.0.0 OK {result.action} {result.ticket.ref}"
        return f"250 2.0.0 OK {result.action}"

    def _file(self, raw: bytes, mail_from: str | None, rcpt_tos: list[str]) -> MailResult:
        try:
            return handle_raw(raw, envelope_from=mail_from, envelope_to=rcpt_tos, guard=self.guard)
        finally:
            # This thread's connection: closed after each mail so a dropped database or a test's
            # teardown never meets a stale one (mail is rare enough that reconnecting is cheap).
            connections.close_all()

    def close(self) -> None:
        self._executor.shutdown(wait=True)


def make_controller(host: str = "127.0.0.1", port: int = 2525, *, handler: MailIntakeHandler | None = None) -> Controller:
    """An (unstarted) SMTP server for mail intake; call `.start()` and `.stop()`."""
    return Controller(
        handler or MailIntakeHandler(),
        hostname=host,
        port=port,
        data_size_limit=MAX_MAIL_BYTES,
        enable_SMTPUTF8=True,
        decode_data=False,
        ident="fankui mail intake",
    )


def serve(host: str, port: int, stop: threading.Event) -> None:
    """Run the listener until `stop` is set (the command sets it on SIGTERM/SIGINT)."""
    handler = MailIntakeHandler()
    controller = make_controller(host, port, handler=handler)
    controller.start()
    log.info("mail intake listening on %s:%s", host, port)
    try:
        stop.wait()
    finally:
        controller.stop()
        handler.close()
