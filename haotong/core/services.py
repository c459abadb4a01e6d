"""Writes for org units, teams and people."""

from __future__ import annotations

from django.db import transaction

from haotong.core.models import OrgUnit, Role, Team, User


@transaction.atomic
def create_org_unit(
    *, name: str, kind: str, parent: OrgUnit | None, synthetic: bool = False
) -> OrgUnit:
    unit = OrgUnit(name=name, kind=kind, parent=parent, synthetic=synthetic)
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    return unit


def create_team(
    *, name: str, kind: str, org_unit: OrgUnit, staff: int = 0, synthetic: bool = False
) -> Team:
    team = Team(name=name, kind=kind, org_unit=org_unit, staff=staff, synthetic=synthetic)
    team.full_clean()
    team.save()
    return team


def create_user(
    *,
    username: str,
    password: str,
    role: str,
    org_unit: OrgUnit | None,
    display_name: str = "",
    enterprise_id: int | None = None,
) -> User:
    if role not in Role.values:
        raise ValueError(f"unknown role {role}")
    user = User(
        username=username,
        role=role,
        org_unit=org_unit,
        first_name=display_name,
        enterprise_id=enterprise_id,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    user.set_password(password)
    user.save()
    return user
