"""Named test personas, made through the real services, shared by every app's tests.

reporter A (华南), reporter B (华东), consultant 丁家贵 (华南), consultant 陈坚 (华东),
owner 彭戈 (金蝶EAS 账号/权限), owner 小U (一应社商), admin.

Staff logins are linked to their directory entry (`Person.user`) the way `seed-demo` links them, so
routing, escalation and notifications reach them. Each function creates its persona; call it once per
test (or use `make_personas` for the whole cast). Per-app helpers (API clients with tokens, report
filers, images) live in each app's `tests/factories.py`. Needs the guide loaded (`fankui/conftest.py`).
"""
from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.test import Client, TestCase

from fankui.accounts.models import Profile
from fankui.accounts.services import set_profile
from fankui.core.crypto import new_server_keys
from fankui.directory.models import Person, Region


def reporter(username: str, region: str, *, email: str | None = None, project: str | None = None, first_name: str = "") -> AbstractUser:
    """A staff reporter in `region`; the project defaults to the one `seed-demo` gives (华南演示项目)."""
    user = get_user_model().objects.create_user(
        username, email=f"{username}@example.com" if email is None else email, password="x", first_name=first_name
    )
    project = f"{region}演示项目" if project is None else project
    set_profile(user, role=Profile.Role.REPORTER, region=Region.objects.get(name=region), project=project)
    return user


def staff_login(person_name: str, *, role: str, username: str, region: str | None = None) -> AbstractUser:
    """A login for a directory person (consultant or owner), linked the way `seed-demo` links it."""
    person = Person.objects.get(name=person_name)
    user = get_user_model().objects.create_user(username, email=person.email, password="x", first_name=person.name)
    set_profile(user, role=role, region=Region.objects.get(name=region) if region else None)
    person.user = user
    person.save(update_fields=["user"])
    return user


def reporter_a() -> AbstractUser:
    return reporter("staff-huanan", "华南")


def reporter_b() -> AbstractUser:
    return reporter("staff-huadong", "华东")


def consultant_ding() -> AbstractUser:
    return staff_login("丁家贵", role=Profile.Role.CONSULTANT, username="dingjiagui", region="华南")


def consultant_chen() -> AbstractUser:
    return staff_login("陈坚", role=Profile.Role.CONSULTANT, username="chenjian", region="华东")


def owner_peng() -> AbstractUser:
    return staff_login("彭戈", role=Profile.Role.OWNER, username="penge")


def owner_xiaou() -> AbstractUser:
    return staff_login("小U", role=Profile.Role.OWNER, username="小U")


def admin() -> AbstractUser:
    user = get_user_model().objects.create_superuser("admin", email="admin@example.com", password="x")
    set_profile(user, role=Profile.Role.ADMIN)
    return user


def make_personas() -> dict[str, AbstractUser]:
    """The whole cast, by the keys permission tests use."""
    return {
        "reporter_a": reporter_a(),
        "reporter_b": reporter_b(),
        "ding": consultant_ding(),
        "chen": consultant_chen(),
        "peng": owner_peng(),
        "xiaou": owner_xiaou(),
        "admin": admin(),
    }


def after_commit() -> Any:
    """Run what a request schedules for after its commit (grouping, indexing: the worker's) as production
    would: in a test's transaction nothing commits, so the callbacks run when this block ends."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def client_for(user: AbstractUser) -> Client:
    """A browser-like client logged in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def free_port() -> int:
    """A loopback port nothing listens on (for SMTP and webhook receivers)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[str], timeout: float = 30) -> None:
    """Wait until a server started by a test listens on a loopback port (failing if it died first)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{process.args} did not listen on {port}")


def fresh_install_env(*commands: list[str], database_url: str | None = None) -> dict[str, str]:
    """The environment of `dev.py up` on a new machine: production settings, a new data folder (with its
    SQLite database, or `database_url`), the real worker; `commands` (e.g. ["migrate"]) are run in it first."""
    # Nothing of the test process leaks in: its database, its Redis, immediate tasks, or the async-unsafe
    # switch the browser tests set (a production process would never have it).
    leave_out = {"DATABASE_URL", "REDIS_URL", "FANKUI_HUEY_IMMEDIATE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in leave_out}
    env.update(DJANGO_SETTINGS_MODULE="fankui.settings", FANKUI_DATA_DIR=tempfile.mkdtemp(prefix="fankui-install-"))
    if database_url:
        env["DATABASE_URL"] = database_url
        for name, value in new_server_keys().items():  # shared data needs keys set, not generated per folder
            env.setdefault(name, value)
    for command in commands:
        subprocess.run([sys.executable, "-m", "fankui.cli", *command], env=env, check=True, capture_output=True, timeout=180)
    return env


def descendant_pids(pid: int) -> set[int]:
    """Every process started by `pid`, its children's children included (read from /proc)."""
    children: dict[int, list[int]] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        children.setdefault(int(fields["PPid"]), []).append(int(fields["Pid"]))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


class WebSession:
    """Just enough of a browser for Django's session and CSRF against a live server: cookies and the form token."""

    def __init__(self, port: int) -> None:
        self.port, self.cookies = port, {}  # type: ignore[var-annotated]

    def request(self, method: str, path: str, body: bytes | Iterator[bytes] | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
        status, data = self._send(method, path, body, headers)
        return status, data.decode()

    def request_bytes(self, method: str, path: str) -> bytes:
        status, data = self._send(method, path, None, None)
        assert status == 200, status
        return data

    def _send(self, method: str, path: str, body: bytes | Iterator[bytes] | None, headers: dict[str, str] | None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers={"Cookie": cookie, **(headers or {})})
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        data = response.read()
        connection.close()
        return response.status, data

    def form_token(self, path: str) -> str:
        _, page = self.request("GET", path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found, page[:500]
        return found.group(1)

    def log_in(self, username: str, password: str) -> None:
        form = {"csrfmiddlewaretoken": self.form_token("/accounts/login/"), "username": username, "password": password}
        status, _ = self.request("POST", "/accounts/login/", urllib.parse.urlencode(form).encode(), {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 302, f"login as {username} failed"

    def post_form(self, path: str, fields: dict[str, str]) -> tuple[int, str]:
        form = {"csrfmiddlewaretoken": self.form_token(path), **fields}
        return self.request("POST", path, urllib.parse.urlencode(form).encode(), {"Content-Type": "application/x-www-form-urlencoded"})


@contextmanager
def fresh_database() -> Iterator[str | None]:
    """A new, empty PostgreSQL database on the suite's server when DATABASE_URL is set (its URL, dropped
    afterwards); None on SQLite, where `fresh_install_env`'s data folder holds a new database anyway."""
    server = os.environ.get("DATABASE_URL", "")
    if not server:
        yield None
        return
    import psycopg

    name = f"fankui_live_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlunparse(urllib.parse.urlparse(server)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def private_redis() -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """A Redis of one's own (a test's or a benchmark's), stopped afterwards: nothing touches the machine's."""
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    try:
        wait_for_port(port, server)
        yield f"redis://127.0.0.1:{port}/0", server
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextmanager
def app_servers(env: dict[str, str], count: int = 2, *, workers: int = 2, config: str | None = None) -> Iterator[list[int]]:
    """`count` gunicorn app servers on one database and cache, as production runs them; yields their ports.
    `config`: a gunicorn config file (a benchmark's hooks)."""
    ports = [free_port() for _ in range(count)]
    extra = ["--config", config] if config else []
    servers = [
        subprocess.Popen([sys.executable, "-m", "gunicorn", "fankui.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}", *extra],
                         env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
        for port in ports
    ]
    try:
        for port, server in zip(ports, servers):
            wait_for_port(port, server, timeout=60)
        yield ports
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=20)


class FormFields(HTMLParser):
    """The values a browser would submit for the page's main form."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and a.get("name") and a.get("type") not in {"submit", "checkbox", "file"}:
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "input" and a.get("type") == "checkbox" and "checked" in a:
            self.fields[a["name"]] = a.get("value", "on")
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.fields[self._textarea or ""] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data
