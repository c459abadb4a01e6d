"""Standings from the ledger, snapshots, and the CLI."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from haotong.core.models import AuditEntry
from haotong.race import queries, services
from haotong.race.models import RaceReport
from haotong.race.rules import DEFAULT_WEIGHTS, parse_period
from tests.race.conftest import AS_OF


def _points(board):
    return {s.name: str(s.points) for s in board.standings}


def test_standings_score_the_ledger_events_of_owned_projects(race_ledger):
    board = queries.board(parse_period("2023-Q1"), AS_OF)
    assert _points(board) == {"五接镇招商队伍": "45", "西亭镇招商队伍": "5"}
    top = board.ranked[0]
    assert (top.signed, top.started, top.tech, top.investment_yuan) == (1, 1, 1, 200_000_000)


def test_as_of_recomputation_ignores_later_events_and_repeats_exactly(race_ledger):
    early = queries.board(parse_period("2023-Q1"), date(2023, 1, 10))
    assert _points(early) == {"五接镇招商队伍": "33", "西亭镇招商队伍": "0"}
    again = queries.board(parse_period("2023-Q1"), date(2023, 1, 10))
    assert again.standings == early.standings


def test_as_of_uses_the_rule_version_in_effect_then(race_ledger, colleague):
    services.create_rule_version(
        actor=colleague,
        weights={**DEFAULT_WEIGHTS, "started": 100},
        effective_from=date(2023, 3, 1),
        expected_version=1,
        source="user",
    )
    before = queries.board(parse_period("2023-Q1"), date(2023, 2, 28))
    after = queries.board(parse_period("2023-Q1"), AS_OF)
    assert (before.rule.version, after.rule.version) == (1, 2)
    assert _points(before)["五接镇招商队伍"] == "45"
    assert _points(after)["五接镇招商队伍"] == "135"


def test_snapshot_is_recomputable_and_every_run_is_audited(race_ledger):
    first = services.snapshot_month(
        actor=None, month=date(2023, 2, 1), source="system", as_of=AS_OF
    )
    again = services.snapshot_month(
        actor=None, month=date(2023, 2, 1), source="system", as_of=AS_OF
    )
    assert first.pk == again.pk and RaceReport.objects.count() == 1
    rows = {r.team.name: (r.rank, r.points, r.flag) for r in again.rows.select_related("team")}
    assert rows["西亭镇招商队伍"][0] == 1 and rows["西亭镇招商队伍"][2] == "red"
    actions = list(
        AuditEntry.objects.filter(model="race.racereport")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["snapshot", "recompute"]


def test_report_rows_show_the_change_since_last_month(race_ledger):
    for m in (1, 2):
        services.snapshot_month(actor=None, month=date(2023, m, 1), source="system", as_of=AS_OF)
    feb = RaceReport.objects.get(month=date(2023, 2, 1))
    changes = {r["row"].team.name: r["change"] for r in queries.report_rows(feb)}
    # January: 五接 1st, 西亭 2nd. February: 西亭 1st (5 points) over 五接 (2 points).
    assert changes == {"西亭镇招商队伍": 1, "五接镇招商队伍": -1}


def test_cli_prints_standings_as_json(race_ledger):
    out = StringIO()
    call_command(
        "race",
        "standings",
        "--period",
        "2023-Q1",
        "--as-of",
        "2023-03-03",
        "--format",
        "json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["period"] == "2023-Q1" and data["rule_version"] == 1
    first = data["standings"][0]
    assert set(first) >= {
        "team",
        "kind",
        "rank",
        "points",
        "signed",
        "started",
        "investment_yuan",
        "tech",
        "talent",
        "major_attraction",
    }
    assert (first["team"], first["kind"], first["rank"], first["points"]) == (
        "五接镇招商队伍",
        "town",
        1,
        "45",
    )
    assert first["investment_yuan"] == "200000000.00"
    assert data["unranked"] == []


def test_cli_refuses_a_bad_period_in_chinese(race_ledger):
    with pytest.raises(CommandError, match="格式应为"):
        call_command("race", "standings", "--period", "2023-Q5")


def test_cli_snapshot_creates_the_monthly_report(race_ledger, settings):
    from haotong.core.models import DistrictSetting
    from haotong.ledger.models import AS_OF_KEY

    DistrictSetting.objects.create(key=AS_OF_KEY, value="2023-03-03")
    call_command("race", "snapshot", "--month", "2023-01", stdout=StringIO())
    assert RaceReport.objects.get().as_of == date(2023, 1, 31)
