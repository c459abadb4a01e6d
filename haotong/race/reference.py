"""Pure: the straightforward per-event loop computing the same standings as
``engine.py``. It is the executable definition the vectorised engine is tested
against (tests/race/test_engine.py) and the benchmark's baseline."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from haotong.race.rules import Period, Rule, investment_milli
from haotong.race.table import (
    INVESTMENT,
    SIGNED,
    STARTED,
    Event,
    Standing,
    TeamRow,
    unranked_reason,
)


def event_points(ev: Event, rule: Rule) -> int:
    if ev.kind == SIGNED:
        band = next(
            (
                b.points_milli
                for b in rule.bands
                if ev.investment_fen is not None and ev.investment_fen >= b.min_fen
            ),
            0,
        )
        return (
            band
            + rule.tech_milli * ev.tech
            + rule.talent_milli * ev.talent
            + rule.major_milli * ev.major
        )
    if ev.kind == STARTED:
        return rule.started_milli
    if ev.kind == INVESTMENT:
        return investment_milli(ev.completed_fen, rule.per_yi_milli)
    return 0


@dataclass
class _Acc:
    points: int = 0
    signed: int = 0
    started: int = 0
    completed_fen: int = 0
    tech: int = 0
    talent: int = 0
    major: int = 0
    last: date | None = None


def _add(acc: _Acc, ev: Event, points: int) -> None:
    acc.points += points
    if points > 0 and (acc.last is None or ev.on > acc.last):
        acc.last = ev.on
    if ev.kind == SIGNED:
        acc.signed += 1
        acc.tech += ev.tech
        acc.talent += ev.talent
        acc.major += ev.major
    elif ev.kind == STARTED:
        acc.started += 1
    elif ev.kind == INVESTMENT:
        acc.completed_fen += ev.completed_fen


def standings_loop(
    events: Iterable[Event], teams: Sequence[TeamRow], rule: Rule, period: Period, as_of: date
) -> list[Standing]:
    accs = {t.team_id: _Acc() for t in teams}
    for ev in events:
        if ev.on > as_of or ev.on < period.start or ev.on > period.end:
            continue
        acc = accs.get(ev.team_id)
        if acc is not None:
            _add(acc, ev, event_points(ev, rule))
    rows = [_row(t, accs[t.team_id], rule) for t in teams]
    ranked = [r for r in rows if not r.unranked_reason]
    ranked.sort(key=lambda s: (-s.score_milli, s.last_scored_on or date.max, s.name))
    others = sorted((r for r in rows if r.unranked_reason), key=lambda s: (-s.points_milli, s.name))
    return [_with_rank(s, i + 1) for i, s in enumerate(ranked)] + others


def _row(team: TeamRow, acc: _Acc, rule: Rule) -> Standing:
    if rule.per_staff:
        score = acc.points // team.staff if team.staff > 0 else 0
    else:
        score = acc.points
    reason = unranked_reason(
        staff=team.staff,
        signed=acc.signed,
        started=acc.started,
        per_staff=rule.per_staff,
        mins=(rule.min_signed, rule.min_started, rule.min_events),
    )
    return Standing(
        team_id=team.team_id,
        name=team.name,
        kind=team.kind,
        staff=team.staff,
        rank=None,
        points_milli=acc.points,
        score_milli=score,
        signed=acc.signed,
        started=acc.started,
        completed_fen=acc.completed_fen,
        tech=acc.tech,
        talent=acc.talent,
        major=acc.major,
        last_scored_on=acc.last,
        unranked_reason=reason,
    )


def _with_rank(s: Standing, position: int) -> Standing:
    return Standing(**{**s.__dict__, "rank": position})
