"""seed-demo: one account per role, random passwords, idempotent."""
from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def seed() -> list[dict[str, str | None]]:
    out = StringIO()
    call_command("seed-demo", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_it_creates_every_role_with_working_passwords() -> None:
    accounts = seed()
    roles = [a["role"] for a in accounts]
    assert roles.count("reporter") == 6 and roles.count("consultant") == 6 and roles.count("admin") == 1
    assert {a["person"] for a in accounts if a["role"] == "owner"} >= {"王书彬", "肖睿", "彭戈", "小U", "周贤华", "陈旭"}
    assert {a["region"] for a in accounts if a["role"] == "reporter"} == {"华北", "华西", "华东", "华中", "华南", "环渤海"}
    consultant = next(a for a in accounts if a["person"] == "陈坚")
    assert consultant["region"] == "华东"
    for account in accounts:
        assert authenticate(username=account["username"], password=account["password"]) is not None


def test_it_is_idempotent() -> None:
    first = seed()
    users = get_user_model().objects.count()
    assert seed() == first
    assert get_user_model().objects.count() == users


def test_passwords_are_random_not_fixed() -> None:
    passwords = [a["password"] for a in seed()]
    assert len(set(passwords)) == len(passwords)
    assert all(p and len(p) >= 12 for p in passwords)
