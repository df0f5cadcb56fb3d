"""Integrations: register one, manage its secrets, check a signed call, and know its app users.

A call is checked in this order, and nothing is written before every check has passed: the
integration is known and active; the timestamp is within FANKUI_INTEGRATION_SKEW_SECONDS; the
signature matches one of its live secrets; the identity is well-formed; the nonce was never seen.
Nonces are kept in the database for twice the skew, so a replay on another server is refused too.
"""
from __future__ import annotations

import dataclasses
import datetime
import hmac
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from fankui.accounts.models import Profile
from fankui.core.crypto import decrypt, encrypt
from fankui.core.links import absolute_url
from fankui.core.process_cache import ProcessCache
from fankui.directory.models import Region, System
from fankui.integrations import signing
from fankui.integrations.models import AppIdentity, Integration, SigningSecret, UsedNonce
from fankui.tickets.models import Ticket
from fankui.tickets.services import Intake

SECRET_PREFIX = "fks_"


class SignatureRefused(Exception):
    """A call fankui will not act on; `code` is stable English, `message` is for people."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class IssuedSecret:
    """The only moment the plain secret exists in fankui: show it once to the admin."""

    secret: str
    record: SigningSecret


@dataclass(frozen=True)
class SignedCall:
    """What a signed call carries, as received."""

    key: str
    timestamp: str
    nonce: str
    signature: str
    identity: str
    purpose: str


# ---- registration and secrets ------------------------------------------------------------------


def _issue_secret(integration: Integration) -> IssuedSecret:
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    record = SigningSecret.objects.create(integration=integration, ciphertext=encrypt(secret), prefix=secret[:12])
    return IssuedSecret(secret=secret, record=record)


@transaction.atomic
def create_integration(*, name: str, key: str, system: System, allowed_origins: str = "") -> tuple[Integration, IssuedSecret]:
    """Register an integration and issue its first secret; raise ValidationError for a bad or taken name or key."""
    integration = Integration(name=name, key=key, system=system, allowed_origins=allowed_origins)
    integration.full_clean()
    integration.save()
    return integration, _issue_secret(integration)


@transaction.atomic
def issue_first_secret(integration: Integration) -> IssuedSecret:
    """A secret for an integration an admin just saved (the admin's add form)."""
    return _issue_secret(integration)


@transaction.atomic
def rotate_secret(integration: Integration, *, now: datetime.datetime | None = None) -> IssuedSecret:
    """A new secret; the live ones keep working for FANKUI_INTEGRATION_SECRET_GRACE_HOURS."""
    now = now or timezone.now()
    ends = now + datetime.timedelta(hours=settings.FANKUI_INTEGRATION_SECRET_GRACE_HOURS)
    live = SigningSecret.objects.filter(integration=integration, revoked_at__isnull=True)
    live.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=ends)).update(expires_at=ends)
    return _issue_secret(integration)


def revoke_secrets(integration: Integration) -> int:
    """End every secret of the integration now (a leak); it signs nothing until a new one is issued."""
    revoked = SigningSecret.objects.filter(integration=integration, revoked_at__isnull=True).update(revoked_at=timezone.now())
    _live.changed()
    return revoked


@dataclass(frozen=True)
class _Live:
    integration: Integration
    secrets: tuple[tuple[str, datetime.datetime | None], ...]  # (plain secret, expires_at)


def _load_live() -> dict[str, _Live]:
    """Every active integration with its unrevoked secrets, decrypted: two queries, at most once a second
    per process (the integrations are a few dozen)."""
    integrations = {i.pk: i for i in Integration.objects.select_related("system").filter(active=True)}
    secrets: dict[int, list[tuple[str, datetime.datetime | None]]] = {pk: [] for pk in integrations}
    for row in SigningSecret.objects.filter(integration_id__in=list(integrations), revoked_at__isnull=True).order_by():
        secrets[row.integration_id].append((decrypt(row.ciphertext), row.expires_at))
    return {i.key: _Live(i, tuple(secrets[pk])) for pk, i in integrations.items()}


# Read per call, the integration and its secrets cost a query and a decryption each, a third of what an app's
# report cost beyond a bearer token's. Every process keeps a copy; a change anywhere (a save, a rotation,
# `revoke_secrets`) moves a stamp in the shared cache when it commits, and every process and server reads
# again on its next call, so a revoked secret is refused everywhere at once.
_live = ProcessCache(_load_live, ttl=60.0, models=["integrations.Integration", "integrations.SigningSecret"],
                     shared_stamp="fankui:integrations-changed")


def _integration_and_secrets(key: str, now: datetime.datetime) -> tuple[Integration | None, list[str]]:
    """The active integration and its live secrets (none: unknown or inactive)."""
    live = _live.get().get(key)
    if live is None:
        return None, []
    return live.integration, [secret for secret, expires_at in live.secrets if expires_at is None or expires_at > now]


# ---- checking a signed call --------------------------------------------------------------------


def verify_call(call: SignedCall, *, now: datetime.datetime | None = None, use_nonce: bool = True) -> tuple[Integration, signing.Claims]:
    """The integration and app user of a signed call; raise SignatureRefused (and record nothing) otherwise.

    With `use_nonce=False` the caller records the nonce itself (`nonce_claim`), inside the transaction that
    writes what the call asked for."""
    now = now or timezone.now()
    if not (call.key and call.timestamp and call.nonce and call.signature and call.identity):
        raise SignatureRefused(401, "signature_missing", "缺少签名信息（集成标识、时间戳、随机数、身份或签名）。")
    integration, live = _integration_and_secrets(call.key[:40], now)
    if integration is None:
        raise SignatureRefused(401, "unknown_integration", "未知或已停用的系统集成。")
    if not call.timestamp.isdigit() or len(call.timestamp) > 12:
        raise SignatureRefused(401, "malformed_signature", "时间戳应为 Unix 秒数。")
    if abs(now.timestamp() - int(call.timestamp)) > settings.FANKUI_INTEGRATION_SKEW_SECONDS:
        raise SignatureRefused(401, "signature_expired", "签名已过期或时间不同步（允许前后 5 分钟）。")
    if not signing.NONCE_PATTERN.match(call.nonce) or not signing.SIGNATURE_PATTERN.match(call.signature):
        raise SignatureRefused(401, "malformed_signature", "随机数应为 16–64 个字母数字，签名应为 64 位小写十六进制。")
    message = signing.canonical(key=integration.key, timestamp=call.timestamp, nonce=call.nonce, purpose=call.purpose, identity=call.identity)
    if not any(hmac.compare_digest(signing.sign(secret, message), call.signature) for secret in live):
        raise SignatureRefused(401, "bad_signature", "签名不正确（密钥不符、已撤销，或内容被改动）。")
    try:
        claims = signing.decode_identity(call.identity)
    except signing.IdentityInvalid as exc:
        raise SignatureRefused(422, "invalid_identity", f"用户身份不符合要求：{exc}") from None
    # Last, so that a refused call never uses up its nonce; the unique constraint decides a race.
    if use_nonce:
        nonce_claim(integration, call.nonce, now)()
    return integration, claims


def nonce_claim(integration: Integration, nonce: str, now: datetime.datetime) -> Callable[[], None]:
    """Record a call's nonce, refusing the call (SignatureRefused) if it was used before."""

    def claim() -> None:
        # One plain INSERT on every signed call: a third of the ORM's cost for a row nothing reads back, and
        # no savepoint, since a replay refuses the whole call and its report's transaction rolls back with it.
        table, quote = UsedNonce._meta.db_table, connection.ops.quote_name
        sql = f"INSERT INTO {quote(table)} ({quote('integration_id')}, {quote('nonce')}, {quote('seen_at')}) VALUES (%s, %s, %s)"
        try:
            with transaction.atomic(savepoint=False), connection.cursor() as cursor:
                cursor.execute(sql, [integration.pk, nonce, connection.ops.adapt_datetimefield_value(now)])
        except IntegrityError:
            raise SignatureRefused(401, "replayed_signature", "该签名已使用过（随机数重复），请重新签名。") from None

    return claim


def forget_old_nonces(now: datetime.datetime | None = None) -> int:
    """Delete nonces whose calls the clock check refuses anyway (the worker runs this); return how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=2 * settings.FANKUI_INTEGRATION_SKEW_SECONDS + 60)
    return UsedNonce.objects.filter(seen_at__lt=cutoff).delete()[0]


# ---- app users ---------------------------------------------------------------------------------


def _region(code: str, current: Region | None) -> Region | None:
    """The 大区 a code (or name) names; the one the user already has costs no query."""
    if not code:
        return None
    if current is not None and code.lower() in {current.code, current.name.lower()}:
        return current
    region = Region.objects.filter(code=code.lower()).first() or Region.objects.filter(name=code).first()
    if region is None:
        raise SignatureRefused(422, "unknown_region", f"未知大区“{code}”，请使用通讯录中的大区代码。")
    return region


def _username(integration: Integration, claims: signing.Claims) -> str:
    # Never typed at a login form: the account has no usable password and is reached only through
    # its integration's signature.
    return f"app-{integration.pk}-{claims.app_user_id}"


def identity_for(integration: Integration, claims: signing.Claims) -> AppIdentity:
    """The app user's reporter identity: created on first use, brought up to date on later calls."""
    known = AppIdentity.objects.select_related("user__profile__region__consultant")
    try:
        # get(), not first(): the pair is unique, and first() would add an ORDER BY to compile.
        found = known.get(integration=integration, app_user_id=claims.app_user_id)
    except AppIdentity.DoesNotExist:
        region = _region(claims.region, None)
        try:
            created = _create_identity(integration, claims, region)
            created.integration = integration
            return created
        except IntegrityError:  # the same new user's first two calls raced: the other one created it
            found = known.get(integration=integration, app_user_id=claims.app_user_id)
    # The integration (with its system) is loaded already: intake reads it, and would query it twice.
    found.integration = integration
    _update_identity(found, claims, _region(claims.region, found.user.profile.region))
    return found


@transaction.atomic
def _create_identity(integration: Integration, claims: signing.Claims, region: Region | None) -> AppIdentity:
    user = get_user_model()(username=_username(integration, claims), first_name=claims.name[:150])
    user.set_unusable_password()
    user.save()
    Profile.objects.create(
        user=user, role=Profile.Role.REPORTER, kind=claims.kind, region=region, project=claims.project, phone=claims.phone
    )
    return AppIdentity.objects.select_related("user__profile__region__consultant").get(
        pk=AppIdentity.objects.create(
            integration=integration, app_user_id=claims.app_user_id, user=user, display_name=claims.name, kind=claims.kind, house=claims.house
        ).pk
    )


def _update_identity(identity: AppIdentity, claims: signing.Claims, region: Region | None) -> None:
    """Write only what changed: most calls change nothing and write nothing."""
    wanted = {"display_name": claims.name, "kind": claims.kind, "house": claims.house}
    changed = [name for name, value in wanted.items() if getattr(identity, name) != value]
    if changed:
        for name in changed:
            setattr(identity, name, wanted[name])
        identity.save(update_fields=[*changed, "updated_at"])
    user = identity.user
    if user.first_name != claims.name[:150]:
        user.first_name = claims.name[:150]
        user.save(update_fields=["first_name"])
    profile = user.profile
    wanted_profile = {"kind": claims.kind, "region": region, "project": claims.project, "phone": claims.phone}
    changed = [name for name, value in wanted_profile.items() if getattr(profile, name) != value]
    if changed:
        for name in changed:
            setattr(profile, name, wanted_profile[name])
        profile.save(update_fields=changed)


def app_intake(identity: AppIdentity, intake: Intake, context: Mapping[str, str]) -> Intake:
    """An app user's report: about the integration's system unless the text names another, filed as
    the app user's kind, with what the app or page knew about where it came from."""
    return dataclasses.replace(
        intake,
        channel=Ticket.Channel.APP,
        reporter_kind=identity.kind,
        default_system=identity.integration.system,
        context={name: value for name, value in context.items() if value},
    )


def accept_call(call: SignedCall) -> AppIdentity:
    """Check a signed call and return the reporter it is made for."""
    integration, claims = verify_call(call)
    return identity_for(integration, claims)


def accept_filing_call(call: SignedCall) -> tuple[AppIdentity, Callable[[], None]]:
    """Check a signed call that files a report: the reporter, and the claim of the call's nonce, which the
    report's own transaction makes (one write transaction per report, not two)."""
    now = timezone.now()
    integration, claims = verify_call(call, now=now, use_nonce=False)
    return identity_for(integration, claims), nonce_claim(integration, call.nonce, now)


# ---- push --------------------------------------------------------------------------------------


def push_address(user: AbstractBaseUser, ticket_ref: str) -> dict[str, object] | None:
    """For an app user: their app user id and their integration, which the gateway delivers to, and the
    H5 conversation (the app opens it through a hand-off link, `POST /api/v1/integrations/h5-links`)."""
    identity = AppIdentity.objects.select_related("integration").filter(user_id=user.pk).first()
    if identity is None:
        return None
    url = absolute_url("integrations:h5_ticket", ticket_ref) if ticket_ref else absolute_url("integrations:h5_mine")
    return {"recipient": identity.app_user_id, "integration": identity.integration.key, "url": url}
