"""`fankui backup FILE`: the database, every attachment and the keys (sealed with a passphrase) in one archive."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fankui.core.backup import BackupError, create_backup
from fankui.core.management.backup_cli import progress_printer, read_passphrase


class Command(BaseCommand):
    help = ("备份数据库、全部附件和密钥（密钥用口令加密）到一个文件。"
            "Back up the database, every attachment and the keys (sealed with a passphrase) into one archive.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, nargs="?", help="默认 fankui-backup-<时间>.tar")
        parser.add_argument("--passphrase-file", type=Path, help="口令所在的文件（也可用环境变量 FANKUI_BACKUP_PASSPHRASE）")

    def handle(self, *args: Any, file: Path | None, passphrase_file: Path | None, **options: Any) -> None:
        target = file or Path(f"fankui-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar")
        if target.exists():
            raise CommandError(f"{target} 已存在：不会覆盖旧备份。")
        passphrase = read_passphrase(passphrase_file, confirm=True)

        try:
            counts = create_backup(target, passphrase, progress=progress_printer(self.stdout))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已备份到 {target}：{counts.tickets} 张工单、{counts.attachments} 个附件、{counts.secrets} 条加密账号密码。"
                          "请把口令另外保管：没有口令，备份里的密钥无法取出。")
