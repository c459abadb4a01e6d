"""Race fixtures: rule v1, and scored events for the 五接镇 and 西亭镇 teams."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from haotong.core.models import Role, Team
from haotong.core.services import create_team, create_user
from haotong.ledger import services as ledger
from haotong.race import services
from haotong.race.rules import DEFAULT_WEIGHTS
from tests.conftest import PASSWORD

AS_OF = date(2023, 3, 3)


@pytest.fixture
def rule_v1(db):
    return services.create_rule_version(
        actor=None,
        weights=DEFAULT_WEIGHTS,
        effective_from=date(2021, 1, 1),
        expected_version=None,
        source="system",
    )


@pytest.fixture
def xiting_team(xiting) -> Team:
    return create_team(name="西亭镇招商队伍", kind=Team.Kind.TOWN, org_unit=xiting, staff=4)


def make_project(town, team, name, yi, *, signed, started=None, tech=False, reports=()):
    p = ledger.create_project(
        actor=None,
        fields={
            "name": name,
            "town": town,
            "investment_yuan": Decimal(yi) * 100_000_000,
            "owner_team": team,
            "tag_tech": tech,
        },
        source="system",
    )
    ledger.record_stage_event(
        actor=None, project=p, stage="signed", on=signed, source="system", today=AS_OF
    )
    if started:
        ledger.record_stage_event(
            actor=None, project=p, stage="started", on=started, source="system", today=AS_OF
        )
    for month, yi_done in reports:
        ledger.record_investment(
            actor=None,
            project=p,
            month=month,
            completed_yuan=Decimal(yi_done) * 100_000_000,
            source="system",
        )
    return p


@pytest.fixture
def race_ledger(wujie, xiting, wujie_team, xiting_team, rule_v1):
    """五接镇: a 60亿 科创 project signed and started in 2023-01 with 2亿 done in
    2023-02 (30+3+10+2 = 45 points in 2023-Q1). 西亭镇: a 5亿 project signed
    2023-02 (5 points)."""
    big = make_project(
        wujie, wujie_team, "五接大项目", 60, signed=date(2023, 1, 5), started=date(2023, 1, 20),
        tech=True, reports=[(date(2023, 2, 1), 2)],
    )  # fmt: skip
    small = make_project(xiting, xiting_team, "西亭小项目", 5, signed=date(2023, 2, 10))
    return big, small


@pytest.fixture
def leader(district):
    return create_user(username="leader", password=PASSWORD, role=Role.LEADER, org_unit=district)


@pytest.fixture
def enterprise_user(db):
    return create_user(username="ent", password=PASSWORD, role=Role.ENTERPRISE, org_unit=None)
