from __future__ import annotations

import signal
import subprocess
import sys
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

# How long the children get to finish their current request or task after SIGTERM before they are killed.
STOP_TIMEOUT_SECONDS = 8


class Command(BaseCommand):
    help = "启动网页服务、后台任务和邮件接收。Run the web server, the built-in worker and the mail listener together."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument("--mail-port", type=int, default=2525, help="SMTP intake port on 127.0.0.1 (0: off)")

    def handle(self, *args: Any, bind: str, web_workers: int, mail_port: int, **options: Any) -> None:
        fankui = [sys.executable, "-m", "fankui.cli"]
        commands = [
            # Sync workers: on SQLite they queue for the single writer more fairly than threads do.
            [sys.executable, "-m", "gunicorn", "fankui.wsgi", "--bind", bind, "--workers", str(web_workers),
             "--access-logfile", "-", "--graceful-timeout", str(STOP_TIMEOUT_SECONDS - 2)],
            [*fankui, "run_huey"],
        ]
        if mail_port:
            commands.append([*fankui, "mail-intake", "--port", str(mail_port)])

        stop = threading.Event()
        # A process manager stops services with SIGTERM; a terminal with SIGINT. Either one means: stop the
        # children, wait for them, and exit cleanly — never leave them holding the ports.
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())

        children = [subprocess.Popen(command) for command in commands]
        self.stdout.write(f"fankui 已启动：http://{bind}/  邮件接收：127.0.0.1:{mail_port or '关闭'}  (Ctrl+C 退出)")
        while not stop.wait(0.5):
            failed = [child for child in children if child.poll() is not None]
            if failed:
                self.stderr.write(f"子进程意外退出（{' '.join(failed[0].args[2:4])}，退出码 {failed[0].returncode}），正在停止其余进程")
                break
        stopped_cleanly = stop.is_set()
        _stop_children(children)
        if not stopped_cleanly:
            sys.exit(1)


def _stop_children(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
