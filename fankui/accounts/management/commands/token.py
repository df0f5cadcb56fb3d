"""`fankui token create|revoke|list`: API tokens for the apps and integrations."""
from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fankui.accounts.tokens import TokenError, create_token, revoke_token, tokens_of


class Command(BaseCommand):
    help = "管理 API 令牌。Manage API bearer tokens: create USERNAME [--name N] | revoke PREFIX | list USERNAME."
    # A lookup answers at once: the system checks would import every URL, API and model module.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="为用户创建令牌；只打印令牌本身（仅此一次可见）")
        create.add_argument("username")
        create.add_argument("--name", default="", help="用途说明，如 一应生活App")
        revoke = actions.add_parser("revoke", help="按前缀撤销令牌")
        revoke.add_argument("prefix")
        listing = actions.add_parser("list", help="列出用户的令牌（只显示前缀）")
        listing.add_argument("username")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "create":
                self._create(options["username"], options["name"])
            elif action == "revoke":
                record = revoke_token(options["prefix"])
                self.stdout.write(f"已撤销 {record.prefix}… ({record.user})")
            else:
                self._list(options["username"])
        except TokenError as exc:
            raise CommandError(exc.message) from exc

    def _create(self, username: str, name: str) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户名为 {username} 的账户。")
        # The token alone on one line, so scripts can capture it: TOKEN=$(fankui token create …)
        self.stdout.write(create_token(user=user, name=name).token)

    def _list(self, username: str) -> None:
        for record in tokens_of(username):
            state = f"已撤销 {timezone.localtime(record.revoked_at):%Y-%m-%d %H:%M}" if record.revoked_at else "有效"
            used = f"{timezone.localtime(record.last_used_at):%Y-%m-%d %H:%M}" if record.last_used_at else "从未使用"
            created = f"{timezone.localtime(record.created_at):%Y-%m-%d %H:%M}"
            self.stdout.write(f"{record.prefix}…  {state:<20} 创建 {created}  最近使用 {used}  {record.name}")
