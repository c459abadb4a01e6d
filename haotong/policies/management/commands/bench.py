"""``haotong bench match --enterprises N --clauses M``: the policy-matching benchmark.

A thin wrapper: the benchmark itself is the pure module
``haotong.policies.engine.bench``. ``bench`` takes a subcommand so that other
benchmarks can be added beside ``match``.
"""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haotong.policies.engine import bench as match_bench

SUBCOMMANDS = {"match": "政策匹配：N 家企业 × M 条条款（合成数据）"}


class Command(BaseCommand):
    help = "基准测试。子命令：match（政策匹配）"
    requires_system_checks: list[str] = []  # pure computation: no database, no models

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subcommand", choices=sorted(SUBCOMMANDS), help="match")
        parser.add_argument(
            "rest",
            nargs=argparse.REMAINDER,
            help="子命令的参数，如 --enterprises 1000000 --clauses 100",
        )

    def run_from_argv(self, argv: list[str]) -> None:
        # pass `--help` after the subcommand through to the subcommand's own parser
        if (
            len(argv) > 3
            and argv[2] in SUBCOMMANDS
            and any(a in ("-h", "--help") for a in argv[3:])
        ):
            match_bench.parser().print_help()
            return
        super().run_from_argv(argv)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "match":
            code = match_bench.main(options["rest"])
            if code:
                raise CommandError(f"bench match 失败（退出码 {code}）")
