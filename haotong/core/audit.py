"""Writing the audit trail. Service functions call ``record``; nothing else writes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from haotong.core.models import AuditEntry, User


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, *, m2m: tuple[str, ...] = ()) -> dict[str, Any]:
    """The record's concrete field values, JSON-safe, for before/after."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        data[field.attname] = _json_value(getattr(obj, field.attname))
    for name in m2m:
        data[name] = sorted(getattr(obj, name).values_list("pk", flat=True))
    return data


def record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    source: str,
    detail: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        model=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        before=before,
        after=after,
        source=source,
        source_detail=detail[:300],
    )


def entries_for(obj: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        model=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")
