"""Personas for the tickets API tests, made by the real `seed-demo` service, plus API clients.

reporter A (华南), reporter B (华东), consultant 丁家贵 (华南), consultant 陈坚 (华东),
owner 彭戈 (金蝶EAS 账号/权限), owner 小U (一应社商), admin.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.test import Client

from fankui.accounts.services import seed_demo_accounts
from fankui.accounts.tokens import create_token

USERNAMES = {
    "reporter_a": "staff-huanan",
    "reporter_b": "staff-huadong",
    "ding": "dingjiagui",
    "chen": "chenjian",
    "peng": "彭戈",
    "xiaou": "小U",
    "admin": "admin",
}


@dataclass
class Persona:
    user: AbstractUser
    token: str

    @property
    def api(self) -> Client:
        """A client that authenticates only with the persona's bearer token (no cookies, CSRF enforced)."""
        return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {self.token}"})


def make_personas() -> dict[str, Persona]:
    seed_demo_accounts()
    users = get_user_model().objects.in_bulk(list(USERNAMES.values()), field_name="username")
    return {key: Persona(users[name], create_token(user=users[name], name="tests").token) for key, name in USERNAMES.items()}


def post_json(client: Client, path: str, body: Any, **headers: str) -> Any:
    return client.post(path, data=body, content_type="application/json", headers=headers)


def file_report(persona: Persona, description: str = "EAS 报销单提交后一直卡在审批流，无法提交", **fields: Any) -> str:
    """File a report through the API and return its ref."""
    response = post_json(persona.api, "/api/v1/tickets", {"description": description, **fields})
    assert response.status_code == 201, response.content
    return str(response.json()["ref"])
