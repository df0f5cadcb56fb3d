"""From a signed call to a short H5 session in the app's webview or the 问题反馈 panel.

The app backend (or the panel's start call) gets a one-time hand-off link, valid for
HANDOFF_SECONDS. Opening it consumes it — a second open is refused — and sets the `fankui_h5`
cookie: the app user's identity and the page context, signed with the site's secret key, valid for
FANKUI_H5_SESSION_MINUTES and read only by the H5 pages (it is no fankui login). Both the one-time
links and the sessions work on every server: the links live in the shared cache, the sessions need
only the shared secret key.
"""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare, salted_hmac

from fankui.integrations.models import AppIdentity

HANDOFF_SECONDS = 120
COOKIE = "fankui_h5"
_SALT = "fankui.integrations.h5"
H5_PREFIX = "/integrations/h5/"


@dataclass(frozen=True)
class H5Session:
    """`panel`: opened by the 问题反馈 button inside another site's page, where a cookie of ours may
    not be kept (third-party); the page then carries the session in its form instead (`h5s`).
    `language`: the one the host page asked for (a code of settings.LANGUAGES), or "" to follow the browser."""

    identity: AppIdentity
    context: Mapping[str, str] = field(default_factory=dict)
    cookie: str = ""
    panel: bool = False
    language: str = ""

    @property
    def form_token(self) -> str:
        """The hidden field every H5 form posts back: the cookie alone cannot make a request count
        (the panel's cookie may travel cross-site, so Django's own CSRF cookie cannot be relied on)."""
        return salted_hmac(_SALT + ".form", self.cookie).hexdigest()


def _key(token: str) -> str:
    return "fankui:h5-handoff:" + hashlib.sha256(token.encode()).hexdigest()


def safe_next(path: str) -> str:
    """Only an H5 page of this site; anything else lands on 提交反馈."""
    if path.startswith(H5_PREFIX) and "//" not in path and "\\" not in path and len(path) <= 200:
        return path
    return H5_PREFIX + "new/"


def issue_handoff(identity: AppIdentity, *, context: Mapping[str, str] | None = None, panel: bool = False, language: str = "") -> str:
    """A new one-time token for `identity`; put it in the link the app (or the panel) opens."""
    token = secrets.token_urlsafe(24)
    data = {"identity": identity.pk, "context": dict(context or {}), "panel": panel, "language": language}
    cache.set(_key(token), data, timeout=HANDOFF_SECONDS)
    return token


def consume_handoff(token: str) -> H5Session | None:
    """The session a hand-off token starts, once; None when unknown, expired or already used."""
    if len(token) > 64:
        return None
    key = _key(token)
    data = cache.get(key)
    # delete() says whether this call removed it: of two concurrent opens, only one wins.
    if not isinstance(data, dict) or not cache.delete(key):
        return None
    identity = _identity(data["identity"])
    if identity is None:
        return None
    panel, language = bool(data.get("panel")), str(data.get("language") or "")
    cookie = signing.dumps({"i": identity.pk, "c": data["context"], "p": panel, "l": language}, salt=_SALT)
    return H5Session(identity=identity, context=data["context"], cookie=cookie, panel=panel, language=language)


def _identity(pk: object) -> AppIdentity | None:
    return (
        AppIdentity.objects.select_related("integration__system", "user__profile__region__consultant")
        .filter(pk=pk, integration__active=True, user__is_active=True)
        .first()
    )


def load_session(request: HttpRequest) -> H5Session | None:
    """The session of a panel's form post (`h5s`), else of the webview's cookie."""
    cookie = (request.POST.get("h5s", "") if request.method == "POST" else "") or request.COOKIES.get(COOKIE, "")
    if not cookie or len(cookie) > 4096:
        return None
    try:
        data = signing.loads(cookie, salt=_SALT, max_age=settings.FANKUI_H5_SESSION_MINUTES * 60)
    except signing.BadSignature:
        return None
    identity = _identity(data.get("i"))
    if identity is None:
        return None
    return H5Session(identity=identity, context=data.get("c") or {}, cookie=cookie, panel=bool(data.get("p")), language=str(data.get("l") or ""))


def form_token_ok(request: HttpRequest, session: H5Session) -> bool:
    return constant_time_compare(request.POST.get("h5t", ""), session.form_token)


def set_cookie(response: HttpResponse, request: HttpRequest, session: H5Session) -> None:
    # In the panel the page is framed by another site: the cookie must be SameSite=None, which
    # browsers take only when Secure. Over plain HTTP (development, loopback tests) Lax is all there is.
    secure = request.is_secure()
    response.set_cookie(
        COOKIE,
        session.cookie,
        max_age=settings.FANKUI_H5_SESSION_MINUTES * 60,
        path=H5_PREFIX,
        secure=secure,
        httponly=True,
        samesite="None" if secure else "Lax",
    )
