"""What `fankui backup` and `fankui restore` share: the passphrase (a file, the environment, or a prompt) and
progress lines."""
from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path

from django.core.management.base import CommandError, OutputWrapper

ENV = "FANKUI_BACKUP_PASSPHRASE"


def read_passphrase(file: Path | None, *, confirm: bool) -> str:
    if file is not None:
        try:
            return file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise CommandError(f"读不了口令文件 {file}：{exc.strerror}") from None
    if os.environ.get(ENV):
        return os.environ[ENV]
    if not sys.stdin.isatty():
        raise CommandError(f"需要备份口令：用 --passphrase-file 指定文件，或设置环境变量 {ENV}。")
    first = getpass.getpass("备份口令：")
    if confirm and getpass.getpass("再输入一次：") != first:
        raise CommandError("两次输入的口令不一样。")
    return first


def progress_printer(stdout: OutputWrapper) -> Callable[[str, int, int], None]:
    def progress(stage: str, done: int, total: int) -> None:
        stdout.write(f"· 附件 {done}/{total}")
        stdout.flush()

    return progress
