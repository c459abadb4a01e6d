"""``haotong api_token create|list|revoke``: manage API tokens for machine clients.

The key is printed once, at creation; only its hash is stored.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from haotong.api.models import ApiToken
from haotong.api.services import create_token, revoke_token
from haotong.core.models import AuditEntry, User


class Command(BaseCommand):
    help = "管理接口令牌：create 用户名 --name 用途 | list [--user 用户名] | revoke 前缀或ID"

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="为用户创建令牌，只显示一次")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="令牌用途，例如「市统计平台对接」")
        listing = actions.add_parser("list", help="列出令牌（不含密钥）")
        listing.add_argument("--user", dest="username", default=None)
        revoke = actions.add_parser("revoke", help="吊销令牌")
        revoke.add_argument("token", help="令牌前缀（如 htk_AbCd1234）或 ID")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options["username"], options["name"])
        elif action == "list":
            self._list(options["username"])
        else:
            self._revoke(options["token"])

    def _create(self, username: str, name: str) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户「{username}」")
        try:
            token, key = create_token(
                actor=None, user=user, name=name, source=AuditEntry.Source.SYSTEM
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(
            f"已为 {user.username} 创建令牌「{token.name}」（ID {token.pk}，前缀 {token.prefix}）。"
        )
        self.stdout.write("请立即保存下面的密钥，它不会再次显示：")
        self.stdout.write(key)

    def _list(self, username: str | None) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("id")
        if username:
            tokens = tokens.filter(user__username=username)
        for t in tokens:
            state = f"已吊销 {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "有效"
            used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "从未使用"
            self.stdout.write(
                f"{t.pk}\t{t.prefix}\t{t.user.username}\t{t.name}\t{state}\t最近使用 {used}"
            )

    def _revoke(self, ref: str) -> None:
        matches = list(
            ApiToken.objects.filter(pk=int(ref))
            if ref.isdigit()
            else ApiToken.objects.filter(prefix=ref)
        )
        if not matches:
            raise CommandError(f"没有令牌「{ref}」")
        if len(matches) > 1:
            raise CommandError(f"前缀「{ref}」对应多个令牌，请用 ID 吊销")
        token = revoke_token(actor=None, token=matches[0], source=AuditEntry.Source.SYSTEM)
        self.stdout.write(f"已吊销令牌「{token.name}」（{token.prefix}）。")
