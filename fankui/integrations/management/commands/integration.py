"""`fankui integration create|rotate|revoke`: the admin page's integration actions, for scripts and deployments."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fankui.directory.models import System
from fankui.integrations.models import Integration
from fankui.integrations.services import create_integration, revoke_secrets, rotate_secret


class Command(BaseCommand):
    help = "管理系统集成。Integrations: create NAME --key K --system S [--origin URL …] | rotate KEY | revoke KEY."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="登记系统集成；只打印签名密钥（仅此一次可见）")
        create.add_argument("name")
        create.add_argument("--key", required=True, help="公开标识，如 yiying-life")
        create.add_argument("--system", required=True, help="通讯录中的系统名称，如 一应生活APP")
        create.add_argument("--origin", action="append", default=[], help="允许嵌入问题反馈按钮的网页来源，可重复")
        for name, text in (("rotate", "轮换密钥（旧密钥在宽限期内仍有效）；只打印新密钥"), ("revoke", "立即撤销全部密钥")):
            actions.add_parser(name, help=text).add_argument("key")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "create":
            system = System.objects.filter(name=options["system"]).first()
            if system is None:
                raise CommandError(f"通讯录中没有系统“{options['system']}”。")
            try:
                _, issued = create_integration(name=options["name"], key=options["key"], system=system, allowed_origins="\n".join(options["origin"]))
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from exc
            # The secret alone on one line, so scripts can capture it: SECRET=$(fankui integration create …)
            self.stdout.write(issued.secret)
            return
        integration = Integration.objects.filter(key=options["key"]).first()
        if integration is None:
            raise CommandError(f"没有标识为 {options['key']} 的系统集成。")
        if action == "rotate":
            self.stdout.write(rotate_secret(integration).secret)
        else:
            self.stdout.write(f"已撤销 {revoke_secrets(integration)} 个密钥。")
