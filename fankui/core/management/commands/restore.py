"""`fankui restore FILE`: an archive of `fankui backup` into an empty installation."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fankui.core.backup import BackupError, restore_backup, verify
from fankui.core.management.backup_cli import progress_printer, read_passphrase


class Command(BaseCommand):
    help = ("把 fankui backup 的备份恢复到空的数据库和数据目录（附件写入当前配置的存储）。"
            "Restore a fankui backup into an empty database and data folder.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--passphrase-file", type=Path, help="口令所在的文件（也可用环境变量 FANKUI_BACKUP_PASSPHRASE）")
        parser.add_argument("--force", action="store_true", help="数据库里已有工单时也覆盖")

    def handle(self, *args: Any, file: Path, passphrase_file: Path | None, force: bool, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"找不到备份文件：{file}")
        passphrase = read_passphrase(passphrase_file, confirm=False)

        try:
            restored = restore_backup(file, passphrase, progress=progress_printer(self.stdout), force=force)
            call_command("migrate", verbosity=0)  # a backup of an older release: bring the schema up to this one
            counts = verify(restored.counts)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已恢复：{counts.tickets} 张工单、{counts.attachments} 个附件（{restored.files} 个文件）、"
                          f"{counts.secrets} 条加密账号密码。密钥已写入 {'、'.join(map(str, restored.key_files))}。")
        if restored.keys_differ_from_environment:
            self.stderr.write("注意：环境变量 FANKUI_VAULT_KEYS 与备份中的密钥不同，已加密的账号密码将无法解密。"
                              f"请在每台服务器上把 FANKUI_VAULT_KEYS 设为 {restored.key_files[1]} 的内容、"
                              f"FANKUI_SECRET_KEY 设为 {restored.key_files[0]} 的内容，然后重启。")
