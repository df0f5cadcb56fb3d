from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fankui.directory.export import render_guide


class Command(BaseCommand):
    help = "从当前数据重新生成指引。Write the guide from live data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["md", "html"], default="md", dest="fmt")
        parser.add_argument("--output", "-o", type=Path, help="file to write (default: standard output)")

    def handle(self, *args: Any, fmt: str, output: Path | None, **options: Any) -> None:
        text = render_guide(fmt)
        if output:
            output.write_text(text, encoding="utf-8")
            self.stdout.write(f"已写入 {output}")
        else:
            self.stdout.write(text)
