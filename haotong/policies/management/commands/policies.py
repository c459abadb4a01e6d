"""``haotong policies match``: match every enterprise against every clause and
store the results (what the enterprise pages and the uptake dashboard read)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from haotong.policies.eligibility import run_match


class Command(BaseCommand):
    help = "惠企政策。子命令：match（全部企业 × 全部条款，结果入库）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subcommand", choices=["match"])

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        run = run_match(actor=None, source="system")
        total = time.perf_counter() - started
        self.stdout.write(
            f"匹配 #{run.pk}：{run.enterprises} 家企业 × {run.clauses} 条条款，"
            f"符合 {run.eligible} 对，无法判断 {run.unknown} 对；"
            f"引擎 {run.engine_ms:.0f} 毫秒，含读写数据库共 {total:.2f} 秒"
        )
