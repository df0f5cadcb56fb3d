"""Reads of a user's in-app inbox."""
from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from fankui.notify.models import Notice


def inbox(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Notice]:
    if not user.is_authenticated:
        return Notice.objects.none()
    return Notice.objects.filter(recipient=user).select_related("ticket")


def unread_count(user: AbstractBaseUser | AnonymousUser) -> int:
    return inbox(user).filter(read_at__isnull=True).count()
