"""Shared fixtures: a small district and the three users every view is tested as.

owner     — team member of 五接镇 (the town the test project is in)
colleague — analyst of the 发改委 (district-wide, may edit)
outsider  — team member of 西亭镇 (another town: must see nothing of 五接镇's)
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from haotong.core.models import DistrictSetting, OrgUnit, Role, Team, User
from haotong.core.services import create_org_unit, create_team, create_user
from haotong.ledger import services as ledger
from haotong.ledger.models import Enterprise, Project

PASSWORD = "test-pass-123"


@pytest.fixture
def review_cutover(db) -> DistrictSetting:
    """Signings before 2023-03-04 are history the review gate does not re-judge (as in
    the demo); tests of the gate itself sign later or delete this row."""
    return DistrictSetting.objects.create(key="review_required_since", value="2023-03-04")


@pytest.fixture
def district(db, review_cutover) -> OrgUnit:
    return create_org_unit(name="通州区", kind=OrgUnit.Kind.DISTRICT, parent=None)


@pytest.fixture
def wujie(district) -> OrgUnit:
    return create_org_unit(name="五接镇", kind=OrgUnit.Kind.TOWN, parent=district)


@pytest.fixture
def xiting(district) -> OrgUnit:
    return create_org_unit(name="西亭镇", kind=OrgUnit.Kind.TOWN, parent=district)


@pytest.fixture
def fgw(district) -> OrgUnit:
    return create_org_unit(name="发改委", kind=OrgUnit.Kind.DEPARTMENT, parent=district)


@pytest.fixture
def wujie_team(wujie) -> Team:
    return create_team(name="五接镇招商队伍", kind=Team.Kind.TOWN, org_unit=wujie, staff=5)


@pytest.fixture
def owner(wujie) -> User:
    return create_user(username="owner", password=PASSWORD, role=Role.TEAM_MEMBER, org_unit=wujie)


@pytest.fixture
def colleague(fgw) -> User:
    return create_user(username="colleague", password=PASSWORD, role=Role.ANALYST, org_unit=fgw)


@pytest.fixture
def outsider(xiting) -> User:
    return create_user(
        username="outsider", password=PASSWORD, role=Role.TEAM_MEMBER, org_unit=xiting
    )


@pytest.fixture
def enterprise(wujie) -> Enterprise:
    return ledger.create_enterprise(
        actor=None,
        fields={"name": "康辉新材料科技有限公司", "industry_code": "C2651", "town": wujie},
        source="system",
    )


@pytest.fixture
def project(wujie, wujie_team, enterprise) -> Project:
    p = ledger.create_project(
        actor=None,
        fields={
            "name": "康辉新材料项目",
            "town": wujie,
            "investment_yuan": Decimal("12500000000"),
            "investment_qualifier": "near",
            "industry_code": "C2651",
            "owner_team": wujie_team,
        },
        investors=[enterprise],
        source="system",
    )
    ledger.record_stage_event(
        actor=None, project=p, stage="signed", on=date(2022, 6, 1), source="system"
    )
    return p


def login(client, user: User) -> None:
    assert client.login(username=user.username, password=PASSWORD)
