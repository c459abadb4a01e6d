"""Review fixtures: two invited departments with a reviewer each, an uninvited one,
and an unsigned major project under review.

owner     — reviewer of 区生态环境局 (invited)
colleague — 发改委 analyst (calls reviews, records verdicts)
outsider  — reviewer of 区商务局 (not invited: must see nothing)
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from haotong.core.models import OrgUnit, Role, User
from haotong.core.services import create_org_unit, create_user
from haotong.ledger import services as ledger
from haotong.ledger.models import Project
from haotong.review import services
from haotong.review.defaults import DEFAULT_CRITERIA
from haotong.review.models import Review
from tests.conftest import PASSWORD

CALLED_ON = date(2023, 2, 20)  # deadline: 5 working days later, 2023-02-27


def scores(value: str | int = 8, **overrides: str | int) -> dict[str, Decimal]:
    result = {c["code"]: Decimal(value) for c in DEFAULT_CRITERIA}
    return result | {k: Decimal(v) for k, v in overrides.items()}


@pytest.fixture
def env_dept(district) -> OrgUnit:
    return create_org_unit(name="区生态环境局", kind=OrgUnit.Kind.DEPARTMENT, parent=district)


@pytest.fixture
def land_dept(district) -> OrgUnit:
    return create_org_unit(
        name="区自然资源和规划分局", kind=OrgUnit.Kind.DEPARTMENT, parent=district
    )


@pytest.fixture
def commerce_dept(district) -> OrgUnit:
    return create_org_unit(name="区商务局", kind=OrgUnit.Kind.DEPARTMENT, parent=district)


@pytest.fixture
def env_reviewer(env_dept) -> User:
    return create_user(
        username="env_reviewer", password=PASSWORD, role=Role.REVIEWER, org_unit=env_dept
    )


@pytest.fixture
def land_reviewer(land_dept) -> User:
    return create_user(
        username="land_reviewer", password=PASSWORD, role=Role.REVIEWER, org_unit=land_dept
    )


@pytest.fixture
def uninvited_reviewer(commerce_dept) -> User:
    return create_user(
        username="commerce_reviewer", password=PASSWORD, role=Role.REVIEWER, org_unit=commerce_dept
    )


@pytest.fixture
def leader(district) -> User:
    return create_user(username="leader", password=PASSWORD, role=Role.LEADER, org_unit=district)


def make_project(
    town: OrgUnit, *, name: str = "高端封装载板项目", yi: int = 30, code: str = "C3982", team=None
) -> Project:
    return ledger.create_project(
        actor=None,
        fields={
            "owner_team": team,
            "name": name,
            "town": town,
            "investment_yuan": Decimal(yi) * 100_000_000,
            "industry_code": code,
            "land_mu": Decimal(200),
        },
        source="system",
    )


@pytest.fixture
def major(wujie) -> Project:
    return make_project(wujie)


@pytest.fixture
def review(major, colleague, env_dept, land_dept) -> Review:
    return services.start_review(
        actor=colleague,
        project=major,
        departments=[env_dept, land_dept],
        source="user",
        on=CALLED_ON,
    )


def answer(
    review: Review, reviewer: User, value: str | int = 8, conditions: str = "", **kw
) -> None:
    services.submit_opinion(
        actor=reviewer,
        review=review,
        scores=scores(value, **kw),
        comments="原则同意",
        conditions=conditions,
        source="user",
        on=date(2023, 2, 24),
    )


def decide(review: Review, actor: User, conditions: str = "") -> Review:
    review.refresh_from_db()
    return services.record_verdict(
        actor=actor, review=review, expected_version=review.version, source="user",
        conditions=conditions, on=date(2023, 2, 28),
    )  # fmt: skip
