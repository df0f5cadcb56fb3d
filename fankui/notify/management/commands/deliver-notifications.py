from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fankui.notify.delivery import deliver_all_due
from fankui.notify.models import Delivery


class Command(BaseCommand):
    help = "立即发送到期的通知。Deliver due notifications now, without the Huey worker (SLA checks: fankui check-sla)."

    def handle(self, *args: Any, **options: Any) -> None:
        handled = deliver_all_due()
        pending = Delivery.objects.filter(status=Delivery.Status.PENDING).count()
        failed = Delivery.objects.filter(status=Delivery.Status.FAILED).count()
        self.stdout.write(f"本次处理：{handled}；待重试：{pending}；已失败：{failed}")
