from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fankui.directory.selectors import directory_by_region, who_to_contact


class Command(BaseCommand):
    help = "联系谁：按系统、别名或问题查找对接人。Who do I contact?"
    # A lookup answers at once: the system checks would import every URL, API and model module.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", help="系统、别名或问题，如 'eas 权限'、企业邮箱、停车")
        parser.add_argument("--region", help="你的大区，如 华东")
        parser.add_argument("--topic", help="事项，如 权限")
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args: Any, query: str, region: str | None, topic: str | None, as_json: bool, **options: Any) -> None:
        path = who_to_contact(query, region=region, topic=topic)
        if as_json:
            self.stdout.write(json.dumps(path.as_dict(), ensure_ascii=False))
            return
        step = 1
        if path.consultant:
            c = path.consultant
            self.stdout.write(f"{step}. {c.region}系统实施顾问 {c.name}  {c.phone}  {c.email}")
            step += 1
        if path.system:
            self.stdout.write(f"   系统：{path.system.name}（{path.system.department.name}）")
        for card in path.contacts:
            topic_label = f"[{card.topic}] " if card.topic else ""
            reach = "  ".join(x for x in (card.phone, card.email) if x)
            self.stdout.write(f"{step}. {topic_label}{card.name}  {reach}".rstrip())
        if not path.contacts and not path.consultant:
            self.stdout.write("未找到对应的系统或事项，请先联系所在大区的系统实施顾问。")
        elif not path.contacts:
            self.stdout.write("未找到具体对接人：请由系统实施顾问判断后转交。")
        if not region:
            # The guide's first step is the region's consultant: say how to see yours.
            consultants = "、".join(f"{r.name} {r.consultant.name}" for r in directory_by_region() if r.consultant)
            self.stdout.write(f"第一步请找所在大区的系统实施顾问（加 --region 大区 只看你的）：{consultants}")
