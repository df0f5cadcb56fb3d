"""The `fankui.core.testing` personas as API callers (each with a bearer token), plus API helpers."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.test import Client

from fankui.accounts.tokens import create_token
from fankui.core import testing


@dataclass
class Persona:
    user: AbstractUser
    token: str

    @property
    def api(self) -> Client:
        """A client that authenticates only with the persona's bearer token (no cookies, CSRF enforced)."""
        return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {self.token}"})


def make_personas() -> dict[str, Persona]:
    return {key: Persona(user, create_token(user=user, name="tests").token) for key, user in testing.make_personas().items()}


def post_json(client: Client, path: str, body: Any, **headers: str) -> Any:
    return client.post(path, data=body, content_type="application/json", headers=headers)


def file_report(persona: Persona, description: str = "EAS 报销单提交后一直卡在审批流，无法提交", **fields: Any) -> str:
    """File a report through the API and return its ref."""
    response = post_json(persona.api, "/api/v1/tickets", {"description": description, **fields})
    assert response.status_code == 201, response.content
    return str(response.json()["ref"])
