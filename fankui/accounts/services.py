"""Accounts: demo logins for every role the guide names."""
from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from fankui.accounts.models import DemoCredential, Profile
from fankui.core.crypto import decrypt, encrypt
from fankui.directory.models import Department, Person, Region, Responsibility


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str | None  # None: someone changed it since it was generated
    role: str
    region: str | None
    person: str | None

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


def set_profile(user: AbstractUser, *, role: str, region: Region | None = None, kind: str = Profile.Kind.STAFF, project: str = "") -> Profile:
    profile, _ = Profile.objects.update_or_create(
        user=user, defaults={"role": role, "region": region, "kind": kind, "project": project}
    )
    return profile


def update_from_directory(user: AbstractUser, *, phone: str | None, region: Region | None) -> Profile:
    """Record what the company directory (LDAP/AD) says of a staff login; None leaves a field as it is.

    A login seen for the first time becomes a staff reporter; the role an admin gave (or `import-users`
    set) is never changed by the directory.
    """
    profile, _ = Profile.objects.get_or_create(user=user, defaults={"role": Profile.Role.REPORTER, "kind": Profile.Kind.STAFF})
    changed = []
    if phone is not None and profile.phone != phone:
        profile.phone = phone
        changed.append("phone")
    if region is not None and profile.region_id != region.pk:
        profile.region = region
        changed.append("region")
    if changed:
        profile.save(update_fields=changed)
    return profile


def _demo_user(username: str, *, role: str, region: Region | None, person: Person | None, project: str = "") -> DemoAccount:
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    password: str | None
    credential = DemoCredential.objects.filter(user=user).first()
    if created or credential is None:
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        credential = DemoCredential(user=user)
        credential.password_encrypted = encrypt(password)
        credential.save()
    else:
        password = decrypt(credential.password_encrypted)
        if not user.check_password(password):
            password = None
    user.is_staff = user.is_superuser = role == Profile.Role.ADMIN
    if person is not None:
        user.first_name = person.name
        user.email = person.email
    user.save()
    set_profile(user, role=role, region=region, project=project)
    if person is not None and person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user"])
    return DemoAccount(username, password, role, region.name if region else None, person.name if person else None)


def system_owners() -> list[Person]:
    """Everyone the directory names as a system's contact, in the guide's order."""
    owners: dict[int, Person] = {}
    for resp in Responsibility.objects.filter(system__isnull=False, person__isnull=False).select_related("person"):
        owners.setdefault(resp.person.pk, resp.person)  # type: ignore[union-attr]
    for department in Department.objects.filter(contact__isnull=False).select_related("contact"):
        owners.setdefault(department.contact.pk, department.contact)  # type: ignore[union-attr]
    return list(owners.values())


@transaction.atomic
def seed_demo_accounts() -> list[DemoAccount]:
    """Create (or find again) one reporter per region, each consultant, each named owner and an admin."""
    accounts = []
    regions = list(Region.objects.select_related("consultant"))
    for region in regions:
        accounts.append(_demo_user(f"staff-{region.code}", role=Profile.Role.REPORTER, region=region, person=None, project=f"{region.name}演示项目"))
    for region in regions:
        if region.consultant is not None:
            username = (region.consultant.email.split("@")[0] or region.code).lower()
            accounts.append(_demo_user(username, role=Profile.Role.CONSULTANT, region=region, person=region.consultant))
    for person in system_owners():
        accounts.append(_demo_user(person.name, role=Profile.Role.OWNER, region=None, person=person))
    accounts.append(_demo_user("admin", role=Profile.Role.ADMIN, region=None, person=None))
    return accounts
