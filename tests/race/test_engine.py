"""The vectorised engine against the per-event reference loop (no database)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from haotong.race import engine, reference
from haotong.race.rules import DEFAULT_WEIGHTS, parse_period, parse_weights
from haotong.race.table import (
    EVENT_KINDS,
    Event,
    TeamRow,
    events_from_rows,
    teams_from_rows,
)

START = date(2021, 1, 1)
TEAMS = [
    TeamRow(1, "区投资服务中心招商队伍", "center", 12),
    TeamRow(2, "南通高新区招商队伍", "park", 10),
    TeamRow(3, "五接镇招商队伍", "town", 0),
    TeamRow(4, "西亭镇招商队伍", "town", 5),
    TeamRow(5, "石港镇招商队伍", "town", 7),
]

# Round amounts make equal scores (and so the tie-break) common; any amount up to
# 2000亿元 checks the integer arithmetic.
fen = st.one_of(
    st.sampled_from([0, 10**10, 5 * 10**10, 10**11, 5 * 10**11]),
    st.integers(min_value=0, max_value=20_000_000_000_000),
)
events_st = st.lists(
    st.builds(
        Event,
        kind=st.sampled_from(EVENT_KINDS),
        ref_id=st.integers(1, 10**6),
        on=st.integers(0, 3 * 365).map(lambda d: START + timedelta(days=d)),
        team_id=st.integers(1, 6),  # 6 is an unknown team: ignored by both
        project_id=st.integers(1, 50),
        investment_fen=st.one_of(st.none(), fen),
        completed_fen=fen,
        tech=st.booleans(),
        talent=st.booleans(),
        major=st.booleans(),
    ),
    max_size=60,
)
weight = st.one_of(st.integers(0, 5), st.decimals("0", "40", places=3).map(str))
weights_st = st.fixed_dictionaries(
    {
        "signed_bands": st.lists(
            st.fixed_dictionaries({"min_yi": st.integers(0, 200), "points": weight}),
            min_size=1,
            max_size=4,
            unique_by=lambda b: b["min_yi"],
        ),
        "started": weight,
        "per_yi_completed": weight,
        "tags": st.fixed_dictionaries(
            {"tech": weight, "talent": weight, "major_attraction": weight}
        ),
        "per_staff": st.booleans(),
        "minimums": st.fixed_dictionaries(
            {"signed": st.integers(0, 2), "started": st.integers(0, 2), "events": st.integers(0, 3)}
        ),
    }
)
period_st = st.one_of(
    st.integers(2021, 2023).map(str),
    st.tuples(st.integers(2021, 2023), st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
    st.tuples(st.integers(2021, 2023), st.integers(1, 4)).map(lambda t: f"{t[0]}-Q{t[1]}"),
)


@settings(max_examples=300, deadline=None)
@given(
    events=events_st,
    weights=weights_st,
    period=period_st,
    as_of=st.integers(0, 4 * 365).map(lambda d: START + timedelta(days=d)),
)
def test_engine_agrees_with_the_per_event_loop(events, weights, period, as_of):
    rule = parse_weights(weights)
    p = parse_period(period)
    fast = engine.standings(events_from_rows(events), teams_from_rows(TEAMS), rule, p, as_of)
    slow = reference.standings_loop(events, TEAMS, rule, p, as_of)
    assert fast == slow


@settings(max_examples=50, deadline=None)
@given(events=events_st, as_of=st.integers(0, 4 * 365).map(lambda d: START + timedelta(days=d)))
def test_all_periods_at_once_equal_one_period_at_a_time(events, as_of):
    rule = parse_weights(DEFAULT_WEIGHTS)
    frame, teams = events_from_rows(events), teams_from_rows(TEAMS)
    periods = [parse_period(c) for c in ("2022", "2022-Q2", "2022-05", "2023-01")]
    many = engine.standings_many(frame, teams, rule, periods, as_of)
    for p in periods:
        assert many[p.code] == reference.standings_loop(events, TEAMS, rule, p, as_of)


def test_it_ignores_events_after_the_as_of_date():
    rule = parse_weights(DEFAULT_WEIGHTS)
    ev = Event("started", 1, date(2022, 5, 10), 1, 1, None, 0, False, False, False)
    teams = teams_from_rows(TEAMS)
    period = parse_period("2022-05")
    before = engine.standings(events_from_rows([ev]), teams, rule, period, date(2022, 5, 9))
    after = engine.standings(events_from_rows([ev]), teams, rule, period, date(2022, 5, 10))
    assert {s.team_id: s.points_milli for s in before}[1] == 0
    assert {s.team_id: s.points_milli for s in after}[1] == 10_000


def test_ties_go_to_the_team_that_scored_first_then_to_the_name():
    rule = parse_weights(DEFAULT_WEIGHTS)
    evs = [
        Event("started", 1, date(2022, 5, 20), 1, 1, None, 0, False, False, False),
        Event("started", 2, date(2022, 5, 3), 2, 2, None, 0, False, False, False),
    ]
    out = engine.standings(
        events_from_rows(evs),
        teams_from_rows(TEAMS),
        rule,
        parse_period("2022"),
        date(2022, 12, 31),
    )
    assert [s.team_id for s in out[:2]] == [2, 1]
    # Teams with nothing sort by name after the scorers.
    assert [s.name for s in out[2:]] == sorted(s.name for s in out[2:])


def test_bands_give_the_highest_band_reached_and_nothing_when_undisclosed():
    rule = parse_weights(DEFAULT_WEIGHTS)
    yi = 10_000_000_000
    cases = [(50 * yi, 30_000), (50 * yi - 1, 15_000), (10 * yi, 15_000), (yi, 5_000), (yi - 1, 0)]
    for fen_value, expected in cases:
        ev = Event("signed", 1, date(2022, 1, 1), 1, 1, fen_value, 0, False, False, False)
        assert reference.event_points(ev, rule) == expected
        scored = engine.score_events(events_from_rows([ev]), rule)
        assert scored["points_milli"][0] == expected
    none = Event("signed", 1, date(2022, 1, 1), 1, 1, None, 0, True, True, True)
    assert reference.event_points(none, rule) == 3_000 + 2_000 + 5_000


def test_per_staff_ranks_by_points_per_person_and_leaves_teams_without_staff_unranked():
    weights = {**DEFAULT_WEIGHTS, "per_staff": True}
    rule = parse_weights(weights)
    evs = [
        Event("started", 1, date(2022, 5, 1), 1, 1, None, 0, False, False, False),  # 10 / 12
        Event("started", 2, date(2022, 5, 1), 4, 2, None, 0, False, False, False),  # 10 / 5
        Event("started", 3, date(2022, 5, 1), 3, 3, None, 0, False, False, False),  # staff 0
    ]
    out = engine.standings(
        events_from_rows(evs),
        teams_from_rows(TEAMS),
        rule,
        parse_period("2022"),
        date(2022, 12, 31),
    )
    assert [s.team_id for s in out if s.rank][:2] == [4, 1]
    unranked = {s.team_id: s.unranked_reason for s in out if s.rank is None}
    assert "专职人数" in unranked[3]


@settings(max_examples=200, deadline=None)
@given(
    starts=st.lists(st.tuples(st.integers(1, 5), st.integers(0, 364)), min_size=2, max_size=12),
    per_staff=st.booleans(),
)
def test_engine_agrees_with_the_loop_when_scores_tie(starts, per_staff):
    """Only starts: equal counts give equal scores, so the tie-break decides."""
    rule = parse_weights({**DEFAULT_WEIGHTS, "per_staff": per_staff})
    events = [
        Event(
            "started",
            i,
            date(2022, 1, 1) + timedelta(days=d),
            team,
            i,
            None,
            0,
            False,
            False,
            False,
        )
        for i, (team, d) in enumerate(starts)
    ]
    p, as_of = parse_period("2022"), date(2022, 12, 31)
    fast = engine.standings(events_from_rows(events), teams_from_rows(TEAMS), rule, p, as_of)
    assert fast == reference.standings_loop(events, TEAMS, rule, p, as_of)
