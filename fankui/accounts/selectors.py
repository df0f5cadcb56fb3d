"""Who a login is: role, directory person, region."""
from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from fankui.accounts.models import Profile
from fankui.directory.models import Person


def role_of(user: AbstractBaseUser | AnonymousUser) -> str | None:
    if not user.is_authenticated:
        return None
    if getattr(user, "is_superuser", False):
        return Profile.Role.ADMIN
    profile = Profile.objects.filter(user=user).only("role").first()
    return profile.role if profile else Profile.Role.REPORTER


def profile_of(user: AbstractBaseUser) -> Profile | None:
    return Profile.objects.select_related("region").filter(user=user).first()


def person_of(user: AbstractBaseUser) -> Person | None:
    return Person.objects.filter(user=user).first() if user.is_authenticated else None
