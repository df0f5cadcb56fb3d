"""The sign-in form of the site and of the admin site, with throttling (fankui.accounts.throttle)."""
from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext

from fankui.accounts import throttle


def _address(request: Any) -> str:
    """The client's address; behind the TLS proxy (FANKUI_HTTPS) the one the proxy appended last to
    X-Forwarded-For (nginx's $proxy_add_x_forwarded_for), which a client cannot forge."""
    if request is None:
        return ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.SECURE_PROXY_SSL_HEADER and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR") or ""


class ThrottledLoginMixin:
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""  # type: ignore[attr-defined]
        address = _address(self.request)  # type: ignore[attr-defined]
        if username and throttle.is_locked(username, address):
            minutes = max(1, settings.FANKUI_LOGIN_LOCK_SECONDS // 60)
            raise forms.ValidationError(gettext("登录失败次数过多，已暂时锁定，请 %(minutes)s 分钟后再试。") % {"minutes": minutes}, code="login_locked")
        try:
            cleaned = super().clean()  # type: ignore[misc]
        except forms.ValidationError:
            if username:
                throttle.record_failure(username, address)
            raise
        throttle.record_success(username)
        return cleaned


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass
