"""Template context every page needs: the viewer's role (which nav links to show) and unread notices."""
from __future__ import annotations

from django.http import HttpRequest

from fankui.accounts.models import Profile
from fankui.accounts.selectors import role_of
from fankui.notify.selectors import unread_count

HANDLER_ROLES = {Profile.Role.CONSULTANT, Profile.Role.OWNER, Profile.Role.ADMIN}


def nav(request: HttpRequest) -> dict[str, object]:
    """Two small queries per logged-in page; anonymous pages (login) cost none."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    role = role_of(user)
    return {"nav_is_handler": role in HANDLER_ROLES, "nav_unread": unread_count(user)}
