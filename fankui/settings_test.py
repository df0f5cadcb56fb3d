"""Fast, isolated defaults for the test suite, kept in one place."""
from __future__ import annotations

import os
import tempfile

os.environ.setdefault("FANKUI_DATA_DIR", tempfile.mkdtemp(prefix="fankui-test-"))
os.environ.setdefault("FANKUI_HUEY_IMMEDIATE", "1")
# Test-only keys, set like production sets them (required once DATABASE_URL or REDIS_URL is set).
os.environ.setdefault("FANKUI_SECRET_KEY", "fankui-tests-only-secret-key-never-used-in-production-0123456789")
os.environ.setdefault("FANKUI_VAULT_KEYS", "ZmFua3VpLXRlc3RzLW9ubHktdmF1bHQta2V5LTAwMDE=")

from fankui.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING["root"]["level"] = "WARNING"  # type: ignore[index]  # noqa: F405
# Each test starts from an empty cache (a rolled-back test's ids come back on SQLite; a counter kept in a
# shared cache would carry over). The service tests run real servers with the production setting.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# OCR costs seconds per image; the tests that exercise it turn it on.
FANKUI_OCR = False

# Several checkouts may test against one PostgreSQL at once; each names its own test database.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("FANKUI_TEST_DB", "test_fankui")}  # noqa: F405
