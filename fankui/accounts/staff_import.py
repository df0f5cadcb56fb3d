"""The group's staff list into fankui accounts: `fankui import-users FILE.xlsx|csv` and the admin's upload page.

Columns (the first row names them; their order and extra columns do not matter):
工号/用户名 (required), 姓名 (required), 手机, 邮箱, 角色 (报告人/顾问/负责人/管理员), 大区, 项目, 目录人员, 初始密码.

All or nothing: every row is checked first and every error is reported with its row number; one error and
nothing changes. Otherwise one transaction creates or updates the accounts (matched on 工号/用户名, ignoring
case, as LDAP sign-in matches them), so importing the same file again changes nothing. An empty cell leaves
that field of an existing account as it is. New accounts get no usable password (staff sign in through
LDAP/AD) unless 初始密码 gives one; an existing account gets it only while it has none, so running the file
again never resets a password someone chose.

Fast at the group's scale (benchmarks/bench_import_users.py: 20,000 rows): a handful of queries per
thousand rows (bulk_create / bulk_update), no password hashing unless a row gives a password.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower

from fankui.accounts.models import Profile
from fankui.directory.models import Person, Region
from fankui.directory.selectors import RegionIndex

# Column → the headers people write for it.
HEADERS: dict[str, tuple[str, ...]] = {
    "username": ("工号/用户名", "工号", "用户名", "账号", "username"),
    "name": ("姓名", "name"),
    "phone": ("手机", "手机号", "phone"),
    "email": ("邮箱", "电子邮箱", "email"),
    "role": ("角色", "role"),
    "region": ("大区", "region"),
    "project": ("项目", "项目/小区", "project"),
    "person": ("目录人员", "person"),
    "password": ("初始密码", "一次性密码", "password"),
}
ROLES: dict[str, str] = {
    "报告人": Profile.Role.REPORTER, "reporter": Profile.Role.REPORTER,
    "顾问": Profile.Role.CONSULTANT, "系统实施顾问": Profile.Role.CONSULTANT, "consultant": Profile.Role.CONSULTANT,
    "负责人": Profile.Role.OWNER, "对接人": Profile.Role.OWNER, "系统对接人": Profile.Role.OWNER, "owner": Profile.Role.OWNER,
    "管理员": Profile.Role.ADMIN, "admin": Profile.Role.ADMIN,
}
PHONE_CHARS = set("0123456789+- ")
BATCH = 1000
LOOKUP_CHUNK = 900  # parameters per IN (…) query, below every database's limit

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class ImportFailed(Exception):
    """The file cannot be imported; `errors` are the messages, in Chinese, each naming its row."""

    def __init__(self, errors: Sequence[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = list(errors)


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class StaffRow:
    line: int
    username: str
    name: str
    phone: str
    email: str
    role: str
    region: Region | None
    project: str
    person: Person | None
    password: str


def _cell(value: Any) -> str:
    """A cell as text: Excel gives 13800001111 as a number (sometimes 13800001111.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_table(path: Path | str, data: bytes | None = None) -> Iterator[list[str]]:
    """The rows of an .xlsx (first sheet) or .csv (UTF-8, or GB18030 as Excel saves it on Chinese Windows)."""
    name = str(path).lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data) if data is not None else path, read_only=True, data_only=True)
        try:
            for values in book.worksheets[0].iter_rows(values_only=True):
                yield [_cell(value) for value in values]
        finally:
            book.close()
        return
    if not name.endswith(".csv"):
        raise ImportFailed(["只支持 .xlsx 和 .csv 文件"])
    raw = data if data is not None else Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    for values in csv.reader(io.StringIO(text)):
        yield [_cell(value) for value in values]


def _columns(header: Sequence[str]) -> tuple[dict[str, int], list[str]]:
    by_header = {alias.lower(): key for key, aliases in HEADERS.items() for alias in aliases}
    columns: dict[str, int] = {}
    ignored = []
    errors = []
    for index, title in enumerate(header):
        key = by_header.get(title.strip().lower())
        if key is None:
            if title:
                ignored.append(title)
        elif key in columns:
            errors.append(f"第 1 行：列“{title}”重复")
        else:
            columns[key] = index
    for key in ("username", "name"):
        if key not in columns:
            errors.append(f"第 1 行：缺少“{HEADERS[key][0]}”列")
    if errors:
        raise ImportFailed(errors)
    return columns, ignored


class _Checker:
    """Check one row at a time against the directory (loaded once) and the rows before it."""

    def __init__(self) -> None:
        self.regions = RegionIndex()
        self.persons = {person.name: person for person in Person.objects.all()}
        self.seen_usernames: dict[str, int] = {}
        self.seen_persons: dict[int, int] = {}
        self.username_validator = UnicodeUsernameValidator()

    def check(self, line: int, get: Callable[[str], str]) -> tuple[StaffRow | None, list[str]]:
        errors: list[str] = []
        say = errors.append
        username, name, phone, email = get("username"), get("name"), get("phone"), get("email")
        if not username:
            say(f"第 {line} 行：工号/用户名为空")
        elif len(username) > 150:
            say(f"第 {line} 行：工号/用户名超过 150 个字符")
        else:
            try:
                self.username_validator(username)
            except ValidationError:
                say(f"第 {line} 行：工号/用户名“{username}”只能包含字母、数字和 @ . + - _")
            earlier = self.seen_usernames.setdefault(username.lower(), line)
            if earlier != line:
                say(f"第 {line} 行：工号/用户名“{username}”与第 {earlier} 行重复")
        if not name:
            say(f"第 {line} 行：姓名为空")
        elif len(name) > 150:
            say(f"第 {line} 行：姓名超过 150 个字符")
        if phone and (not set(phone) <= PHONE_CHARS or not 5 <= sum(c.isdigit() for c in phone) <= 20 or len(phone) > 30):
            say(f"第 {line} 行：手机“{phone}”不是电话号码")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                say(f"第 {line} 行：邮箱“{email}”格式不正确")
        role = ""
        if get("role"):
            role = ROLES.get(get("role").lower(), "")
            if not role:
                say(f"第 {line} 行：角色“{get('role')}”不存在（可填 报告人、顾问、负责人、管理员）")
        region = None
        if get("region"):
            region = self.regions.find(get("region"))
            if region is None:
                say(f"第 {line} 行：大区“{get('region')}”不存在")
        project = get("project")
        if len(project) > 100:
            say(f"第 {line} 行：项目超过 100 个字符")
        person = None
        if get("person"):
            person = self.persons.get(get("person"))
            if person is None:
                say(f"第 {line} 行：目录人员“{get('person')}”不在通讯录中")
            else:
                earlier = self.seen_persons.setdefault(person.pk, line)
                if earlier != line:
                    say(f"第 {line} 行：目录人员“{person.name}”已在第 {earlier} 行关联")
        password = get("password")
        if password:
            try:
                validate_password(password)
            except ValidationError as exc:
                say(f"第 {line} 行：初始密码不可用（{'；'.join(exc.messages)}）")  # never the password itself
        if errors:
            return None, errors
        return StaffRow(line, username, name, phone, email, role, region, project, person, password), []


def _existing_users(usernames: Iterable[str]) -> dict[str, AbstractUser]:
    User = get_user_model()
    keys = sorted({username.lower() for username in usernames})
    found: dict[str, AbstractUser] = {}
    for start in range(0, len(keys), LOOKUP_CHUNK):
        chunk = keys[start:start + LOOKUP_CHUNK]
        for user in User.objects.annotate(key=Lower("username")).filter(key__in=chunk).order_by("pk"):
            found.setdefault(user.username.lower(), user)
    return found


def _existing_profiles(user_ids: Sequence[int]) -> dict[int, Profile]:
    found: dict[int, Profile] = {}
    for start in range(0, len(user_ids), LOOKUP_CHUNK):
        for profile in Profile.objects.filter(user_id__in=user_ids[start:start + LOOKUP_CHUNK]):
            found[profile.user_id] = profile
    return found


@dataclass
class Checked:
    rows: list[StaffRow]
    errors: list[str]
    ignored_columns: list[str]
    accounts: dict[str, AbstractUser]  # the existing accounts the rows name, by lower-cased username


def check_rows(table: Iterable[Sequence[str]], progress: Progress | None = None, every: int = 5000) -> Checked:
    """Check every row against the directory, the accounts and the rows before it; change nothing."""
    lines = list(table)
    if not lines:
        raise ImportFailed(["文件是空的"])
    columns, ignored = _columns(lines[0])
    checker = _Checker()
    rows: list[StaffRow] = []
    errors: list[str] = []
    total = len(lines) - 1
    for line, values in enumerate(lines[1:], start=2):
        if progress and (line - 2) % every == 0 and line > 2:
            progress("check", line - 2, total)
        if not any(values):
            continue  # blank lines at the end of a sheet

        def get(key: str, values: Sequence[str] = values) -> str:
            index = columns.get(key)
            return values[index] if index is not None and index < len(values) else ""

        row, row_errors = checker.check(line, get)
        if row is not None:
            rows.append(row)
        errors.extend(row_errors)
    if progress:
        progress("check", total, total)
    if not rows and not errors:
        errors.append("文件里没有数据行")
    accounts = _existing_users(row.username for row in rows)
    # A directory person a row links must not belong to another account (Person.user is one-to-one).
    for row in rows:
        if row.person is None or row.person.user_id is None:
            continue
        account = accounts.get(row.username.lower())
        if account is None or account.pk != row.person.user_id:
            errors.append(f"第 {row.line} 行：目录人员“{row.person.name}”已关联另一个账号")
    return Checked(rows, errors, ignored, accounts)


def import_staff(table: Iterable[Sequence[str]], *, progress: Progress | None = None, every: int = 5000) -> ImportResult:
    """Check every row, then create or update all accounts in one transaction; ImportFailed changes nothing."""
    checked = check_rows(table, progress, every)
    if checked.errors:
        raise ImportFailed(checked.errors)
    with transaction.atomic():
        result = _write(checked.rows, checked.accounts, progress)
    result.ignored_columns = checked.ignored_columns
    return result


def import_staff_file(path: Path | str, *, data: bytes | None = None, progress: Progress | None = None, every: int = 5000) -> ImportResult:
    return import_staff(read_table(path, data), progress=progress, every=every)


def _write(rows: Sequence[StaffRow], users: dict[str, AbstractUser], progress: Progress | None) -> ImportResult:
    User = get_user_model()
    profiles = _existing_profiles([user.pk for user in users.values()])
    result = ImportResult(rows=len(rows))
    new_users: list[AbstractUser] = []
    changed_users: list[AbstractUser] = []
    for row in rows:
        user = users.get(row.username.lower())
        if user is None:
            admin = row.role == Profile.Role.ADMIN
            # make_password(None) is an unusable password: no hashing cost for the usual, LDAP-only account.
            user = User(username=row.username, first_name=row.name, email=row.email, is_staff=admin, is_superuser=admin,
                        password=make_password(row.password or None))
            users[row.username.lower()] = user
            new_users.append(user)
            continue
        before = (user.first_name, user.email, user.is_staff, user.is_superuser, user.password)
        user.first_name = row.name
        user.email = row.email or user.email
        if row.role:
            user.is_staff = user.is_superuser = row.role == Profile.Role.ADMIN
        if row.password and not user.has_usable_password():
            user.password = make_password(row.password)
        if (user.first_name, user.email, user.is_staff, user.is_superuser, user.password) != before:
            changed_users.append(user)
    User.objects.bulk_create(new_users, batch_size=BATCH)
    User.objects.bulk_update(changed_users, ["first_name", "email", "is_staff", "is_superuser", "password"], batch_size=BATCH)
    if progress:
        progress("accounts", len(rows), len(rows))

    new_profiles: list[Profile] = []
    changed_profiles: list[Profile] = []
    touched: set[int] = {user.pk for user in changed_users}
    for row in rows:
        user = users[row.username.lower()]
        profile = profiles.get(user.pk)
        if profile is None:
            new_profiles.append(Profile(user=user, role=row.role or Profile.Role.REPORTER, kind=Profile.Kind.STAFF,
                                        region=row.region, project=row.project, phone=row.phone))
            touched.add(user.pk)
            continue
        before = (profile.role, profile.region_id, profile.project, profile.phone)
        profile.role = row.role or profile.role
        profile.region = row.region or profile.region
        profile.project = row.project or profile.project
        profile.phone = row.phone or profile.phone
        if (profile.role, profile.region_id, profile.project, profile.phone) != before:
            changed_profiles.append(profile)
            touched.add(user.pk)
    Profile.objects.bulk_create(new_profiles, batch_size=BATCH)
    Profile.objects.bulk_update(changed_profiles, ["role", "region", "project", "phone"], batch_size=BATCH)
    if progress:
        progress("profiles", len(rows), len(rows))

    # Directory persons: a person moves to this account; the account's former person lets go first
    # (Person.user is unique, checked row by row).
    linking = [(row.person, users[row.username.lower()]) for row in rows if row.person is not None]
    linking = [(person, user) for person, user in linking if person.user_id != user.pk]
    if linking:
        released = list(Person.objects.filter(user__in=[user for _, user in linking]))
        for person in released:
            person.user = None
        Person.objects.bulk_update(released, ["user"], batch_size=BATCH)
        for person, user in linking:
            person.user = user
            touched.add(user.pk)
        Person.objects.bulk_update([person for person, _ in linking], ["user"], batch_size=BATCH)

    new_ids = {user.pk for user in new_users}
    result.created = len(new_users)
    result.updated = len(touched - new_ids)
    result.unchanged = result.rows - result.created - result.updated
    return result
