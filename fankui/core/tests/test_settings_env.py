"""Settings readers: a secret comes from its variable or from a mounted file, and a mistake fails loudly."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from fankui.settings import env_secret


def test_a_secret_is_read_from_its_variable_or_its_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("FANKUI_LDAP_BIND_PASSWORD_FILE", raising=False)
    monkeypatch.setenv("FANKUI_LDAP_BIND_PASSWORD", "from-env")
    assert env_secret("FANKUI_LDAP_BIND_PASSWORD") == "from-env"
    monkeypatch.delenv("FANKUI_LDAP_BIND_PASSWORD")
    assert env_secret("FANKUI_LDAP_BIND_PASSWORD") == ""
    (tmp_path / "secret").write_text("from-file\n")
    monkeypatch.setenv("FANKUI_LDAP_BIND_PASSWORD_FILE", str(tmp_path / "secret"))
    assert env_secret("FANKUI_LDAP_BIND_PASSWORD") == "from-file"


def test_both_or_a_missing_file_is_refused_without_showing_the_secret(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FANKUI_LDAP_BIND_PASSWORD_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="cannot read .*missing"):
        env_secret("FANKUI_LDAP_BIND_PASSWORD")
    monkeypatch.setenv("FANKUI_LDAP_BIND_PASSWORD", "s3cret-value")
    with pytest.raises(ImproperlyConfigured, match="not both") as raised:
        env_secret("FANKUI_LDAP_BIND_PASSWORD")
    assert "s3cret-value" not in str(raised.value)
