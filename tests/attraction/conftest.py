from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from haotong.attraction import services, stages
from haotong.attraction.models import Lead
from haotong.core.models import Team
from haotong.core.services import create_team


@pytest.fixture
def xiting_team(xiting) -> Team:
    return create_team(name="西亭镇招商队伍", kind=Team.Kind.TOWN, org_unit=xiting, staff=4)


def make_lead(team: Team, **fields) -> Lead:
    base = {
        "project_name": "康源电子高端IC载板项目",
        "investor_name": "南通康源电子有限公司",
        "source": Lead.Source.FAIR,
        "intended_investment_yuan": Decimal("5000000000"),
        "team": team,
        "acquired_on": date(2022, 6, 1),
    }
    return services.create_lead(actor=None, fields=base | fields, source="system")


@pytest.fixture
def lead(wujie_team) -> Lead:
    return make_lead(wujie_team)


@pytest.fixture
def negotiating_lead(lead) -> Lead:
    services.move_lead(
        actor=None, lead=lead, stage=stages.NEGOTIATING, on=date(2022, 8, 1), source="system"
    )
    return lead
