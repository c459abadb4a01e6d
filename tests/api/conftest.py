"""API fixtures: tokens for the shared users, a read-only auditor, header helpers."""

from __future__ import annotations

import pytest

from haotong.api.services import create_token
from haotong.core.models import OrgUnit, Role, User
from haotong.core.services import create_user
from tests.conftest import PASSWORD


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def key_for(user: User) -> str:
    _, key = create_token(actor=None, user=user, name="测试", source="system")
    return key


@pytest.fixture
def auditor(district: OrgUnit) -> User:
    return create_user(username="auditor", password=PASSWORD, role=Role.AUDITOR, org_unit=district)


@pytest.fixture
def owner_key(owner: User) -> str:
    return key_for(owner)
