"""API tokens: only a hash is stored, revocation is immediate, and `fankui token` drives it."""
from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from fankui.accounts.models import ApiToken
from fankui.accounts.tokens import TokenError, create_token, revoke_token, verify_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice() -> AbstractUser:
    return get_user_model().objects.create_user("alice", password="x")


def run(*args: str) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def test_the_database_never_holds_the_token(alice: AbstractUser) -> None:
    issued = create_token(user=alice, name="一应生活App")
    record = ApiToken.objects.get()
    assert record.token_hash == hashlib.sha256(issued.token.encode()).hexdigest()
    assert record.prefix == issued.token[:12]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        rows = cursor.fetchall()
    assert issued.token not in repr(rows)
    assert issued.token[12:] not in repr(rows)


def test_it_verifies_a_live_token_and_refuses_others(alice: AbstractUser) -> None:
    issued = create_token(user=alice)
    record = verify_token(issued.token)
    assert record is not None and record.user == alice
    assert record.last_used_at is not None
    assert verify_token(issued.token + "x") is None
    assert verify_token("not-a-token") is None


def test_a_revoked_token_no_longer_verifies(alice: AbstractUser) -> None:
    issued = create_token(user=alice)
    revoke_token(issued.token[:12])
    assert verify_token(issued.token) is None


def test_an_inactive_users_token_no_longer_verifies(alice: AbstractUser) -> None:
    issued = create_token(user=alice)
    alice.is_active = False
    alice.save()
    assert verify_token(issued.token) is None


def test_revoke_refuses_an_unknown_or_too_short_prefix(alice: AbstractUser) -> None:
    create_token(user=alice)
    with pytest.raises(TokenError, match="没有以 fk_zzzzzzzz 开头的有效令牌"):
        revoke_token("fk_zzzzzzzz")
    with pytest.raises(TokenError, match="至少 7 个字符"):
        revoke_token("fk_")


def test_the_api_refuses_a_revoked_token_with_401(alice: AbstractUser) -> None:
    issued = create_token(user=alice)
    auth = {"Authorization": f"Bearer {issued.token}"}
    assert Client().get("/api/v1/directory/whois", {"q": "eas"}, headers=auth).status_code == 200
    revoke_token(issued.record.prefix)
    response = Client().get("/api/v1/directory/whois", {"q": "eas"}, headers=auth)
    assert response.status_code == 401
    assert response.json() == {"error": {"code": "unauthenticated", "message": "请先登录或提供有效的访问令牌。"}}


def test_create_prints_the_token_alone_on_one_line(alice: AbstractUser) -> None:
    out = run("create", "alice", "--name", "集成")
    lines = out.splitlines()
    assert len(lines) == 1
    token = lines[0]
    assert token.startswith("fk_") and len(token) > 40
    record = verify_token(token)
    assert record is not None and record.name == "集成"


def test_create_refuses_an_unknown_user() -> None:
    with pytest.raises(CommandError, match="没有用户名为 nobody 的账户"):
        run("create", "nobody")


def test_list_shows_prefixes_and_state_but_never_the_token(alice: AbstractUser) -> None:
    first = run("create", "alice", "--name", "旧").strip()
    second = run("create", "alice", "--name", "新").strip()
    run("revoke", first[:12])
    listing = run("list", "alice")
    assert first not in listing and second not in listing
    lines = listing.splitlines()
    assert lines[0].startswith(second[:12]) and "有效" in lines[0] and "新" in lines[0]
    assert lines[1].startswith(first[:12]) and "已撤销" in lines[1]


def test_revoke_command_reports_what_it_revoked(alice: AbstractUser) -> None:
    token = run("create", "alice").strip()
    assert run("revoke", token[:12]).startswith(f"已撤销 {token[:12]}")
    with pytest.raises(CommandError, match="没有以"):
        run("revoke", token[:12])
