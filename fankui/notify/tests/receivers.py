"""Real local receivers for service tests: an SMTP server and an HTTP webhook endpoint."""
from __future__ import annotations

import asyncio
import email
import email.policy
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from fankui.core.testing import free_port


@dataclass
class SmtpInbox:
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)
    # The SMTP reply to DATA; "451 …" or "550 …" to simulate a refusing server.
    reply: str = "250 OK"
    delay: float = 0.0  # seconds before answering: a slow server, so a crash can land mid-send
    # The client's address and port for each mail accepted or refused: mails over one connection share it.
    peers: list[tuple[str, int]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.peers.append(session.peer)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.reply.startswith("250"):
            self.raw.append(envelope.content)
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))  # type: ignore[arg-type]
        return self.reply


@contextmanager
def smtp_server(port: int | None = None, *, delay: float = 0.0) -> Iterator[SmtpInbox]:
    inbox = SmtpInbox(port or free_port(), delay=delay)
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@dataclass
class Hit:
    headers: dict[str, str]
    body: bytes
    status: int

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class HttpReceiver:
    port: int
    # Status codes to answer in turn; the last one repeats. A body to send with every answer.
    statuses: list[int] = field(default_factory=lambda: [200])
    answer: bytes = b'{"errcode": 0, "errmsg": "ok"}'
    hits: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    @property
    def accepted(self) -> list[Hit]:
        return [hit for hit in self.hits if 200 <= hit.status < 300]

    def next_status(self) -> int:
        with self.lock:
            return self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]


@contextmanager
def http_receiver(
    statuses: list[int] | None = None, *, answer: bytes | None = None, port: int | None = None, delay: float = 0.0
) -> Iterator[HttpReceiver]:
    receiver = HttpReceiver(port or free_port(), statuses=statuses or [200])
    if answer is not None:
        receiver.answer = answer

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            time.sleep(delay)
            status = receiver.next_status()
            with receiver.lock:
                receiver.hits.append(Hit({k.lower(): v for k, v in self.headers.items()}, body, status))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(receiver.answer)

        def log_message(self, *args: Any) -> None:
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            pass  # a sender killed mid-request (the fault run) is expected, not a receiver bug

    server = Server(("127.0.0.1", receiver.port), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
