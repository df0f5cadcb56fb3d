"""Guessing passwords: an account locks after a few wrong ones, on the site and the admin alike, and on every
server (the count lives in the shared cache)."""
from __future__ import annotations

import json
import subprocess
import sys
import urllib.parse

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, override_settings

from fankui.core import testing

LOCKED = "登录失败次数过多，已暂时锁定"


@pytest.fixture(autouse=True)
def _no_counts() -> None:
    cache.clear()


def _log_in(client: Client, path: str, username: str, password: str) -> tuple[int, str]:
    response = client.post(path, {"username": username, "password": password})
    return response.status_code, response.content.decode()


@pytest.mark.django_db
@override_settings(FANKUI_LOGIN_FAILURES_PER_ACCOUNT=3)
def test_wrong_passwords_lock_the_account_even_for_the_right_one() -> None:
    get_user_model().objects.create_user("guessed", password="right-pw-123456", is_staff=True)
    client = Client()
    for _ in range(3):
        status, page = _log_in(client, "/accounts/login/", "guessed", "wrong")
        assert status == 200 and LOCKED not in page
    status, page = _log_in(client, "/accounts/login/", "guessed", "right-pw-123456")
    assert status == 200 and LOCKED in page
    status, page = _log_in(client, "/admin/login/", "guessed", "right-pw-123456")  # the admin's door too
    assert status == 200 and LOCKED in page
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@override_settings(FANKUI_LOGIN_FAILURES_PER_ACCOUNT=3)
def test_a_right_password_before_the_limit_starts_the_count_again() -> None:
    get_user_model().objects.create_user("typo", password="right-pw-123456")
    for _ in range(2):
        _log_in(Client(), "/accounts/login/", "typo", "wrong")
    assert _log_in(Client(), "/accounts/login/", "typo", "right-pw-123456")[0] == 302
    for _ in range(2):
        _log_in(Client(), "/accounts/login/", "typo", "wrong")
    assert _log_in(Client(), "/accounts/login/", "typo", "right-pw-123456")[0] == 302


@pytest.mark.django_db
@override_settings(FANKUI_LOGIN_FAILURES_PER_ADDRESS=4)
def test_one_address_guessing_many_accounts_is_locked_out() -> None:
    get_user_model().objects.create_user("someone", password="right-pw-123456")
    for n in range(4):
        _log_in(Client(REMOTE_ADDR="10.0.0.9"), "/accounts/login/", f"name{n}", "wrong")
    assert LOCKED in _log_in(Client(REMOTE_ADDR="10.0.0.9"), "/accounts/login/", "someone", "right-pw-123456")[1]
    assert _log_in(Client(REMOTE_ADDR="10.0.0.10"), "/accounts/login/", "someone", "right-pw-123456")[0] == 302


@pytest.mark.service
def test_a_lock_out_on_one_server_holds_on_the_other() -> None:
    env = testing.fresh_install_env(["migrate", "--no-input"], ["import-guide"])
    env["FANKUI_LOGIN_FAILURES_PER_ACCOUNT"] = "4"
    accounts = json.loads(subprocess.run([sys.executable, "-m", "fankui.cli", "seed-demo", "--json"], env=env, check=True,
                                         capture_output=True, text=True).stdout)
    reporter = next(a for a in accounts if a["role"] == "reporter")
    with testing.app_servers(env) as ports:
        def attempt(port: int, password: str) -> tuple[int, str]:
            session = testing.WebSession(port)
            form = {"csrfmiddlewaretoken": session.form_token("/accounts/login/"), "username": reporter["username"], "password": password}
            return session.request("POST", "/accounts/login/", urllib.parse.urlencode(form).encode(),
                                   {"Content-Type": "application/x-www-form-urlencoded"})

        assert attempt(ports[1], reporter["password"])[0] == 302  # the right password works at first
        for i in range(4):
            assert attempt(ports[i % 2], "wrong-password")[0] == 200
        status, page = attempt(ports[1], reporter["password"])
    assert status == 200 and LOCKED in page
