"""``haotong race standings|snapshot``: the race on the command line.

haotong race standings --period 2023-Q1 [--as-of 2023-03-03] [--kind town] --format json
haotong race snapshot --month 2023-02
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from haotong.ledger.models import ledger_as_of
from haotong.race import queries, services
from haotong.race.rules import PeriodError, parse_period
from haotong.race.table import Standing


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期「{text}」格式应为 YYYY-MM-DD") from None


def standing_json(s: Standing) -> dict[str, Any]:
    return {
        "team": s.name,
        "team_id": s.team_id,
        "kind": s.kind,
        "rank": s.rank,
        "points": str(s.points),
        "score": str(s.score),
        "signed": s.signed,
        "started": s.started,
        "investment_yuan": str(s.investment_yuan),
        "tech": s.tech,
        "talent": s.talent,
        "major_attraction": s.major,
        "staff": s.staff,
        "last_scored_on": s.last_scored_on.isoformat() if s.last_scored_on else None,
        "unranked_reason": s.unranked_reason or None,
    }


def board_json(board: queries.Board) -> dict[str, Any]:
    return {
        "period": board.period.code,
        "as_of": board.as_of.isoformat(),
        "rule_version": board.rule.version,
        "per_staff": board.rule.to_rule().per_staff,
        "standings": [standing_json(s) for s in board.ranked],
        "unranked": [standing_json(s) for s in board.unranked],
    }


class Command(BaseCommand):
    help = "赛马：按期间输出各招商队伍排名（standings），或生成月报快照（snapshot）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        st = sub.add_parser("standings", help="输出排名")
        st.add_argument("--period", required=True, help="YYYY、YYYY-MM 或 YYYY-Qn")
        st.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD，默认台账截至日期")
        st.add_argument("--kind", choices=["center", "park", "town"])
        st.add_argument("--format", choices=["json", "table"], default="table")
        snap = sub.add_parser("snapshot", help="生成（或重算）某月赛马月报")
        snap.add_argument("--month", required=True, help="YYYY-MM")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "standings":
            self._standings(options)
        else:
            self._snapshot(options["month"])

    def _standings(self, options: dict[str, Any]) -> None:
        try:
            period = parse_period(options["period"])
            as_of = _date(options["as_of"]) if options["as_of"] else ledger_as_of()
            board = queries.board(period, as_of, kind=options["kind"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(board_json(board), ensure_ascii=False))
            return
        self.stdout.write(f"{period.code} 截至 {as_of} · 规则 v{board.rule.version}")
        for s in board.standings:
            rank = str(s.rank) if s.rank else "—"
            self.stdout.write(
                f"{rank:>3} {s.name:<16} {s.kind:<7} {s.points:>10} 签约{s.signed} 开工{s.started} "
                f"完成投资{s.investment_yuan}元 {s.unranked_reason}"
            )

    def _snapshot(self, month: str) -> None:
        try:
            period = parse_period(month)
            if period.kind != "month":
                raise PeriodError(f"--month 应为 YYYY-MM，收到「{month}」")
            report = services.snapshot_month(actor=None, month=period.start, source="system")
        except (PeriodError, ValidationError) as exc:
            raise CommandError("；".join(getattr(exc, "messages", [str(exc)]))) from None
        red = [r.team.name for r in report.rows.select_related("team") if r.flag == "red"]
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成{report}（截至{report.as_of}，规则 v{report.rule.version}）：红旗 {'、'.join(red)}"
            )
        )
