"""Where an app push for a login goes, as the push gateway knows the person.

By default a push names the fankui username. An app that files for its own users (fankui.integrations)
registers an addresser that returns the app's user id and a link the app can open; notify never
imports the apps that register here.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

from django.contrib.auth.models import AbstractBaseUser

# (recipient login, ticket ref or "") -> fields replacing "recipient"/"url" in the push, or None.
PushAddresser = Callable[[AbstractBaseUser, str], Mapping[str, object] | None]

_addressers: list[PushAddresser] = []


def register_push_addresser(addresser: PushAddresser) -> None:
    if addresser not in _addressers:
        _addressers.append(addresser)


def push_address(user: AbstractBaseUser, ticket_ref: str) -> Mapping[str, object]:
    """The first registered addresser's answer for `user`, else the fankui username."""
    for addresser in _addressers:
        found = addresser(user, ticket_ref)
        if found is not None:
            return found
    return {"recipient": user.get_username()}
