"""Staff sign in with their LDAP / Active Directory password (django-auth-ldap).

Configured by the FANKUI_LDAP_* settings, read on every sign-in (a new backend object each time), so
`override_settings` works and nothing is read at import. With FANKUI_LDAP_URL empty the backend steps
aside and only local passwords count. On success django-auth-ldap creates or updates the Django user
(name, mail; a new one gets no usable password), then `update_from_directory` records phone and 大区.

Local administrators are never taken over by a directory entry of the same name: a superuser with a local
password signs in with it only (ModelBackend, next in AUTHENTICATION_BACKENDS). Admins made by `import-users`
have none and sign in through the directory.
"""
from __future__ import annotations

import logging
from typing import Any

import ldap
from django.conf import settings as django_settings
from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.http import HttpRequest
from django_auth_ldap.backend import LDAPBackend, _LDAPUser
from django_auth_ldap.config import LDAPSearch, LDAPSettings

from fankui.accounts.services import update_from_directory
from fankui.directory.selectors import RegionIndex

logger = logging.getLogger(__name__)


def _first(attrs: Any, name: str) -> str | None:
    """The first value of an attribute, stripped; None when the entry has no such attribute (or it is blank)."""
    if not name or attrs is None:
        return None
    values = attrs.get(name) or []
    value = str(values[0]).strip() if values else ""
    return value or None


class DirectoryBackend(LDAPBackend):
    """django-auth-ldap's backend, configured from FANKUI_LDAP_* and filling in the fankui profile."""

    @property  # type: ignore[override]
    def settings(self) -> LDAPSettings:
        if self._settings is None:
            conf = django_settings
            attrs = conf.FANKUI_LDAP_ATTRS
            user_attr_map = {field: attrs[key] for field, key in (("first_name", "name"), ("email", "mail")) if attrs.get(key)}
            timeout = conf.FANKUI_LDAP_TIMEOUT_SECONDS
            self._settings = LDAPSettings(
                self.settings_prefix,
                {
                    "SERVER_URI": conf.FANKUI_LDAP_URL,
                    "START_TLS": conf.FANKUI_LDAP_START_TLS,
                    "BIND_DN": conf.FANKUI_LDAP_BIND_DN,
                    "BIND_PASSWORD": conf.FANKUI_LDAP_BIND_PASSWORD,
                    "USER_SEARCH": LDAPSearch(conf.FANKUI_LDAP_USER_BASE, ldap.SCOPE_SUBTREE, conf.FANKUI_LDAP_USER_FILTER),
                    "USER_ATTR_MAP": user_attr_map,
                    # Active Directory answers with referrals python-ldap would chase anonymously.
                    "CONNECTION_OPTIONS": {ldap.OPT_NETWORK_TIMEOUT: timeout, ldap.OPT_TIMEOUT: timeout, ldap.OPT_REFERRALS: 0},
                },
            )
        return self._settings

    @settings.setter
    def settings(self, value: LDAPSettings) -> None:
        self._settings = value

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any) -> AbstractUser | None:
        if not django_settings.FANKUI_LDAP_URL:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_or_build_user(self, username: str, ldap_user: _LDAPUser) -> tuple[AbstractUser, bool]:
        user, built = super().get_or_build_user(username, ldap_user)
        if user.is_superuser and user.has_usable_password():
            raise ldap_user.AuthenticationFailed("a local administrator signs in with the local password")
        return user, built

    def authenticate_ldap_user(self, ldap_user: _LDAPUser, password: str) -> AbstractUser | None:
        # The directory is asked outside any transaction: a slow server must not hold the database's write lock.
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None:
            return None
        attrs = ldap_user.attrs
        names = django_settings.FANKUI_LDAP_ATTRS
        region_value = _first(attrs, names.get("region", ""))
        region = RegionIndex().find(region_value) if region_value else None
        if region_value and region is None:
            logger.warning("LDAP: %s=%r of user id %s names no 大区; region left as it was", names["region"], region_value, user.pk)
        with transaction.atomic():
            update_from_directory(user, phone=_first(attrs, names.get("phone", "")), region=region)
        logger.info("LDAP sign-in: user id %s", user.pk)
        return user
