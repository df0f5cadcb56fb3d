"""API bearer tokens: create, verify, revoke. Only a token's SHA-256 is ever stored.

A token looks like `fk_<43 url-safe characters>`. Its first 12 characters are kept as `prefix`
so people can tell tokens apart (`fankui token list`) and revoke one without holding it;
12 characters leave 256 − 54 bits unknown, which is not enough to use it.
"""
from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from fankui.accounts.models import ApiToken

TOKEN_PREFIX = "fk_"
PREFIX_LENGTH = 12
# Recording every use would turn each API read into a write; once a minute is enough to tell
# a live integration from a forgotten one.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class TokenError(Exception):
    """A token command the caller got wrong; the message is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class IssuedToken:
    """The only moment the plain token exists outside the client: show it once, then forget it."""

    token: str
    record: ApiToken


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(*, user: AbstractBaseUser, name: str = "") -> IssuedToken:
    """Issue a new token for `user`; the caller must hand `token` over now, it is not recoverable."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(user=user, name=name[:100], prefix=token[:PREFIX_LENGTH], token_hash=hash_token(token))
    return IssuedToken(token=token, record=record)


def verify_token(token: str, *, now: datetime.datetime | None = None) -> ApiToken | None:
    """The live token record for `token`, with its user loaded, or None (unknown, revoked, inactive user)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    # The profile (with region and its consultant) rides along: intake needs all three, and one
    # join here saves three queries on every report an app files.
    try:
        # get(), not first(): token_hash is unique, and first() would add an ORDER BY to compile.
        record = ApiToken.objects.select_related("user__profile__region__consultant").get(
            token_hash=hash_token(token), revoked_at__isnull=True
        )
    except ApiToken.DoesNotExist:
        return None
    if not record.user.is_active:
        return None
    now = now or timezone.now()
    if record.last_used_at is None or now - record.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        record.last_used_at = now
    return record


def revoke_token(prefix: str) -> ApiToken:
    """Revoke the one live token starting with `prefix`; refuse if none or several match."""
    prefix = prefix.strip()
    if len(prefix) < len(TOKEN_PREFIX) + 4:
        raise TokenError("prefix_too_short", "请提供令牌前缀（至少 7 个字符，如 fankui token list 所示）。")
    matches = list(ApiToken.objects.filter(prefix__startswith=prefix[:PREFIX_LENGTH], revoked_at__isnull=True))
    # A longer string than the stored prefix is probably the whole token: check it really matches.
    matches = [m for m in matches if m.prefix.startswith(prefix) or prefix.startswith(m.prefix)]
    if not matches:
        raise TokenError("token_not_found", f"没有以 {prefix} 开头的有效令牌。")
    if len(matches) > 1:
        raise TokenError("prefix_ambiguous", f"有 {len(matches)} 个令牌以 {prefix} 开头，请提供更长的前缀。")
    record = matches[0]
    record.revoked_at = timezone.now()
    record.save(update_fields=["revoked_at"])
    return record


def tokens_of(username: str) -> QuerySet[ApiToken]:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise TokenError("user_not_found", f"没有用户名为 {username} 的账户。")
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


class BearerToken(HttpBearer):
    """`Authorization: Bearer fk_…` for the apps and integrations.

    A presented but unknown or revoked token is refused outright (401) instead of falling
    through to the session scheme, so a client with a stale token hears why.
    """

    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser | None:
        record = verify_token(token.strip())
        if record is None:
            raise AuthenticationError()
        # Rate limits count per token, so one noisy integration does not starve its owner's others.
        request.api_token = record  # type: ignore[attr-defined]
        return record.user
