"""How an integration signs a call, as pure functions (no models): the one canonical string.

    fankui-v1\n<integration key>\n<unix timestamp>\n<nonce>\n<purpose>\n<identity>

`identity` is the base64url (RFC 4648 §5, padding optional) of the UTF-8 JSON object naming the app
user, exactly as sent. `purpose` binds the signature to one use:

    an API call     "<METHOD> <path with query> <hex SHA-256 of the raw body>"
    the H5 hand-off "h5"
    the 问题反馈 panel "panel"

The signature is the lowercase hex HMAC-SHA256 of that string (UTF-8) under the integration's secret.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from dataclasses import dataclass

VERSION = "fankui-v1"
PURPOSE_H5 = "h5"
PURPOSE_PANEL = "panel"
NONCE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
SIGNATURE_PATTERN = re.compile(r"^[0-9a-f]{64}$")
APP_USER_ID_PATTERN = re.compile(r"^[A-Za-z0-9_.@:-]{1,64}$")
KINDS = ("staff", "owner")


class IdentityInvalid(ValueError):
    """The signed identity is not a usable app user; the message names the field."""


@dataclass(frozen=True)
class Claims:
    """The app user a call is made for, as the integration vouches for them."""

    app_user_id: str
    name: str
    kind: str
    phone: str = ""
    region: str = ""
    project: str = ""
    house: str = ""


def request_purpose(method: str, path: str, body: bytes) -> str:
    return f"{method.upper()} {path} {hashlib.sha256(body).hexdigest()}"


def canonical(*, key: str, timestamp: str, nonce: str, purpose: str, identity: str) -> str:
    return "\n".join([VERSION, key, timestamp, nonce, purpose, identity])


def sign(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def encode_identity(claims: dict[str, str]) -> str:
    """What an app backend sends as the identity (the tests' and the README's app backend use it)."""
    return base64.urlsafe_b64encode(json.dumps(claims, ensure_ascii=False).encode()).decode().rstrip("=")


def _text(data: dict[str, object], name: str, limit: int, *, required: bool = False) -> str:
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise IdentityInvalid(f"identity.{name} must be a string")
    value = value.strip()
    if required and not value:
        raise IdentityInvalid(f"identity.{name} is required")
    if len(value) > limit:
        raise IdentityInvalid(f"identity.{name} is longer than {limit} characters")
    return value


def decode_identity(identity: str) -> Claims:
    """The claims of an identity as sent; raise IdentityInvalid for anything malformed."""
    if not identity or len(identity) > 4096:
        raise IdentityInvalid("identity is missing or longer than 4096 characters")
    try:
        raw = base64.urlsafe_b64decode(identity + "=" * (-len(identity) % 4))
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError):
        raise IdentityInvalid("identity is not base64url-encoded UTF-8 JSON") from None
    if not isinstance(data, dict):
        raise IdentityInvalid("identity must be a JSON object")
    app_user_id = _text(data, "id", 64, required=True)
    if not APP_USER_ID_PATTERN.match(app_user_id):
        raise IdentityInvalid("identity.id may hold only letters, digits and _ . @ : -")
    kind = _text(data, "kind", 10, required=True)
    if kind not in KINDS:
        raise IdentityInvalid("identity.kind must be staff or owner")
    return Claims(
        app_user_id=app_user_id,
        name=_text(data, "name", 100, required=True),
        kind=kind,
        phone=_text(data, "phone", 30),
        region=_text(data, "region", 50),
        project=_text(data, "project", 100),
        house=_text(data, "house", 100),
    )
