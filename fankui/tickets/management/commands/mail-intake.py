"""`fankui mail-intake`: the SMTP listener that turns mail into tickets (see fankui.tickets.mail.server)."""
from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fankui.tickets.mail.server import serve


class Command(BaseCommand):
    help = "接收邮件并转为工单或工单回复（SMTP 监听）。Run the SMTP listener that files mail as tickets."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="监听地址，默认只接受本机（由邮件服务器转发）")
        parser.add_argument("--port", type=int, default=2525, help="监听端口，默认 2525")

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
        self.stdout.write(f"邮件接收已启动：smtp://{host}:{port}（Ctrl+C 停止）", ending="\n")
        self.stdout.flush()
        serve(host, port, stop)
        self.stdout.write("邮件接收已停止。")
