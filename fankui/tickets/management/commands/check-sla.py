from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fankui.tickets.sla import check_sla_breaches


class Command(BaseCommand):
    help = "立即检查 SLA 超时并通知。Mark and announce tickets past their deadlines now, without the Huey worker."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"新发现超时：{check_sla_breaches()}")
