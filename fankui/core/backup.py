"""`fankui backup` / `fankui restore`: the database, every attachment and the keys, in one archive.

Without the vault keys every stored credential is unreadable, and a generated key lives only in one data
folder; so the keys travel with the data, encrypted with a passphrase the operator keeps elsewhere (scrypt,
then Fernet). The database is copied with its own tools — SQLite's online backup (consistent while fankui
runs), `pg_dump`/`pg_restore` for PostgreSQL — and attachments are read through the storage layer, so a
backup taken from a bucket restores into a data folder and the other way round.

An archive is written to a temporary name and renamed when complete: a backup cut off half way leaves no
file that looks whole. A restore checks the passphrase and the archive before it changes anything, and
refuses a database that already holds tickets.
"""
from __future__ import annotations

import base64
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.db import connection
from django.utils import timezone

from fankui.core.crypto import vault_keys
from fankui.core.storage import attachment_storage

FORMAT = 1
MIN_PASSPHRASE = 12

Progress = Callable[[str, int, int], None]


class BackupError(Exception):
    """Why a backup or restore cannot go on; the message is for the operator (Chinese)."""


@dataclass(frozen=True)
class Counts:
    tickets: int
    attachments: int
    secrets: int


def _counts() -> Counts:
    from fankui.tickets.models import Attachment, Secret, Ticket

    return Counts(Ticket.objects.count(), Attachment.objects.count(), Secret.objects.count())


# --- keys -------------------------------------------------------------------------------------


def _passphrase_key(passphrase: str, salt: bytes) -> Fernet:
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(f"备份口令至少 {MIN_PASSPHRASE} 个字符。")
    derived = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def _sealed_keys(passphrase: str) -> tuple[bytes, bytes]:
    salt = os.urandom(16)
    keys = {"secret_key": settings.SECRET_KEY, "vault_keys": vault_keys()}
    return salt, _passphrase_key(passphrase, salt).encrypt(json.dumps(keys).encode())


def _open_keys(sealed: bytes, salt: bytes, passphrase: str) -> dict[str, Any]:
    try:
        keys: dict[str, Any] = json.loads(_passphrase_key(passphrase, salt).decrypt(sealed))
    except InvalidToken:
        raise BackupError("备份口令不对（或备份文件已损坏），什么都没有改。") from None
    return keys


# --- database ---------------------------------------------------------------------------------


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--host", str(db["HOST"] or "127.0.0.1"), "--port", str(db["PORT"] or 5432), "--username", str(db["USER"] or "postgres")]
    return args, {**os.environ, "PGPASSWORD": str(db["PASSWORD"] or "")}


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError:
        raise BackupError(f"找不到 {command[0]}：请安装与数据库同版本的 PostgreSQL 客户端（Debian: postgresql-client）。") from None
    if done.returncode:
        raise BackupError(f"{command[0]} 失败：{done.stderr.strip()[-800:]}")


def _dump_database(folder: Path) -> str:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = sqlite3.connect(folder / "database.sqlite3")
        with target:
            connection.connection.backup(target)  # consistent even while other processes write
        target.close()
        return "database.sqlite3"
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args,
              "--file", str(folder / "database.pgdump"), str(connection.settings_dict["NAME"])], env)
        return "database.pgdump"
    raise BackupError(f"不支持的数据库：{connection.vendor}")


def _load_database(source: Path) -> None:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(source)
        with copy:
            copy.backup(connection.connection)
        copy.close()
        return
    args, env = _pg_env()
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error", *args,
          "--dbname", str(connection.settings_dict["NAME"]), str(source)], env)
    connection.close()  # the schema was replaced under this connection


# --- archive ----------------------------------------------------------------------------------


def _blob_names() -> list[str]:
    from fankui.tickets.attachments import blob_name
    from fankui.tickets.models import Attachment

    names: dict[str, None] = {}
    for sha, has_thumbnail in Attachment.objects.values_list("sha256", "has_thumbnail").order_by("id"):
        names.setdefault(blob_name(sha), None)
        if has_thumbnail:
            names.setdefault(blob_name(sha, thumbnail=True), None)
    return list(names)


def create_backup(target: Path, passphrase: str, *, progress: Progress | None = None) -> Counts:
    """Write the archive to `target` (a .tar file); return what it holds."""
    salt, sealed = _sealed_keys(passphrase)  # refuses a short passphrase before any work
    storage = attachment_storage()
    with tempfile.TemporaryDirectory(prefix="fankui-backup-") as work:
        database = _dump_database(Path(work))
        counts = _counts()
        names = _blob_names()
        manifest = {
            "format": FORMAT, "created": timezone.now().isoformat(), "database": connection.vendor,
            "database_file": database, "counts": counts.__dict__, "files": len(names),
            "salt": base64.b64encode(salt).decode(),
        }
        partial = target.with_name(f".{target.name}.partial")
        with tarfile.open(partial, "w") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            _add_bytes(archive, "keys.sealed", sealed)
            archive.add(Path(work) / database, arcname=database)
            for done, name in enumerate(names, 1):
                try:
                    with storage.open(name, "rb") as stored:
                        _add_bytes(archive, f"files/{name}", stored.read())
                except FileNotFoundError:
                    partial.unlink(missing_ok=True)
                    raise BackupError(f"附件文件不在存储中：{name}；备份没有写出（先查明存储问题）。") from None
                if progress and (done % 200 == 0 or done == len(names)):
                    progress("files", done, len(names))
        partial.chmod(0o600)
        os.replace(partial, target)
    return counts


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
    archive.addfile(info, io.BytesIO(data))


@dataclass(frozen=True)
class Restored:
    counts: Counts
    files: int
    key_files: tuple[Path, ...]
    keys_differ_from_environment: bool


def restore_backup(source: Path, passphrase: str, *, progress: Progress | None = None, force: bool = False) -> Restored:
    """Put an archive's database, attachments and keys in place of this (empty) installation."""
    from fankui.tickets.attachments import _write_once

    try:
        archive = tarfile.open(source, "r")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"不是 fankui 备份文件：{source}（{exc}）") from None
    with archive, tempfile.TemporaryDirectory(prefix="fankui-restore-") as work:
        manifest = json.loads(_member(archive, "manifest.json"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"备份格式 {manifest.get('format')} 不是本版本能读的格式 {FORMAT}。")
        keys = _open_keys(_member(archive, "keys.sealed"), base64.b64decode(manifest["salt"]), passphrase)
        if manifest["database"] != connection.vendor:
            raise BackupError(f"备份来自 {manifest['database']} 数据库，当前配置的是 {connection.vendor}：请在同类数据库上恢复。")
        if not force and _has_tickets():
            raise BackupError("当前数据库里已经有工单：恢复会覆盖它们。请恢复到空的数据库，或确认后加 --force。")
        database = Path(work) / "database"
        database.write_bytes(_member(archive, manifest["database_file"]))
        # Files first: storing them twice is harmless (content-addressed), a database pointing at files
        # that never arrived is not.
        files = [m for m in archive.getmembers() if m.isfile() and m.name.startswith("files/attachments/")]
        for done, member in enumerate(files, 1):
            _write_once(member.name.removeprefix("files/"), _member(archive, member.name))
            if progress and (done % 200 == 0 or done == len(files)):
                progress("files", done, len(files))
        _load_database(database)
        key_files = _write_keys(keys)
    return Restored(Counts(**manifest["counts"]), len(files), key_files,
                    bool(settings.FANKUI_VAULT_KEYS) and list(settings.FANKUI_VAULT_KEYS) != list(keys["vault_keys"]))


def _member(archive: tarfile.TarFile, name: str) -> bytes:
    try:
        handle = archive.extractfile(name)
    except KeyError:
        raise BackupError(f"备份文件不完整：缺少 {name}。") from None
    if handle is None:
        raise BackupError(f"备份文件不完整：{name} 不是文件。")
    return handle.read()


def _has_tickets() -> bool:
    from fankui.tickets.models import Ticket

    if "tickets_ticket" not in connection.introspection.table_names():
        return False
    return Ticket.objects.exists()


def _write_keys(keys: dict[str, Any]) -> tuple[Path, ...]:
    """The keys into this data folder (used when the environment sets none)."""
    data = Path(settings.DATA_DIR)
    written = []
    for name, value in (("secret_key", keys["secret_key"]), ("vault_key", ",".join(keys["vault_keys"]))):
        path = data / name
        path.write_text(value)
        path.chmod(0o600)
        written.append(path)
    return tuple(written)


def verify(expected: Counts) -> Counts:
    """What the restored database holds, compared by the command with the manifest."""
    found = _counts()
    if found != expected:
        raise BackupError(f"恢复后的数量与备份不符：备份 {expected}，恢复后 {found}。")
    return found


__all__ = ["BackupError", "Counts", "Restored", "create_backup", "restore_backup", "verify"]
