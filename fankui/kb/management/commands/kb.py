"""`fankui kb reindex`: rebuild the full-text index; `fankui kb remind-expiring`: remind article owners."""
from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "知识库维护：reindex 重建全文索引；remind-expiring 提醒即将过期的文章。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        reindex = sub.add_parser("reindex", help="按数据库重建全文索引（可随时重复运行）")
        reindex.add_argument("--batch", type=int, default=2000, help="每批工单数")
        reindex.add_argument("--rebuild-fts", action="store_true", help="SQLite：从索引表重建 FTS5（修复不一致）")
        remind = sub.add_parser("remind-expiring", help="提醒维护人：文章或链接即将过期")
        remind.add_argument("--today", type=datetime.date.fromisoformat, default=None, help="YYYY-MM-DD（默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "reindex":
            from fankui.kb.indexing import rebuild_fts, reindex

            reindex(progress=lambda line: self.stdout.write(line), batch=options["batch"])
            if options["rebuild_fts"]:
                rebuild_fts()
                self.stdout.write("FTS5 已重建")
        else:
            from fankui.kb.services import remind_expiring_articles

            count = remind_expiring_articles(options["today"])
            self.stdout.write(f"已发出 {count} 条过期提醒")
