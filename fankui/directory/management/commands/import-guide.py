from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fankui.directory.guide import GuideError, load_guide
from fankui.directory.services import import_guide


class Command(BaseCommand):
    help = "导入指引（默认：随项目发布的 guide.yaml）。Import the guide into the directory and knowledge base."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, help="guide YAML file (default: the shipped guide)")
        parser.add_argument("--prune", action="store_true", help="删除文件中已没有的条目 / remove entries missing from the file")
        parser.add_argument("--summary", action="store_true", help="只打印一行汇总 / print only the one-line summary")

    def handle(self, *args: Any, file: Path | None, prune: bool, summary: bool, **options: Any) -> None:
        try:
            guide = load_guide(file)
        except GuideError as exc:
            raise CommandError(f"导入失败，数据库未改动。{exc}") from exc
        report = import_guide(guide, prune=prune)
        if not summary:
            for line in report.lines():
                self.stdout.write(line)
        if not report.changed:
            self.stdout.write(self.style.SUCCESS("没有变化：数据库已与指引一致。(no changes)"))
        else:
            self.stdout.write(
                self.style.SUCCESS(f"导入完成：新增 {len(report.created)}，修改 {len(report.updated)}，删除 {len(report.removed)}。")
            )
