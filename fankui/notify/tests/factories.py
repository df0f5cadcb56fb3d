"""Personas for notification tests, made through the real services.

Reporter A (华南) and reporter B (华东); consultants 丁家贵 (华南) and 陈坚 (华东) and the owner 彭戈
are the guide's people with a login linked to their directory entry; plus one admin.
"""
from __future__ import annotations

import socket

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

from fankui.accounts.models import Profile
from fankui.accounts.services import set_profile
from fankui.directory.models import Person, Region
from fankui.tickets.models import Ticket
from fankui.tickets.services import Intake, SecretInput, create_ticket


def reporter(username: str = "reporter-a", region: str = "华南") -> AbstractUser:
    user = get_user_model().objects.create_user(username, email=f"{username}@example.com", password="x")
    set_profile(user, role=Profile.Role.REPORTER, region=Region.objects.get(name=region), project=f"{region}一号项目")
    return user


def reporter_a() -> AbstractUser:
    return reporter("reporter-a", "华南")


def reporter_b() -> AbstractUser:
    return reporter("reporter-b", "华东")


def staff_login(person_name: str, *, role: str, username: str) -> AbstractUser:
    """A login for a directory person (consultant or owner), linked the way seed-demo links it."""
    person = Person.objects.get(name=person_name)
    user = get_user_model().objects.create_user(username, email=person.email, password="x", first_name=person.name)
    set_profile(user, role=role)
    person.user = user
    person.save(update_fields=["user"])
    return user


def consultant_ding() -> AbstractUser:
    return staff_login("丁家贵", role=Profile.Role.CONSULTANT, username="dingjiagui")


def consultant_chen() -> AbstractUser:
    return staff_login("陈坚", role=Profile.Role.CONSULTANT, username="chenjian")


def owner_peng() -> AbstractUser:
    return staff_login("彭戈", role=Profile.Role.OWNER, username="penge")


def admin() -> AbstractUser:
    user = get_user_model().objects.create_superuser("admin", email="admin@example.com", password="x")
    set_profile(user, role=Profile.Role.ADMIN)
    return user


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
