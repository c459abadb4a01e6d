"""Reads for the race: the scored-events table from the ledger, standings for a
period as of a date, a team's events for the drill-down, the chart's history.

Scored events: ``signed`` and ``started`` StageEvents and InvestmentReports of
projects with an owner team. The team is the project's current owner team and the
tags (科创/人才/重大招商) its current flags: the ledger keeps no history of either
outside the audit trail, so a later change re-attributes past events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from django.db.models import BigIntegerField, F, QuerySet, Value
from django.db.models.functions import Cast, Round

from haotong.core.models import Team
from haotong.ledger.models import InvestmentReport, Project, StageEvent
from haotong.race import aggregate, engine
from haotong.race.models import RaceReport, RaceRule, RaceSnapshot
from haotong.race.rules import Period, PeriodError, Rule
from haotong.race.table import EVENT_SCHEMA, INVESTMENT, TEAM_SCHEMA, Standing

PROJECT_COLUMNS = (
    "project__owner_team_id",
    "project_id",
    "inv_fen",
    "project__tag_tech",
    "project__tag_talent",
    "project__tag_major_attraction",
)


class NoRuleError(PeriodError):
    """No scoring rule was in effect on the date asked for."""


def _fen(field: str) -> Cast:
    return Cast(Round(F(field) * 100), BigIntegerField())


def events_frame(
    *, start: date | None, end: date, teams: Iterable[int] | None = None
) -> pl.DataFrame:
    """Scored events dated ``start``..``end`` (two queries, no model instances)."""
    stage_qs: QuerySet[Any] = StageEvent.objects.filter(
        stage__in=("signed", "started"), project__owner_team__isnull=False, date__lte=end
    )
    report_qs: QuerySet[Any] = InvestmentReport.objects.filter(
        project__owner_team__isnull=False, month__lte=end
    )
    if start is not None:
        stage_qs = stage_qs.filter(date__gte=start)
        report_qs = report_qs.filter(month__gte=start)
    if teams is not None:
        stage_qs = stage_qs.filter(project__owner_team__in=list(teams))
        report_qs = report_qs.filter(project__owner_team__in=list(teams))
    inv = _fen("project__investment_yuan")
    stage_rows = stage_qs.annotate(inv_fen=inv, done=Value(0, BigIntegerField())).values_list(
        "stage", "id", "date", *PROJECT_COLUMNS[:2], "inv_fen", "done", *PROJECT_COLUMNS[3:]
    )
    report_rows = report_qs.annotate(inv_fen=inv, done=_fen("completed_yuan")).values_list(
        "id", "month", *PROJECT_COLUMNS[:2], "inv_fen", "done", *PROJECT_COLUMNS[3:]
    )
    rows = list(stage_rows) + [(INVESTMENT, *r) for r in report_rows]
    return pl.DataFrame(rows, schema=EVENT_SCHEMA, orient="row")


def teams_frame(kind: str | None = None) -> pl.DataFrame:
    qs = Team.objects.order_by("name")
    if kind:
        qs = qs.filter(kind=kind)
    rows = list(qs.values_list("id", "name", "kind", "staff"))
    return pl.DataFrame(rows, schema=TEAM_SCHEMA, orient="row")


def rule_in_effect(as_of: date) -> RaceRule:
    rule = RaceRule.objects.in_effect(as_of)
    if rule is None:
        raise NoRuleError(f"{as_of:%Y年%-m月%-d日}没有生效的赛马计分规则")
    return rule


@dataclass(frozen=True)
class Board:
    period: Period
    as_of: date
    rule: RaceRule
    standings: list[Standing]

    @property
    def ranked(self) -> list[Standing]:
        return [s for s in self.standings if s.rank is not None]

    @property
    def unranked(self) -> list[Standing]:
        return [s for s in self.standings if s.rank is None]


def board(period: Period, as_of: date, *, kind: str | None = None) -> Board:
    """Standings of ``period`` as of ``as_of`` under the rule in effect then,
    scored in the database (``aggregate``) and ranked by the engine."""
    record = rule_in_effect(as_of)
    rule = record.to_rule()
    teams = teams_frame(kind)
    monthly = aggregate.monthly_totals(
        rule, start=period.start, end=min(period.end, as_of), teams=teams["team_id"].to_list()
    )
    return Board(
        period, as_of, record, engine.rank(engine.period_totals(monthly, period), teams, rule)
    )


def team_events(team: Team, period: Period, as_of: date, rule: Rule) -> pl.DataFrame:
    """The team's scored events in the period with their points, newest first."""
    end = min(period.end, as_of)
    events = events_frame(start=period.start, end=end, teams=[team.pk])
    return engine.score_events(events, rule).sort(["on", "kind", "ref_id"], descending=True)


def project_names(ids: list[int], visible: QuerySet[Project]) -> dict[int, str]:
    """Names of the projects among ``ids`` the user may see (one query)."""
    return dict(visible.filter(pk__in=ids).values_list("pk", "name"))


def history(kind: str | None = None) -> dict[str, Any]:
    """Rank and points per team per month from the monthly reports (one query)."""
    rows = RaceSnapshot.objects.select_related("report", "team").order_by("report__month")
    if kind:
        rows = rows.filter(team__kind=kind)
    months: list[str] = []
    teams: dict[str, dict[str, Any]] = {}
    for row in rows:
        code = row.report.code
        if not months or months[-1] != code:
            months.append(code)
        series = teams.setdefault(row.team.name, {"kind": row.team.kind, "rank": {}, "points": {}})
        series["rank"][code] = row.rank
        series["points"][code] = float(row.points)
    return {
        "months": months,
        "teams": [
            {
                "name": name,
                "kind": s["kind"],
                "rank": [s["rank"].get(m) for m in months],
                "points": [s["points"].get(m) for m in months],
            }
            for name, s in sorted(teams.items())
        ],
    }


def report_rows(report: RaceReport) -> list[dict[str, Any]]:
    """The report's rows with the change of rank since the previous month's report."""
    previous = (
        RaceReport.objects.filter(month__lt=report.month).order_by("-month").only("pk").first()
    )
    before = (
        dict(RaceSnapshot.objects.filter(report=previous).values_list("team_id", "rank"))
        if previous
        else {}
    )
    out = []
    for row in report.rows.select_related("team"):
        was = before.get(row.team_id)
        change = was - row.rank if was is not None and row.rank is not None else None
        out.append({"row": row, "previous": was, "change": change})
    return out
