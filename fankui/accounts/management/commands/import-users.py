"""`fankui import-users FILE.xlsx|csv`: create or update staff accounts from the group's staff list."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fankui.accounts.staff_import import ImportFailed, import_staff_file

STAGES = {"check": "已检查", "accounts": "已写入账号", "profiles": "已写入角色/大区/项目"}


class Command(BaseCommand):
    help = ("导入员工名单（.xlsx 或 .csv；列：工号/用户名、姓名、手机、邮箱、角色、大区、项目、目录人员、初始密码）。"
            "先检查全部行，有任何错误则什么都不改。Import the staff list: all rows or none.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--every", type=int, default=5000, help="每检查多少行打印一次进度（默认 5000）")

    def handle(self, *args: Any, file: Path, every: int, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"找不到文件：{file}")
        if every < 1:
            raise CommandError("--every 必须是正整数")

        def progress(stage: str, done: int, total: int) -> None:
            self.stdout.write(f"· {STAGES[stage]} {done}/{total} 行", ending="\n")
            self.stdout.flush()

        try:
            result = import_staff_file(file, progress=progress, every=every)
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(error)
            raise CommandError(f"有 {len(failed.errors)} 处错误，没有导入任何账号。") from failed
        if result.ignored_columns:
            self.stdout.write(f"忽略了不认识的列：{'、'.join(result.ignored_columns)}")
        self.stdout.write(f"完成：{result.rows} 行，新建 {result.created}，更新 {result.updated}，未变 {result.unchanged}。")
