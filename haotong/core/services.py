"""Writes for org units, teams and people, and the versioned update every service shares."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, QuerySet

from haotong.core import audit
from haotong.core.models import OrgUnit, Role, Team, User

ModelT = TypeVar("ModelT", bound=models.Model)


class ConflictError(ValidationError):
    """Someone else saved the record since it was read.

    A subclass names its records in the message (``kind``, e.g. "线索") and says what to
    do again (``retry``)."""

    kind = ""
    retry = "请刷新后重新填写"

    @classmethod
    def stale(cls, obj: Any, expected_version: int) -> ConflictError:
        return cls(
            f"{cls.kind}「{obj}」已被他人修改（您读取的是第{expected_version}版，"
            f"当前为第{obj.version}版），{cls.retry}"
        )


def apply_fields(obj: models.Model, fields: Mapping[str, Any], allowed: frozenset[str]) -> None:
    """Set ``fields`` on ``obj``; refuse, naming them, any that are not ``allowed``."""
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(obj, name, value)


def lock_version(
    queryset: QuerySet[ModelT],
    pk: int,
    expected_version: int | None,
    *,
    error: type[ConflictError] = ConflictError,
) -> ModelT:
    """The row of ``queryset`` locked until the transaction ends; ``error`` if it has moved
    past ``expected_version`` (``None``: lock without comparing)."""
    fresh = queryset.select_for_update().get(pk=pk)
    row: Any = fresh  # a versioned model: an integer ``version``
    if expected_version is not None and row.version != expected_version:
        raise error.stale(fresh, expected_version)
    return fresh


def _full_clean(obj: models.Model) -> None:
    obj.full_clean()


def update_versioned(
    queryset: QuerySet[ModelT],
    pk: int,
    *,
    expected_version: int,
    apply: Callable[[ModelT], None],
    actor: User | None,
    source: str,
    source_detail: str = "",
    check: Callable[[ModelT], None] | None = None,
    validate: Callable[[ModelT], None] = _full_clean,
    m2m: tuple[str, ...] = (),
    error: type[ConflictError] = ConflictError,
) -> ModelT:
    """Lock, refuse a stale edit with ``error``, apply, check, validate, bump the version,
    audit ("update", before and after).

    ``check`` sees the changed record before it is validated or saved (e.g. may the actor
    hand it to that team?). Callers check permission on the record as read first, and run
    inside their own transaction."""
    fresh = lock_version(queryset, pk, expected_version, error=error)
    before = audit.snapshot(fresh, m2m=m2m)
    apply(fresh)
    if check is not None:
        check(fresh)
    validate(fresh)
    row: Any = fresh
    row.version = F("version") + 1
    fresh.save()
    fresh.refresh_from_db()
    audit.record(
        actor=actor,
        action="update",
        obj=fresh,
        before=before,
        after=audit.snapshot(fresh, m2m=m2m),
        source=source,
        detail=source_detail,
    )
    return fresh


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
