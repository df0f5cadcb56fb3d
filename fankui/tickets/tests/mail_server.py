"""The real mail intake listener on loopback, and a client that sends it mail (smtplib)."""
from __future__ import annotations

import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fankui.core import testing
from fankui.tickets.mail.server import MailIntakeHandler, make_controller

A_MAIL = "zhangsan@cc-pg.cn"


@dataclass
class Mailer:
    port: int

    def send(self, raw: bytes, *, mail_from: str = A_MAIL, to: str = "1@einyun.com") -> tuple[int, str]:
        """Send one mail; return the server's answer to DATA (code, text)."""
        with smtplib.SMTP("127.0.0.1", self.port, timeout=30) as client:
            client.ehlo()
            client.mail(mail_from)
            client.rcpt(to)
            code, text = client.data(raw)
            return code, text.decode()


@contextmanager
def intake_listener() -> Iterator[Mailer]:
    """`fankui mail-intake`'s handler on a free loopback port, for the duration of the block."""
    handler = MailIntakeHandler()
    controller = make_controller("127.0.0.1", testing.free_port(), handler=handler)
    controller.start()
    try:
        yield Mailer(controller.port)
    finally:
        controller.stop()
        handler.close()
