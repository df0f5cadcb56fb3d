"""Personas for the knowledge-base tests, made by the real `seed-demo` service, plus report helpers.

reporter A (华南), reporter B (华东), consultant 丁家贵 (华南), consultant 陈坚 (华东),
owner 彭戈 (金蝶EAS 账号/权限), owner 小U (一应社商), admin.
"""
from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.test import Client

from fankui.accounts.services import seed_demo_accounts
from fankui.tickets.models import Ticket
from fankui.tickets.services import Intake, create_ticket, resolve_ticket

USERNAMES = {
    "reporter_a": "staff-huanan",
    "reporter_b": "staff-huadong",
    "ding": "dingjiagui",
    "chen": "chenjian",
    "peng": "彭戈",
    "xiaou": "小U",
    "admin": "admin",
}


def make_personas() -> dict[str, AbstractUser]:
    seed_demo_accounts()
    users = get_user_model().objects.in_bulk(list(USERNAMES.values()), field_name="username")
    return {key: users[name] for key, name in USERNAMES.items()}


def client_for(user: AbstractUser) -> Client:
    client = Client()
    client.force_login(user)
    return client


def file_report(reporter: AbstractUser, description: str, **fields: Any) -> Ticket:
    """File a report the way the web form does, from the reporter's profile region and project."""
    profile = reporter.profile  # type: ignore[attr-defined]
    fields.setdefault("region", profile.region)
    fields.setdefault("project", profile.project)
    return create_ticket(reporter=reporter, intake=Intake(description=description, channel="web", **fields)).ticket


def resolved_report(reporter: AbstractUser, handler: AbstractUser, description: str, answer: str, **fields: Any) -> Ticket:
    ticket = file_report(reporter, description, **fields)
    return resolve_ticket(ticket=ticket, by=handler, reply=answer)
