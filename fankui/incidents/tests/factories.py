"""The incident tests' cast and report filer, on top of `fankui.core.testing`'s personas.

reporters in 华南, 华东, 华北 and 华中 (each with a mailbox), consultants 丁家贵 (华南), 陈坚 (华东) and
李明 (华北), system owners 小U (一应社商: 一应生活APP) and 彭戈 (金蝶EAS 账号/权限), admin.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractUser

from fankui.accounts.models import Profile
from fankui.core import testing
from fankui.core.testing import after_commit
from fankui.directory.models import Region
from fankui.tickets.models import Ticket
from fankui.tickets.services import Intake, IntakeResult
from fankui.workflow.intake import file_report

# One 一应生活APP outage, as four reporters in four regions put it within minutes.
APP_OUTAGE = [
    "一应生活APP登录不了，一直提示网络异常，业主都在投诉",
    "一应生活app打不开了，登录的时候提示网络异常请稍后重试",
    "生活APP登录提示网络异常，换了手机也登录不了",
    "一应生活APP登录报网络异常，重装了也登录不了",
]


@dataclass
class People:
    users: dict[str, AbstractUser]

    def __getitem__(self, key: str) -> AbstractUser:
        return self.users[key]


def make_people() -> People:
    """The shared personas, keyed by region for the reporters, plus 华北 and 华中; every reporter has a mailbox."""
    personas = testing.make_personas()
    users = {
        "huanan": personas.pop("reporter_a"),
        "huadong": personas.pop("reporter_b"),
        "huabei": testing.reporter("staff-huabei", "华北"),
        "huazhong": testing.reporter("staff-huazhong", "华中"),
        "liming": testing.staff_login("李明", role=Profile.Role.CONSULTANT, username="liming", region="华北"),
        **personas,
    }
    for key in ("huanan", "huadong", "huabei", "huazhong"):
        user = users[key]
        user.email = f"{key}@example.cn"
        user.save(update_fields=["email"])
    return People(users)


def region_of(user: AbstractUser) -> Region | None:
    profile = Profile.objects.filter(user=user).select_related("region").first()
    return profile.region if profile else None


def file(user: AbstractUser, description: str, **fields: object) -> IntakeResult:
    """File a report the way the web form does (channel web, the reporter's own region), and let the work
    scheduled after commit (grouping, in the worker) run as it would once the request's transaction commits."""
    with after_commit():
        return file_report(
            reporter=user,
            intake=Intake(description=description, channel=Ticket.Channel.WEB, region=region_of(user), **fields),  # type: ignore[arg-type]
        )
