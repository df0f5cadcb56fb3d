"""fankui settings: everything comes from the environment, with safe defaults.

Readers fail loudly on malformed values instead of silently falling back.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}") from exc


def env_secret(name: str) -> str:
    """A secret from NAME, or from the file NAME_FILE names (a mounted secret), never both."""
    path = os.environ.get(f"{name}_FILE")
    if path and os.environ.get(name):
        raise ImproperlyConfigured(f"set {name} or {name}_FILE, not both")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {path}: {exc.strerror}") from exc
    return os.environ.get(name, "")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_file(path: Path) -> str:
    """Read a generated secret from the data folder, creating it on first use."""
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def database_from_url(url: str) -> dict[str, object]:
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(f"DATABASE_URL must be postgres://…, got scheme {parsed.scheme!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")) or "postgres",
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


DATA_DIR = Path(env_str("FANKUI_DATA_DIR", "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env_str("FANKUI_SECRET_KEY") or _secret_file(DATA_DIR / "secret_key")
# Comma-separated Fernet keys, newest first; the first encrypts, all decrypt (rotation).
FANKUI_VAULT_KEYS = env_list("FANKUI_VAULT_KEYS", "")
FANKUI_VAULT_KEY_FILE = DATA_DIR / "vault_key"

DEBUG = env_bool("FANKUI_DEBUG")
ALLOWED_HOSTS = env_list("FANKUI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("FANKUI_CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")
FANKUI_BASE_URL = env_str("FANKUI_BASE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "fankui.core",
    "fankui.accounts",
    "fankui.directory",
    "fankui.kb",
    "fankui.routing",
    "fankui.tickets",
    "fankui.notify",
    "fankui.incidents",
    "fankui.workflow",
    "fankui.dashboard",
    "fankui.integrations",
]

MIDDLEWARE = [
    "fankui.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "fankui.urls"
WSGI_APPLICATION = "fankui.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fankui.core.context_processors.nav",
            ],
        },
    },
]

_database_url = env_str("DATABASE_URL")
if (_database_url or env_str("REDIS_URL")) and not (env_str("FANKUI_SECRET_KEY") and env_list("FANKUI_VAULT_KEYS", "")):
    # Keys generated into one server's data folder differ on the next server: sessions break and every
    # credential filed elsewhere answers InvalidToken. Shared data needs the same keys everywhere.
    raise ImproperlyConfigured(
        "使用 DATABASE_URL 或 REDIS_URL（多个进程或服务器共用数据）时，必须在每台服务器上设置同一个 FANKUI_SECRET_KEY "
        "和 FANKUI_VAULT_KEYS，否则别的服务器加密的账号密码无法解密。生成："
        "python -c 'import secrets; print(secrets.token_urlsafe(48))' 与 "
        "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
    )
if _database_url:
    DATABASES = {"default": database_from_url(_database_url)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "fankui.sqlite3",
            # Reusing the connection saves the PRAGMAs and file open on every request.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # WAL lets readers run beside the single writer; IMMEDIATE avoids
                # "database is locked" upgrades from read to write inside a transaction.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
HUEY: dict[str, object]
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "fankui", "url": REDIS_URL}
else:
    HUEY = {"huey_class": "huey.SqliteHuey", "name": "fankui", "filename": str(DATA_DIR / "huey.sqlite3")}
HUEY["immediate"] = env_bool("FANKUI_HUEY_IMMEDIATE")

# Rate limits, presence and other counts must agree between the web workers and between servers: Redis
# when there is one, else files in the data folder (shared by every process of one machine).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "fankui"}
    if REDIS_URL
    # One machine: every process shares a SQLite-backed cache in the data folder. FileBasedCache's incr is
    # a read then a rewrite (two processes can both count 5 → 6) and cost ~1 ms of file work per count.
    else {"BACKEND": "fankui.core.cache.SharedCache", "LOCATION": str(DATA_DIR / "shared-cache")}
}
HUEY["consumer"] = {"workers": env_int("FANKUI_WORKERS", 2), "worker_type": "thread"}

# PBKDF2-SHA256 (1,000,000 iterations in Django 5.2) needs no extra package; scrypt reads old hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Staff sign in with their LDAP / Active Directory password when FANKUI_LDAP_URL is set
# (fankui/accounts/ldap.py); local accounts (admin, demo) keep their own passwords through ModelBackend.
AUTHENTICATION_BACKENDS = ["fankui.accounts.ldap.DirectoryBackend", "django.contrib.auth.backends.ModelBackend"]
FANKUI_LDAP_URL = env_str("FANKUI_LDAP_URL")  # ldap://dc1.example.cn:389 or ldaps://…; empty: LDAP off
FANKUI_LDAP_START_TLS = env_bool("FANKUI_LDAP_START_TLS")
FANKUI_LDAP_BIND_DN = env_str("FANKUI_LDAP_BIND_DN")  # the service account that looks users up
FANKUI_LDAP_BIND_PASSWORD = env_secret("FANKUI_LDAP_BIND_PASSWORD")  # or FANKUI_LDAP_BIND_PASSWORD_FILE
FANKUI_LDAP_USER_BASE = env_str("FANKUI_LDAP_USER_BASE")  # ou=staff,dc=example,dc=cn
# OpenLDAP: (uid=%(user)s); Active Directory: (sAMAccountName=%(user)s)
FANKUI_LDAP_USER_FILTER = env_str("FANKUI_LDAP_USER_FILTER", "(uid=%(user)s)")
FANKUI_LDAP_ATTRS = {
    "name": env_str("FANKUI_LDAP_ATTR_NAME", "displayName"),
    "mail": env_str("FANKUI_LDAP_ATTR_MAIL", "mail"),
    "phone": env_str("FANKUI_LDAP_ATTR_PHONE", "mobile"),
    # Matched to a 大区 by name (华南, 华南大区) or code (huanan); Active Directory: department
    "region": env_str("FANKUI_LDAP_ATTR_REGION", "ou"),
}
FANKUI_LDAP_TIMEOUT_SECONDS = env_float("FANKUI_LDAP_TIMEOUT_SECONDS", 5)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
MEDIA_ROOT = DATA_DIR / "files"  # outside the web root; served only through permission checks

# Attachments: the data folder on one machine; with several app servers, S3-compatible object storage
# (MinIO, 阿里云 OSS, 腾讯云 COS, AWS S3) that every server and worker reads, set by FANKUI_S3_BUCKET.
def s3_storage(bucket: str, *, endpoint_url: str, access_key: str, secret_key: str, region: str = "", prefix: str = "",
               addressing_style: str = "path") -> dict[str, object]:
    """django-storages' S3 backend as fankui uses it (also built by the tests against their S3 server)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,  # empty: AWS itself
            "region_name": region or None,
            "access_key": access_key,
            "secret_key": secret_key,
            "location": prefix,  # a folder inside a shared bucket
            # MinIO answers path-style (host/bucket/key) out of the box; OSS and COS want "virtual".
            "addressing_style": addressing_style,
            "signature_version": "s3v4",
            "default_acl": None,  # the bucket's own policy: private
            "file_overwrite": True,  # names are content hashes: the same name is the same bytes
        },
    }


FANKUI_S3_BUCKET = env_str("FANKUI_S3_BUCKET")
_attachments: dict[str, object] = (
    s3_storage(
        FANKUI_S3_BUCKET,
        endpoint_url=env_str("FANKUI_S3_ENDPOINT_URL"),
        access_key=env_str("FANKUI_S3_ACCESS_KEY_ID"),
        secret_key=env_secret("FANKUI_S3_SECRET_ACCESS_KEY"),  # or FANKUI_S3_SECRET_ACCESS_KEY_FILE
        region=env_str("FANKUI_S3_REGION"),
        prefix=env_str("FANKUI_S3_PREFIX"),
        addressing_style=env_str("FANKUI_S3_ADDRESSING_STYLE", "path"),
    )
    if FANKUI_S3_BUCKET
    else {"BACKEND": "fankui.core.storage.ContentAddressedStorage"}
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "attachments": _attachments,
}

# Behind a TLS-terminating proxy (nginx, a load balancer): FANKUI_HTTPS=1 marks cookies secure, sends
# HSTS and trusts the proxy's X-Forwarded-Proto; `fankui check --deploy` is then clean.
if env_bool("FANKUI_HTTPS"):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("FANKUI_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("FANKUI_HSTS_PRELOAD", True)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

EMAIL_HOST = env_str("FANKUI_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = env_int("FANKUI_SMTP_PORT", 1025)
EMAIL_HOST_USER = env_str("FANKUI_SMTP_USER")
EMAIL_HOST_PASSWORD = env_str("FANKUI_SMTP_PASSWORD")
EMAIL_USE_TLS = env_bool("FANKUI_SMTP_TLS")
DEFAULT_FROM_EMAIL = env_str("FANKUI_MAIL_FROM", "fankui@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "fankui.core.logs.RequestContext"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {"()": "fankui.core.logs.JsonFormatter"},
    },
    # FANKUI_LOG_FORMAT=json: one JSON object per line (time, level, logger, message, request_id, user_id).
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request"],
                             "formatter": "json" if env_str("FANKUI_LOG_FORMAT", "plain") == "json" else "plain"}},
    "root": {"handlers": ["console"], "level": env_str("FANKUI_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Its INFO lines name every account that signs in; fankui.accounts.ldap logs what matters.
        "django_auth_ldap": {"level": "WARNING"},
        # Huey adds a handler of its own to a "huey" logger that has none: giving it ours (and not
        # propagating) prints each worker line once.
        "huey": {"handlers": ["console"], "propagate": False},
        # aiosmtpd logs its own start-up readiness probe as a lost connection.
        "mail.log": {"level": "WARNING"},
    },
}

# Static files are served from the apps' folders by WhiteNoise: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True

# Ticket workflow. SLA hours are business hours (see fankui/core/data/calendar.yaml).
FANKUI_SLA_HOURS = {
    "urgent": {"response": env_int("FANKUI_SLA_URGENT_RESPONSE_HOURS", 1), "resolution": env_int("FANKUI_SLA_URGENT_RESOLUTION_HOURS", 8)},
    "normal": {"response": env_int("FANKUI_SLA_NORMAL_RESPONSE_HOURS", 4), "resolution": env_int("FANKUI_SLA_NORMAL_RESOLUTION_HOURS", 24)},
}
FANKUI_REOPEN_WINDOW_DAYS = env_int("FANKUI_REOPEN_WINDOW_DAYS", 3)
# Reports with no region (owners, head office) go to this consultant (a name in the directory);
# left empty, they wait in a first-line queue that every consultant sees.
FANKUI_FIRST_LINE_CONSULTANT = env_str("FANKUI_FIRST_LINE_CONSULTANT")
# Push gateway of the apps (HMAC-signed JSON); empty disables the channel.
FANKUI_PUSH_WEBHOOK_URL = env_str("FANKUI_PUSH_WEBHOOK_URL")
FANKUI_PUSH_WEBHOOK_SECRET = env_str("FANKUI_PUSH_WEBHOOK_SECRET")
FANKUI_WECOM_WEBHOOK_URL = env_str("FANKUI_WECOM_WEBHOOK_URL")
# A worker killed mid-send holds its row this long; then another sends it (at most one duplicate per crash).
FANKUI_DELIVERY_LEASE_SECONDS = env_int("FANKUI_DELIVERY_LEASE_SECONDS", 40)
# A failed send is tried again after this, then twice as long each time, at most an hour apart (8 tries).
FANKUI_DELIVERY_RETRY_SECONDS = env_int("FANKUI_DELIVERY_RETRY_SECONDS", 60)
# Knowledge base: remind an article's owner this many days before the article or one of its links expires.
FANKUI_KB_EXPIRY_REMINDER_DAYS = env_int("FANKUI_KB_EXPIRY_REMINDER_DAYS", 7)

# Read the text of screenshots in the worker (RapidOCR, ~2 s of CPU per image).
FANKUI_OCR = env_bool("FANKUI_OCR", True)

# Uploads (validated by content in fankui/tickets/attachments.py) and the API's request limits.
FANKUI_MAX_UPLOAD_BYTES = env_int("FANKUI_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
FANKUI_MAX_IMAGE_PIXELS = env_int("FANKUI_MAX_IMAGE_PIXELS", 40_000_000)
FANKUI_MAX_UPLOAD_FILES = env_int("FANKUI_MAX_UPLOAD_FILES", 10)
# How long an attachment link handed out by the API works without a session (an app's image view).
FANKUI_ATTACHMENT_LINK_SECONDS = env_int("FANKUI_ATTACHMENT_LINK_SECONDS", 600)
# Counted while a file streams in, before any view reads it (fankui/tickets/upload_limits.py).
FILE_UPLOAD_HANDLERS = [
    "fankui.tickets.upload_limits.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FANKUI_API_MAX_REQUEST_BYTES = env_int("FANKUI_API_MAX_REQUEST_BYTES", 10 * 1024 * 1024)
FANKUI_API_POSTS_PER_MINUTE = env_int("FANKUI_API_POSTS_PER_MINUTE", 60)

# Integrations (fankui/integrations): a signed call is accepted this many seconds either side of our
# clock; a rotated secret stays valid this many hours; an H5 hand-off starts a session of this many minutes.
FANKUI_INTEGRATION_SKEW_SECONDS = env_int("FANKUI_INTEGRATION_SKEW_SECONDS", 300)
FANKUI_INTEGRATION_SECRET_GRACE_HOURS = env_int("FANKUI_INTEGRATION_SECRET_GRACE_HOURS", 24)
FANKUI_H5_SESSION_MINUTES = env_int("FANKUI_H5_SESSION_MINUTES", 30)

# Mail intake: replies go to this address; more than this many mails per sender per hour are dropped.
FANKUI_INTAKE_ADDRESS = env_str("FANKUI_INTAKE_ADDRESS")
FANKUI_MAIL_RATE_LIMIT = env_int("FANKUI_MAIL_RATE_LIMIT", 20)
# The authserv-id of the group's own receiving relay: its Authentication-Results vouch for a mail's sender
# (fankui/tickets/mail/trust.py). Empty: only the reply token in fankui's own mails does.
FANKUI_MAIL_TRUSTED_RELAY = env_str("FANKUI_MAIL_TRUSTED_RELAY")
# The group's own mail domains (comma-separated, e.g. "cc-pg.cn,einyun.com"): a colleague writing from one
# of them with a ticket's reference is added to that ticket as a comment instead of filing a new one.
# The helpdesk mailbox over IMAP (腾讯企业邮箱: imap.exmail.qq.com), for when mail cannot be pointed at the
# SMTP listener: fetched by `fankui mail-fetch` and every minute by the worker while FANKUI_IMAP_HOST is set.
# The password only from the environment or a mounted file, never stored (fankui/tickets/mail/imap.py).
FANKUI_IMAP_HOST = env_str("FANKUI_IMAP_HOST")
FANKUI_IMAP_PORT = env_int("FANKUI_IMAP_PORT", 0)  # 0: 993 with TLS, 143 without
FANKUI_IMAP_USER = env_str("FANKUI_IMAP_USER")
FANKUI_IMAP_PASSWORD = env_secret("FANKUI_IMAP_PASSWORD")  # or FANKUI_IMAP_PASSWORD_FILE
FANKUI_IMAP_FOLDER = env_str("FANKUI_IMAP_FOLDER", "INBOX")
FANKUI_IMAP_DONE_FOLDER = env_str("FANKUI_IMAP_DONE_FOLDER", "fankui-done")
FANKUI_IMAP_TLS = env_bool("FANKUI_IMAP_TLS", True)
FANKUI_IMAP_CA_FILE = env_str("FANKUI_IMAP_CA_FILE")  # a private CA to trust, else the system's
# Acknowledgements of mailed reports per sender per hour (counted in the shared cache); more are not sent.
FANKUI_MAIL_ACKS_PER_HOUR = env_int("FANKUI_MAIL_ACKS_PER_HOUR", 5)
FANKUI_MAIL_STAFF_DOMAINS = [d.lower().lstrip("@") for d in env_list("FANKUI_MAIL_STAFF_DOMAINS", "")]

# 共性问题: when similar reports become an incident (measured by benchmarks/bench_outages.py).
# /metrics (Prometheus): scrapers with this bearer token, or at these addresses (comma-separated CIDRs).
FANKUI_METRICS_TOKEN = env_str("FANKUI_METRICS_TOKEN")
FANKUI_METRICS_ALLOW = env_str("FANKUI_METRICS_ALLOW", "127.0.0.1/32,::1/128")
# Sign-in throttling (fankui.accounts.throttle): wrong passwords per account / per address before sign-in
# locks for FANKUI_LOGIN_LOCK_SECONDS, counted in the shared cache.
FANKUI_LOGIN_FAILURES_PER_ACCOUNT = env_int("FANKUI_LOGIN_FAILURES_PER_ACCOUNT", 5)
FANKUI_LOGIN_FAILURES_PER_ADDRESS = env_int("FANKUI_LOGIN_FAILURES_PER_ADDRESS", 30)
FANKUI_LOGIN_LOCK_SECONDS = env_int("FANKUI_LOGIN_LOCK_SECONDS", 900)
# Admins are told this many days ahead when the business calendar has no holiday data for the coming year.
FANKUI_CALENDAR_WARN_DAYS = env_int("FANKUI_CALENDAR_WARN_DAYS", 60)
FANKUI_INCIDENT_WINDOW_HOURS = env_float("FANKUI_INCIDENT_WINDOW_HOURS", 2)
# The worker's pass, every minute, looks again at reports of the last N minutes that are in no incident.
FANKUI_INCIDENT_REPASS_MINUTES = env_int("FANKUI_INCIDENT_REPASS_MINUTES", 15)
FANKUI_INCIDENT_MIN_REPORTERS = env_int("FANKUI_INCIDENT_MIN_REPORTERS", 3)
FANKUI_INCIDENT_MIN_REGIONS = env_int("FANKUI_INCIDENT_MIN_REGIONS", 2)
FANKUI_INCIDENT_SAME_REGION_REPORTERS = env_int("FANKUI_INCIDENT_SAME_REGION_REPORTERS", 5)
FANKUI_INCIDENT_RECENT_DAYS = env_int("FANKUI_INCIDENT_RECENT_DAYS", 3)
# A system with at most this many reports in the week before is "usually quiet": failures reported minutes
# apart on it link on weaker evidence (fankui/incidents/services.py QUIET_LINK_SCORE).
FANKUI_INCIDENT_QUIET_WEEKLY = env_int("FANKUI_INCIDENT_QUIET_WEEKLY", 70)
FANKUI_INCIDENT_STATUS_FOR_OWNERS = env_bool("FANKUI_INCIDENT_STATUS_FOR_OWNERS")
# A business-hours calendar file of your own (hours, holidays, 调休); empty: fankui/core/data/calendar.yaml.
FANKUI_BUSINESS_CALENDAR = env_str("FANKUI_BUSINESS_CALENDAR") or None
