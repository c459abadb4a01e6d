"""Policy fixtures: a responsible department (区科技局) with a reviewer, another
department's reviewer, enterprises with known attributes, and clauses.

The ledger is as of 2023-03-03, so 成立年限 (age_years) is fixed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from haotong.core.models import DistrictSetting, OrgUnit, Role, User
from haotong.core.services import create_org_unit, create_user
from haotong.ledger import services as ledger
from haotong.ledger.models import AS_OF_KEY, Enterprise
from haotong.policies import services
from haotong.policies.models import Clause, Policy
from tests.conftest import PASSWORD

AS_OF = date(2023, 3, 3)


@pytest.fixture(autouse=True)
def as_of(db):
    DistrictSetting.objects.create(key=AS_OF_KEY, value=AS_OF.isoformat())


@pytest.fixture
def kjj(district) -> OrgUnit:
    return create_org_unit(name="区科技局", kind=OrgUnit.Kind.DEPARTMENT, parent=district)


@pytest.fixture
def hbj(district) -> OrgUnit:
    return create_org_unit(name="区生态环境局", kind=OrgUnit.Kind.DEPARTMENT, parent=district)


@pytest.fixture
def kjj_reviewer(kjj) -> User:
    section = create_org_unit(name="企业服务科", kind=OrgUnit.Kind.SECTION, parent=kjj)
    return create_user(username="kjj", password=PASSWORD, role=Role.REVIEWER, org_unit=section)


@pytest.fixture
def hbj_reviewer(hbj) -> User:
    return create_user(username="hbj", password=PASSWORD, role=Role.REVIEWER, org_unit=hbj)


def make_enterprise(name: str, town: OrgUnit | None, **attrs: object) -> Enterprise:
    return ledger.create_enterprise(
        actor=None, fields={"name": name, "town": town, **attrs}, source="system"
    )


@pytest.fixture
def firms(wujie, xiting) -> dict[str, Enterprise]:
    """hi: 五接镇 high-tech, 研发费用占比 4.5%; lo: 五接镇 high-tech, 2.1%;
    blank: 五接镇, nothing known; west: 西亭镇 high-tech 6%."""
    return {
        "hi": make_enterprise(
            "高研科技有限公司", wujie, is_high_tech=True, rd_ratio=Decimal("4.5"),
            rd_expense_yuan=Decimal("3000000"), revenue_yuan=Decimal("66666667"),
            founded=date(2021, 6, 1), employees=30, size_class="small",
            contact_name="王经理", contact_phone="13812345678",
        ),
        "lo": make_enterprise(
            "低研制造有限公司", wujie, is_high_tech=True, rd_ratio=Decimal("2.1"),
            rd_expense_yuan=Decimal("500000"), founded=date(2010, 1, 1), employees=400,
        ),
        "blank": make_enterprise("未知数据有限公司", wujie),
        "west": make_enterprise(
            "西亭电子有限公司", xiting, is_high_tech=True, rd_ratio=Decimal("6"),
            rd_expense_yuan=Decimal("50000000"),
        ),
    }  # fmt: skip


@pytest.fixture
def policy() -> Policy:
    return services.create_policy(
        actor=None, source="system",
        fields={"title": "科技创新若干政策", "issuer": "通州区人民政府",
                "document_number": "通政规〔2023〕1号", "synthetic": True},
    )  # fmt: skip


def make_clause(policy: Policy, dept: OrgUnit, code: str, rule: str, **fields: object) -> Clause:
    return services.create_clause(
        actor=None, policy=policy, source="system",
        fields={"code": code, "title": f"条款{code}", "rule": rule, "department": dept, **fields},
    )  # fmt: skip


@pytest.fixture
def rd_clause(policy, kjj, firms) -> Clause:
    """研发奖励: rd_ratio >= 3 and high-tech; 10% of R&D expense, capped at 200万."""
    return make_clause(
        policy, kjj, "第1条", "rd_ratio >= 3 and is_high_tech",
        benefit_formula="min(rd_expense_yuan * 0.1, 200万)", cap_yuan=Decimal("2000000"),
        auto_grant=True,
    )  # fmt: skip


@pytest.fixture
def loan_clause(policy, kjj, firms) -> Clause:
    return make_clause(
        policy, kjj, "第2条", "age_years <= 3 and employees <= 50",
        benefit_formula="15万", cap_yuan=Decimal("150000"),
    )  # fmt: skip
