"""Seeded tickets for dashboard tests: a few days of reports across regions, systems and channels,
made through `create_ticket` and the real workflow services, then back-dated."""
from __future__ import annotations

import datetime

from django.utils import timezone

from fankui.incidents.tests.factories import People, file, make_people
from fankui.tickets.models import Ticket
from fankui.tickets.services import escalate_ticket, reply_to_ticket, resolve_ticket

REPORTS = [
    ("huanan", "金蝶EAS凭证过账失败，提示期间已关闭", 0),
    ("huadong", "格美特停车系统道闸不抬杆", 0),
    ("huabei", "一应生活APP消息推送收不到", 1),
    ("huanan", "太川门禁新业主人脸录入不了", 1),
    ("huadong", "金蝶EAS新员工需要开通权限", 2),
    ("huazhong", "业主钱包充值不到账", 2),
]


def seed(days_ago_from: datetime.datetime | None = None) -> tuple[People, list[Ticket]]:
    people = make_people()
    now = days_ago_from or timezone.now()
    tickets = []
    for key, text, days in REPORTS:
        ticket = file(people[key], text).ticket
        Ticket.objects.filter(pk=ticket.pk).update(created_at=now - datetime.timedelta(days=days))
        tickets.append(ticket)
    reply_to_ticket(ticket=tickets[0], by=people["ding"], body="正在查看")
    escalate_ticket(ticket=tickets[4], by=people["chen"], system=tickets[4].system, owner=None, contact_label="彭戈")
    resolve_ticket(ticket=tickets[1], by=people["chen"], reply="已重启道闸控制器")
    Ticket.objects.filter(pk=tickets[3].pk).update(response_breached_at=now - datetime.timedelta(days=1))
    return people, [Ticket.objects.get(pk=t.pk) for t in tickets]
