"""`fankui route --jsonl IN [--out OUT]`: route reports from JSON lines, one JSON line out per input."""
from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fankui.routing.services import route_report


class Command(BaseCommand):
    help = "按指引为问题报告找系统、对接人和大区顾问（JSON Lines 输入输出）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--jsonl", required=True, help='输入文件，每行 {"id", "text", "region"?, "reporter"?, "channel"?}；- 表示标准输入')
        parser.add_argument("--out", help="输出文件（默认标准输出）")

    def handle(self, *args: Any, **options: Any) -> None:
        source = sys.stdin if options["jsonl"] == "-" else open(options["jsonl"], encoding="utf-8")  # noqa: SIM115
        target = open(options["out"], "w", encoding="utf-8") if options["out"] else self.stdout  # noqa: SIM115
        try:
            for number, line in enumerate(source, start=1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                    text = item["text"]
                except (ValueError, KeyError, TypeError) as exc:
                    raise CommandError(f"line {number}: expected a JSON object with 'id' and 'text' ({exc})") from exc
                result = route_report(text, region=item.get("region"), reporter=item.get("reporter", "staff"), channel=item.get("channel"))
                target.write(json.dumps({"id": item.get("id"), **result.as_dict()}, ensure_ascii=False) + "\n")
        finally:
            if source is not sys.stdin:
                source.close()
            if options["out"]:
                target.close()
