"""`fankui backup` then `fankui restore` into an empty data folder and database gives back every ticket,
attachment and credential — read back by a separate fankui process, as an operator would after a disaster."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model

from fankui.core.backup import BackupError, create_backup, restore_backup
from fankui.core.testing import fresh_database, fresh_install_env
from fankui.tickets.services import IncomingFile, Intake, SecretInput, create_ticket
from fankui.tickets.tests.upload_samples import LOG_UTF8, image_bytes

PASSPHRASE = "青山不改 绿水长流 2026"

READ_BACK = """
import hashlib, json
from fankui.core.crypto import decrypt
from fankui.tickets.attachments import read_attachment
from fankui.tickets.models import Attachment, Secret, Ticket
print(json.dumps({
    "tickets": sorted((t.ref, t.description) for t in Ticket.objects.all()),
    "files": sorted((a.filename, hashlib.sha256(read_attachment(a)).hexdigest()) for a in Attachment.objects.all()),
    "thumbnails": sorted(a.filename for a in Attachment.objects.filter(has_thumbnail=True) if read_attachment(a, thumbnail=True)),
    "secrets": sorted((s.label, decrypt(s.ciphertext)) for s in Secret.objects.all()),
}, ensure_ascii=False))
"""


def fankui(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fankui.cli", *args], env=env, capture_output=True, text=True, timeout=300)


def read_back(env: dict[str, str]) -> dict[str, Any]:
    done = fankui(env, "shell", "--no-imports", "-c", READ_BACK)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.fixture
def source(transactional_db: Any, settings: Any, tmp_path: Path) -> dict[str, Any]:
    """A small installation: tickets with a screenshot, a log and a credential; what a restore must give back."""
    settings.MEDIA_ROOT = tmp_path / "source-files"
    reporter = get_user_model().objects.create_user("reporter-a")
    png = image_bytes("PNG", (320, 200))
    first = create_ticket(reporter=reporter, intake=Intake(
        description="金蝶EAS 登录失败，见截图", channel="web",
        files=[IncomingFile("登录失败.png", png), IncomingFile("eas.log", LOG_UTF8)],
        secrets=[SecretInput("密码", "Fk#2026-复现用")],
    )).ticket
    second = create_ticket(reporter=reporter, intake=Intake(description="一应生活APP 缴费后账单没变", channel="web")).ticket
    return {
        "tickets": sorted([[first.ref, first.description], [second.ref, second.description]]),
        "files": sorted([["eas.log", hashlib.sha256(LOG_UTF8).hexdigest()], ["登录失败.png", hashlib.sha256(png).hexdigest()]]),
        "thumbnails": ["登录失败.png"],
        "secrets": [["密码", "Fk#2026-复现用"]],
    }


def target_env(database_url: str | None, s3_env: dict[str, str]) -> dict[str, str]:
    """A new, empty installation. On PostgreSQL it runs as many servers do (the same keys set in the environment,
    attachments in a bucket); on SQLite as one machine does, its keys only in the data folder."""
    env = fresh_install_env(database_url=database_url)
    if database_url:
        env.update(s3_env, FANKUI_SECRET_KEY=django_settings.SECRET_KEY, FANKUI_VAULT_KEYS=",".join(django_settings.FANKUI_VAULT_KEYS))
    else:
        env.pop("FANKUI_SECRET_KEY", None)
        env.pop("FANKUI_VAULT_KEYS", None)
    return env


@pytest.mark.service
def test_backup_then_restore_into_an_empty_installation_gives_everything_back(source: dict[str, Any], tmp_path: Path, s3_env: dict[str, str]) -> None:
    archive = tmp_path / "fankui.tar"
    counts = create_backup(archive, PASSPHRASE)
    assert (counts.tickets, counts.attachments, counts.secrets) == (2, 2, 1)
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    (tmp_path / "passphrase").write_text(PASSPHRASE)

    with fresh_database() as database_url:
        env = target_env(database_url, s3_env)
        wrong = tmp_path / "wrong"
        wrong.write_text("不是这个口令不是这个口令")
        refused = fankui(env, "restore", str(archive), "--passphrase-file", str(wrong))
        assert refused.returncode != 0 and "口令不对" in refused.stderr

        done = fankui(env, "restore", str(archive), "--passphrase-file", str(tmp_path / "passphrase"))
        assert done.returncode == 0, done.stderr
        assert "2 张工单、2 个附件（3 个文件）、1 条加密账号密码" in done.stdout
        assert "Fk#2026" not in done.stdout + done.stderr  # secrets are never printed

        assert read_back(env) == source

        again = fankui(env, "restore", str(archive), "--passphrase-file", str(tmp_path / "passphrase"))
        assert again.returncode != 0 and "已经有工单" in again.stderr


def test_a_wrong_or_short_passphrase_and_a_damaged_archive_change_nothing(transactional_db: Any, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="至少 12 个字符"):
        create_backup(tmp_path / "a.tar", "short")
    assert not list(tmp_path.iterdir())  # not even a partial file

    archive = tmp_path / "b.tar"
    create_backup(archive, PASSPHRASE)
    with pytest.raises(BackupError, match="口令不对"):
        restore_backup(archive, "另一个足够长的口令但不对")
    damaged = tmp_path / "c.tar"
    damaged.write_bytes(archive.read_bytes()[:300])
    with pytest.raises(BackupError):
        restore_backup(damaged, PASSPHRASE)


def test_the_commands_need_a_passphrase_and_never_overwrite_a_backup(tmp_path: Path) -> None:
    env = fresh_install_env(["migrate"])
    env.pop("FANKUI_BACKUP_PASSPHRASE", None)
    no_passphrase = subprocess.run([sys.executable, "-m", "fankui.cli", "backup", str(tmp_path / "x.tar")], env=env,
                                   capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    assert no_passphrase.returncode != 0 and "需要备份口令" in no_passphrase.stderr
    (tmp_path / "old.tar").write_bytes(b"an earlier backup")
    env["FANKUI_BACKUP_PASSPHRASE"] = PASSPHRASE
    kept = fankui(env, "backup", str(tmp_path / "old.tar"))
    assert kept.returncode != 0 and "不会覆盖" in kept.stderr
    assert (tmp_path / "old.tar").read_bytes() == b"an earlier backup"
    made = fankui(env, "backup", str(tmp_path / "new.tar"))
    assert made.returncode == 0 and "0 张工单" in made.stdout, made.stderr
    assert os.path.getsize(tmp_path / "new.tar") > 0
