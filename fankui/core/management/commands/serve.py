from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "启动网页服务、后台任务和邮件接收。Run the web server, the built-in worker and the mail listener together."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument("--mail-port", type=int, default=2525, help="SMTP intake port on 127.0.0.1 (0: off)")

    def handle(self, *args: Any, bind: str, web_workers: int, mail_port: int, **options: Any) -> None:
        fankui = [sys.executable, "-m", "fankui.cli"]
        helpers = [subprocess.Popen([*fankui, "run_huey"])]
        if mail_port:
            helpers.append(subprocess.Popen([*fankui, "mail-intake", "--port", str(mail_port)]))
        self.stdout.write(f"fankui 已启动：http://{bind}/  邮件接收：127.0.0.1:{mail_port or '关闭'}  (Ctrl+C 退出)")
        try:
            # Sync workers: on SQLite they queue for the single writer more fairly than threads do.
            subprocess.run(
                [sys.executable, "-m", "gunicorn", "fankui.wsgi", "--bind", bind, "--workers", str(web_workers), "--access-logfile", "-"],
                check=False,
            )
        except KeyboardInterrupt:
            pass
        finally:
            for helper in helpers:
                helper.terminate()
            for helper in helpers:
                helper.wait(timeout=10)
