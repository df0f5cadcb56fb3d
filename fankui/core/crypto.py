"""Encryption of secrets at rest with rotatable keys.

Keys come from FANKUI_VAULT_KEYS (comma-separated Fernet keys, newest first). Without it a key
is generated once into the data folder, so a fresh install is encrypted from the first secret.
"""
from __future__ import annotations

import secrets
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def vault_keys() -> list[str]:
    """The keys in use, newest first: FANKUI_VAULT_KEYS, else the data folder's file (comma-separated, as
    `fankui restore` writes it), generated on first use."""
    if settings.FANKUI_VAULT_KEYS:
        return list(settings.FANKUI_VAULT_KEYS)
    path = settings.FANKUI_VAULT_KEY_FILE
    if not path.exists():
        path.write_bytes(Fernet.generate_key())
        path.chmod(0o600)
    return [key.strip() for key in path.read_text().split(",") if key.strip()]


@lru_cache(maxsize=4)
def _vault(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def vault() -> MultiFernet:
    return _vault(tuple(vault_keys()))


def encrypt(plaintext: str) -> str:
    return vault().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    return vault().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """Re-encrypt a token under the newest key (after a new key was put first)."""
    return vault().rotate(token.encode()).decode()


def new_server_keys() -> dict[str, str]:
    """A fresh FANKUI_SECRET_KEY and FANKUI_VAULT_KEYS, to set on every server of a new deployment."""
    return {"FANKUI_SECRET_KEY": secrets.token_urlsafe(48), "FANKUI_VAULT_KEYS": Fernet.generate_key().decode()}
