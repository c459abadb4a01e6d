"""The leaderboard's fast path: score the events inside the database and return
one row per team and month, the same table ``engine.monthly_totals`` builds from
the events frame. Ranking then goes through ``engine.rank`` as always.

The rule's weights are passed as query parameters (data, never code). The SQL
repeats the engine's integer arithmetic — bands on the project's total, tags at
signing, starts, investment floored per report — and tests/race/test_aggregate.py
checks it against the engine on the same ledger rows. Why: loading a year's
events (≈500,000 rows at the benchmark's scale) into Python costs seconds per
page; aggregating in SQL returns ~240 rows.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl
from django.db.models import BigIntegerField, Case, Count, F, Max, Q, Sum, Value, When
from django.db.models.functions import Cast, Mod, Round, TruncMonth

from haotong.ledger.models import InvestmentReport, StageEvent
from haotong.race.rules import FEN_PER_YI, Rule

BIG = BigIntegerField()
MONTHLY_SCHEMA: dict[str, pl.DataType] = {
    "team_id": pl.Int64(),
    "month": pl.Date(),
    "points_milli": pl.Int64(),
    "signed": pl.Int64(),
    "started": pl.Int64(),
    "completed_fen": pl.Int64(),
    "tech": pl.Int64(),
    "talent": pl.Int64(),
    "major": pl.Int64(),
    "last_scored_on": pl.Date(),
}


def _int(value: int) -> Value:
    return Value(value, output_field=BIG)


def _stage_points(rule: Rule) -> Case:
    band = Case(
        *[
            When(project__investment_yuan__gte=Decimal(b.min_fen) / 100, then=_int(b.points_milli))
            for b in rule.bands
        ],
        default=_int(0),
        output_field=BIG,
    )
    tags = sum(
        (
            Case(
                When(**{f"project__{field}": True}, then=_int(w)), default=_int(0), output_field=BIG
            )
            for field, w in (
                ("tag_tech", rule.tech_milli),
                ("tag_talent", rule.talent_milli),
                ("tag_major_attraction", rule.major_milli),
            )
        ),
        start=_int(0),
    )
    return Case(
        When(stage="signed", then=band + tags),
        When(stage="started", then=_int(rule.started_milli)),
        default=_int(0),
        output_field=BIG,
    )


def _report_points(rule: Rule) -> Any:
    fen = Cast(Round(F("completed_yuan") * 100), BIG)
    whole = Cast(fen / _int(FEN_PER_YI), BIG)  # integer division on both backends
    rest = Mod(fen, _int(FEN_PER_YI))
    return whole * _int(rule.per_yi_milli) + Cast(
        Cast(rest * _int(rule.per_yi_milli), BIG) / _int(FEN_PER_YI), BIG
    )


def monthly_totals(
    rule: Rule, *, start: date, end: date, teams: list[int] | None = None
) -> pl.DataFrame:
    """Per team and month: points, counts, completed investment, last scoring day."""
    scope = Q(project__owner_team__isnull=False)
    if teams is not None:
        scope &= Q(project__owner_team__in=teams)
    stage_rows = (
        StageEvent.objects.filter(scope, stage__in=("signed", "started"), date__range=(start, end))
        .annotate(pts=_stage_points(rule), m=TruncMonth("date"))
        .values("project__owner_team_id", "m")
        .annotate(
            points=Sum("pts"),
            signed=Count("id", filter=Q(stage="signed")),
            started=Count("id", filter=Q(stage="started")),
            tech=Count("id", filter=Q(stage="signed", project__tag_tech=True)),
            talent=Count("id", filter=Q(stage="signed", project__tag_talent=True)),
            major=Count("id", filter=Q(stage="signed", project__tag_major_attraction=True)),
            last=Max("date", filter=Q(pts__gt=0)),
        )
        .values_list(
            "project__owner_team_id",
            "m",
            "points",
            "signed",
            "started",
            "tech",
            "talent",
            "major",
            "last",
        )
    )
    report_rows = (
        InvestmentReport.objects.filter(scope, month__range=(start, end))
        .annotate(pts=_report_points(rule), fen=Cast(Round(F("completed_yuan") * 100), BIG))
        .values("project__owner_team_id", "month")
        .annotate(points=Sum("pts"), done=Sum("fen"), last=Max("month", filter=Q(pts__gt=0)))
        .values_list("project__owner_team_id", "month", "points", "done", "last")
    )
    rows = [(t, m, p, s, st, 0, a, b, c, last) for t, m, p, s, st, a, b, c, last in stage_rows]
    rows += [(t, m, p, 0, 0, done, 0, 0, 0, last) for t, m, p, done, last in report_rows]
    frame = pl.DataFrame(rows, schema=MONTHLY_SCHEMA, orient="row")
    return frame.group_by("team_id", "month").agg(
        *[pl.col(c).sum() for c in list(MONTHLY_SCHEMA)[2:-1]], pl.col("last_scored_on").max()
    )
