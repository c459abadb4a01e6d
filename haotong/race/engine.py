"""Pure, vectorised (Polars): race standings from the scored-events table.

Every event is scored once (integer milli-points), summed per team and month,
then each period (month / quarter / year — all month-aligned) is the sum of its
months. Ranking order, documented on the page and in docs/benchmarks.md (race section):

1. score descending (points, or points per staff member when the rule says so);
2. earlier ``last_scored_on`` first — the team that reached the score sooner;
   a team that scored nothing sorts after every team that did;
3. team name (unique), so the order is total and the same inputs always give
   the same ranking.

Teams below the rule's minimum counts (or without staff under per-staff
normalisation) are not ranked and are listed after the ranked ones.
``reference.py`` computes the same standings with a plain per-event loop.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import polars as pl

from haotong.race.rules import FEN_PER_YI, Period, Rule
from haotong.race.table import INVESTMENT, SIGNED, STARTED, Standing, unranked_reason

COUNT_COLUMNS = ("points_milli", "signed", "started", "completed_fen", "tech", "talent", "major")


def points_expr(rule: Rule) -> pl.Expr:
    """Milli-points of one event under ``rule``."""
    fen = pl.col("investment_fen")
    chain: Any = None
    for b in rule.bands:  # highest threshold first: the first match wins
        chain = (pl.when(fen >= b.min_fen) if chain is None else chain.when(fen >= b.min_fen)).then(
            pl.lit(b.points_milli, pl.Int64)
        )
    band: pl.Expr = (
        chain.otherwise(pl.lit(0, pl.Int64)) if chain is not None else pl.lit(0, pl.Int64)
    )
    tags = (
        pl.col("tech").cast(pl.Int64) * rule.tech_milli
        + pl.col("talent").cast(pl.Int64) * rule.talent_milli
        + pl.col("major").cast(pl.Int64) * rule.major_milli
    )
    done = pl.col("completed_fen")
    invested = (done // FEN_PER_YI) * rule.per_yi_milli + (
        done % FEN_PER_YI
    ) * rule.per_yi_milli // FEN_PER_YI
    kind = pl.col("kind")
    return (
        pl.when(kind == SIGNED)
        .then(band + tags)
        .when(kind == STARTED)
        .then(pl.lit(rule.started_milli, pl.Int64))
        .when(kind == INVESTMENT)
        .then(invested)
        .otherwise(pl.lit(0, pl.Int64))
    )


def score_events(events: pl.DataFrame, rule: Rule) -> pl.DataFrame:
    """The events with their points (``points_milli``) — what the drill-down lists."""
    return events.with_columns(points_milli=points_expr(rule))


def monthly_totals(scored: pl.DataFrame) -> pl.DataFrame:
    kind = pl.col("kind")
    signed = kind == SIGNED
    return scored.group_by(pl.col("on").dt.truncate("1mo").alias("month"), "team_id").agg(
        points_milli=pl.col("points_milli").sum(),
        signed=signed.sum().cast(pl.Int64),
        started=(kind == STARTED).sum().cast(pl.Int64),
        completed_fen=pl.col("completed_fen").filter(kind == INVESTMENT).sum(),
        tech=(signed & pl.col("tech")).sum().cast(pl.Int64),
        talent=(signed & pl.col("talent")).sum().cast(pl.Int64),
        major=(signed & pl.col("major")).sum().cast(pl.Int64),
        last_scored_on=pl.col("on").filter(pl.col("points_milli") > 0).max(),
    )


def period_totals(monthly: pl.DataFrame, period: Period) -> pl.DataFrame:
    in_period = monthly.filter(pl.col("month").is_between(period.start, period.end))
    return in_period.group_by("team_id").agg(
        *[pl.col(c).sum() for c in COUNT_COLUMNS], pl.col("last_scored_on").max()
    )


def rank(totals: pl.DataFrame, teams: pl.DataFrame, rule: Rule) -> list[Standing]:
    df = teams.join(totals, on="team_id", how="left").with_columns(
        [pl.col(c).fill_null(0) for c in COUNT_COLUMNS]
    )
    points, staff = pl.col("points_milli"), pl.col("staff")
    score = pl.when(staff > 0).then(points // staff).otherwise(0) if rule.per_staff else points
    ok = (
        (pl.col("signed") >= rule.min_signed)
        & (pl.col("started") >= rule.min_started)
        & (pl.col("signed") + pl.col("started") >= rule.min_events)
    )
    if rule.per_staff:
        ok = ok & (staff > 0)
    df = df.with_columns(score_milli=score, ok=ok)
    ranked = df.filter("ok").sort(
        ["score_milli", "last_scored_on", "name"], descending=[True, False, False], nulls_last=True
    )
    others = df.filter(~pl.col("ok")).sort(["points_milli", "name"], descending=[True, False])
    return [_standing(row, i + 1, rule) for i, row in enumerate(ranked.iter_rows(named=True))] + [
        _standing(row, None, rule) for row in others.iter_rows(named=True)
    ]


def _standing(row: dict[str, object], position: int | None, rule: Rule) -> Standing:
    fields = {k: row[k] for k in Standing.__dataclass_fields__ if k in row}
    reason = ""
    if position is None:
        reason = unranked_reason(
            staff=int(row["staff"]),  # type: ignore[call-overload]
            signed=int(row["signed"]),  # type: ignore[call-overload]
            started=int(row["started"]),  # type: ignore[call-overload]
            per_staff=rule.per_staff,
            mins=(rule.min_signed, rule.min_started, rule.min_events),
        )
    return Standing(**fields, rank=position, unranked_reason=reason)  # type: ignore[arg-type]


def standings_many(
    events: pl.DataFrame, teams: pl.DataFrame, rule: Rule, periods: Iterable[Period], as_of: date
) -> dict[str, list[Standing]]:
    """Standings of each period as of ``as_of`` (later events ignored)."""
    scored = score_events(events.filter(pl.col("on") <= as_of), rule)
    monthly = monthly_totals(scored)
    return {p.code: rank(period_totals(monthly, p), teams, rule) for p in periods}


def standings(
    events: pl.DataFrame, teams: pl.DataFrame, rule: Rule, period: Period, as_of: date
) -> list[Standing]:
    return standings_many(events, teams, rule, [period], as_of)[period.code]
