"""The sign-in page: Django's, with the throttled form and a word on which password staff use."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views

from fankui.accounts.forms import LoginForm


class SignInView(auth_views.LoginView):
    authentication_form = LoginForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Read on each request: with LDAP on, staff are told to use their company account's password.
        return {**super().get_context_data(**kwargs), "directory_sign_in": bool(settings.FANKUI_LDAP_URL)}
