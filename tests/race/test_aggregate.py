"""The leaderboard's in-database scoring against the engine on the same ledger."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from haotong.ledger.models import InvestmentReport, Project, StageEvent
from haotong.race import engine, queries, services
from haotong.race.rules import DEFAULT_WEIGHTS, parse_period
from tests.race.conftest import AS_OF

RULES = [
    DEFAULT_WEIGHTS,
    {
        **DEFAULT_WEIGHTS,
        "signed_bands": [{"min_yi": "0.3333", "points": "1.5"}, {"min_yi": 7, "points": 4}],
        "per_yi_completed": "2.718",
        "tags": {"tech": "0.25", "talent": 0, "major_attraction": 9},
        "per_staff": True,
        "minimums": {"signed": 1},
    },
]


@pytest.fixture
def random_ledger(wujie, xiting, wujie_team, xiting_team):
    """A few dozen projects with odd amounts (cents, undisclosed), bulk-written."""
    rng = random.Random(7)
    projects, events, reports = [], [], []
    for i in range(40):
        team, town = rng.choice([(wujie_team, wujie), (xiting_team, xiting)])
        amount = None if i % 9 == 0 else Decimal(rng.randint(0, 8_000_000_000_00)) / 100
        projects.append(
            Project(
                name=f"随机{i}",
                town=town,
                owner_team=team,
                investment_yuan=amount,
                tag_tech=rng.random() < 0.4,
                tag_talent=rng.random() < 0.4,
                tag_major_attraction=rng.random() < 0.4,
            )
        )
    Project.objects.bulk_create(projects)
    for p in Project.objects.filter(name__startswith="随机"):
        signed = date(2022, 1, 1) + timedelta(days=rng.randrange(420))
        events.append(StageEvent(project=p, stage="signed", date=signed, source="system"))
        if rng.random() < 0.6:
            started = signed + timedelta(days=rng.randrange(200))
            events.append(StageEvent(project=p, stage="started", date=started, source="system"))
        for m in rng.sample(range(1, 13), rng.randint(0, 5)):
            done = Decimal(rng.randint(0, 3_000_000_000_00)) / 100
            reports.append(
                InvestmentReport(
                    project=p, month=date(2022, m, 1), completed_yuan=done, source="system"
                )
            )
    StageEvent.objects.bulk_create(events)
    InvestmentReport.objects.bulk_create(reports)


@pytest.mark.parametrize("weights", RULES)
@pytest.mark.parametrize("period", ["2022", "2022-Q3", "2022-11", "2023-Q1"])
@pytest.mark.parametrize("as_of", [date(2022, 8, 15), AS_OF])
def test_database_scoring_equals_the_engine_on_the_same_rows(
    random_ledger, race_ledger, colleague, weights, period, as_of
):
    services.create_rule_version(
        actor=colleague, weights=weights, effective_from=date(2022, 1, 1),
        expected_version=1, source="user",
    )  # fmt: skip
    p = parse_period(period)
    board = queries.board(p, as_of)
    events = queries.events_frame(start=p.start, end=min(p.end, as_of))
    expected = engine.standings(events, queries.teams_frame(), board.rule.to_rule(), p, as_of)
    assert board.standings == expected
    assert sum(s.points_milli for s in expected) > 0 or as_of < p.start
