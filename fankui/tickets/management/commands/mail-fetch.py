"""`fankui mail-fetch`: file the mail waiting in the helpdesk mailbox over IMAP (see fankui.tickets.mail.imap)."""
from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fankui.tickets.mail.imap import Mailbox, MailboxError, fetch_mailbox, watch_mailbox


class Command(BaseCommand):
    help = "从邮箱（IMAP，如腾讯企业邮箱）收取邮件并转为工单。File the mail waiting in the helpdesk mailbox (FANKUI_IMAP_*)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--watch", action="store_true", help="持续收取，直到 Ctrl+C / SIGTERM")
        parser.add_argument("--interval", type=float, default=30, help="--watch 时两次收取的间隔秒数，默认 30")

    def handle(self, *args: Any, watch: bool, interval: float, **options: Any) -> None:
        mailbox = Mailbox.from_settings()
        if mailbox is None:
            raise CommandError("未配置邮箱：请设置 FANKUI_IMAP_HOST、FANKUI_IMAP_USER 和 FANKUI_IMAP_PASSWORD（或 _FILE）。")
        if not watch:
            try:
                self.stdout.write(f"{mailbox.user}@{mailbox.host}：{fetch_mailbox(mailbox)}")
            except MailboxError as exc:
                raise CommandError(f"收取邮件失败：{exc}") from exc
            return
        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())

        def report(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        watch_mailbox(mailbox, stop, interval=interval, report=report)
