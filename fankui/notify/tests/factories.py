"""A report filer for notification tests; the personas are `fankui.core.testing`'s.

Tests create only the personas they need: who has a login decides who is notified, and how.
"""
from __future__ import annotations

from django.contrib.auth.models import AbstractUser

from fankui.tickets.models import Ticket
from fankui.tickets.services import Intake, SecretInput, create_ticket


def file_report(
    user: AbstractUser,
    description: str = "金蝶EAS 新员工账号开通后没有组织权限，报销单提交不了",
    *,
    urgency: str = Ticket.Urgency.NORMAL,
    secrets: tuple[SecretInput, ...] = (),
) -> Ticket:
    profile = user.profile  # type: ignore[attr-defined]
    intake = Intake(description=description, channel=Ticket.Channel.WEB, urgency=urgency, region=profile.region, project=profile.project, secrets=secrets)
    return create_ticket(reporter=user, intake=intake).ticket
