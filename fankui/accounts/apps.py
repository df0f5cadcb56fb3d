from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fankui.accounts"
    label = "accounts"
    verbose_name = "账户"

    def ready(self) -> None:
        from fankui.accounts.tokens import BearerToken
        from fankui.core.api import AUTH_SCHEMES

        # Endpoints hold this very list (api_auth() returns it), so adding here reaches them all.
        # The token goes first: a client that sends one means it, even if it also carries a
        # session cookie (an app's web view), and must not trip the session's CSRF check.
        if not any(isinstance(scheme, BearerToken) for scheme in AUTH_SCHEMES):
            AUTH_SCHEMES.insert(0, BearerToken())
