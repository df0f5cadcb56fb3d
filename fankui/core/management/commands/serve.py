from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "启动网页服务和后台任务进程。Run the web server and the built-in worker together."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--web-workers", type=int, default=2)

    def handle(self, *args: Any, bind: str, web_workers: int, **options: Any) -> None:
        worker = subprocess.Popen([sys.executable, "-m", "fankui.cli", "run_huey"])
        self.stdout.write(f"fankui 已启动：http://{bind}/  (Ctrl+C 退出)")
        try:
            subprocess.run(
                [sys.executable, "-m", "gunicorn", "fankui.wsgi", "--bind", bind, "--workers", str(web_workers), "--access-logfile", "-"],
                check=False,
            )
        except KeyboardInterrupt:
            pass
        finally:
            worker.terminate()
            worker.wait(timeout=10)
