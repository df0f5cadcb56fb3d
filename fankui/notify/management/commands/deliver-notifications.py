from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fankui.notify.delivery import deliver_all_due
from fankui.notify.models import Delivery
from fankui.tickets.sla import check_sla_breaches


class Command(BaseCommand):
    help = "立即发送到期的通知（可先检查超时）。Deliver due notifications now, without the Huey worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sla", action="store_true", help="先检查 SLA 超时 (check SLA breaches first)")

    def handle(self, *args: Any, sla: bool, **options: Any) -> None:
        if sla:
            self.stdout.write(f"新发现超时：{check_sla_breaches()}")
        handled = deliver_all_due()
        pending = Delivery.objects.filter(status=Delivery.Status.PENDING).count()
        failed = Delivery.objects.filter(status=Delivery.Status.FAILED).count()
        self.stdout.write(f"本次处理：{handled}；待重试：{pending}；已失败：{failed}")
