"""The policy catalogue's write path: policies and clauses, every rule edit kept
as a ClauseVersion and audited; a rule is checked by the engine's parser before
anything is saved, and a saved edit refreshes that clause's stored eligibility."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from haotong.core import audit
from haotong.core.models import User
from haotong.policies.access import is_policy_staff
from haotong.policies.engine.lexer import RuleError
from haotong.policies.engine.parser import LANGUAGE_VERSION, parse_formula, parse_rule
from haotong.policies.models import Clause, ClauseVersion, Policy

POLICY_FIELDS = frozenset(
    {"title", "issuer", "document_number", "period_start", "period_end", "text", "synthetic"}
)
CLAUSE_FIELDS = frozenset(
    {
        "code",
        "title",
        "rule",
        "benefit_formula",
        "cap_yuan",
        "combinable",
        "auto_grant",
        "department",
        "department_id",
    }
)
VERSIONED = ("title", "rule", "language_version", "benefit_formula", "cap_yuan",
             "combinable", "auto_grant", "department_id")  # fmt: skip


class ConflictError(ValidationError):
    """Someone else saved the clause since it was read."""


def check_policy_staff(user: User | None) -> None:
    if user is not None and not is_policy_staff(user):
        raise PermissionDenied("只有发改委政策专员或管理员可以修改惠企政策")


def check_rule_fields(
    *, rule: str, benefit_formula: str, cap_yuan: Any, version: int = LANGUAGE_VERSION
) -> None:
    """Raise ValidationError naming the field, the position and the bad part."""
    errors: dict[str, list[str]] = {}
    try:
        parse_rule(rule, version=version)
    except RuleError as err:
        errors["rule"] = [str(err)]
    if benefit_formula.strip():
        try:
            parse_formula(benefit_formula, version=version)
        except RuleError as err:
            errors["benefit_formula"] = [str(err)]
    if cap_yuan is not None:
        try:
            cap = Decimal(str(cap_yuan))
        except InvalidOperation:
            cap = Decimal(-1)
        if not cap >= 0:
            errors["cap_yuan"] = [f"封顶金额「{cap_yuan}」必须是不小于 0 的数字"]
    if errors:
        raise ValidationError(errors)


def _apply(obj: Any, fields: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(obj, name, value)


@transaction.atomic
def create_policy(*, actor: User | None, fields: Mapping[str, Any], source: str) -> Policy:
    check_policy_staff(actor)
    policy = Policy()
    _apply(policy, fields, POLICY_FIELDS)
    policy.full_clean()
    policy.save()
    audit.record(actor=actor, action="create", obj=policy, before=None,
                 after=audit.snapshot(policy), source=source)  # fmt: skip
    return policy


def _save_version(clause: Clause, actor: User | None, note: str) -> ClauseVersion:
    snap = {name: getattr(clause, name) for name in VERSIONED}
    return ClauseVersion.objects.create(
        clause=clause, number=clause.version, edited_by=actor, note=note[:200], **snap
    )


@transaction.atomic
def create_clause(
    *,
    actor: User | None,
    policy: Policy,
    fields: Mapping[str, Any],
    source: str,
    refresh: bool = True,
) -> Clause:
    check_policy_staff(actor)
    clause = Clause(policy=policy, language_version=LANGUAGE_VERSION)
    _apply(clause, fields, CLAUSE_FIELDS)
    check_rule_fields(
        rule=clause.rule, benefit_formula=clause.benefit_formula, cap_yuan=clause.cap_yuan
    )
    clause.full_clean()
    clause.save()
    _save_version(clause, actor, "新建")
    audit.record(actor=actor, action="create", obj=clause, before=None,
                 after=audit.snapshot(clause), source=source)  # fmt: skip
    if refresh:
        from haotong.policies.eligibility import refresh_clause

        refresh_clause(actor=actor, clause=clause)
    return clause


@transaction.atomic
def update_clause(
    *,
    actor: User | None,
    clause: Clause,
    expected_version: int,
    fields: Mapping[str, Any],
    source: str,
    note: str = "",
) -> Clause:
    """Edit a clause: validated rule, stale edits refused, previous rule kept."""
    check_policy_staff(actor)
    fresh = Clause.objects.select_for_update().get(pk=clause.pk)
    if fresh.version != expected_version:
        raise ConflictError(
            f"条款「{fresh.code}」已被他人修改（您读取的是第{expected_version}版，"
            f"当前为第{fresh.version}版），请刷新后重新填写"
        )
    before = audit.snapshot(fresh)
    _apply(fresh, fields, CLAUSE_FIELDS)
    # an edited rule is written in today's language version
    fresh.language_version = LANGUAGE_VERSION
    check_rule_fields(
        rule=fresh.rule, benefit_formula=fresh.benefit_formula, cap_yuan=fresh.cap_yuan
    )
    fresh.full_clean()
    fresh.version = F("version") + 1
    fresh.save()
    fresh.refresh_from_db()
    _save_version(fresh, actor, note)
    audit.record(actor=actor, action="update", obj=fresh, before=before,
                 after=audit.snapshot(fresh), source=source, detail=note)  # fmt: skip
    from haotong.policies.eligibility import refresh_clause

    refresh_clause(actor=actor, clause=fresh)
    return fresh
