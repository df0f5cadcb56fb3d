"""Personas for the ticket page tests, made by the real `seed-demo` service, plus a report filer.

reporter A (华南), reporter B (华东), consultant 丁家贵 (华南), consultant 陈坚 (华东),
owner 彭戈 (金蝶EAS 账号/权限), owner 小U (一应社商), admin.
"""
from __future__ import annotations

import io
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.test import Client
from PIL import Image

from fankui.accounts.services import seed_demo_accounts
from fankui.tickets.models import Ticket
from fankui.tickets.services import Intake, SecretInput, create_ticket

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


def file_report(reporter: AbstractUser, description: str = "EAS 新用户开通权限，登录提示没有权限", **fields: Any) -> Ticket:
    """File a report the way the web form does, from the reporter's profile region."""
    profile = reporter.profile  # type: ignore[attr-defined]
    secrets = [SecretInput(label, value) for label, value in fields.pop("secrets", {}).items()]
    intake = Intake(description=description, channel="web", region=profile.region, project=profile.project, secrets=secrets, **fields)
    return create_ticket(reporter=reporter, intake=intake).ticket


def png_bytes(width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 16, 46)).save(buffer, format="PNG")
    return buffer.getvalue()
