from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fankui.accounts.services import seed_demo_accounts
from fankui.core.terminal import display_width, ljust_display


class Command(BaseCommand):
    help = "创建演示账户并打印密码（可重复执行）。Create the demo accounts and print their passwords."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args: Any, as_json: bool, **options: Any) -> None:
        accounts = seed_demo_accounts()
        if as_json:
            self.stdout.write(json.dumps([a.as_dict() for a in accounts], ensure_ascii=False, indent=1))
            return
        rows = [(a.role, a.username, a.password or "（密码已被修改）", a.region or a.person or "") for a in accounts]
        widths = [max(display_width(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("演示账户 (demo accounts)，登录 /accounts/login/:")
        for *cells, where in rows:
            self.stdout.write("  " + "  ".join(ljust_display(cell, w) for cell, w in zip(cells, widths)) + f"  {where}")
