"""Writes for the race: new rule versions and monthly snapshots. Each is atomic,
checks permission, validates before saving and writes the audit trail — every
change of a score goes through here."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from haotong.core import audit
from haotong.core.models import Role, User
from haotong.ledger.models import ledger_as_of
from haotong.race import queries, rules
from haotong.race.models import RaceReport, RaceRule, RaceSnapshot
from haotong.race.table import Standing

RULE_EDITOR_ROLES = frozenset({Role.LEADER, Role.ANALYST, Role.ADMIN})
READER_ROLES = frozenset(
    {Role.LEADER, Role.ANALYST, Role.REVIEWER, Role.CLERK, Role.AUDITOR, Role.ADMIN}
) | {Role.TEAM_MEMBER}


class ConflictError(ValidationError):
    """Someone saved a newer rule version since the form was read."""


def can_read_race(user: User) -> bool:
    return user.is_superuser or user.role in READER_ROLES


def can_edit_rules(user: User | None) -> bool:
    return user is None or user.is_superuser or user.role in RULE_EDITOR_ROLES


def check_can_edit_rules(user: User | None) -> None:
    if not can_edit_rules(user):
        raise PermissionDenied("只有区领导、发改委分析员和系统管理员可以修改赛马计分规则")


def _weights(value: dict[str, Any] | str) -> dict[str, Any]:
    """Parse JSON text (from the form) or take a dict; refuse what does not parse."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            msg = f"权重不是有效的 JSON：第{exc.lineno}行第{exc.colno}列，{exc.msg}"
            raise ValidationError({"weights": [msg]}) from None
    if not isinstance(value, dict):
        raise ValidationError({"weights": ["权重必须是 JSON 对象（键值对）"]})
    return value


@transaction.atomic
def create_rule_version(
    *,
    actor: User | None,
    weights: dict[str, Any] | str,
    effective_from: date,
    note: str = "",
    expected_version: int | None,
    source: str,
) -> RaceRule:
    """Add the next version of the scoring rule. ``expected_version`` is the latest
    version the editor saw (None for the very first rule); a newer one refuses."""
    check_can_edit_rules(actor)
    latest = RaceRule.objects.select_for_update().order_by("-version").first()
    current = latest.version if latest else None
    if current != expected_version:
        raise ConflictError(
            f"计分规则已被他人修改（您读取的是 v{expected_version}，当前为 v{current}），请刷新后重新填写"
        )
    rule = RaceRule(
        version=(current or 0) + 1,
        effective_from=effective_from,
        weights=_weights(weights),
        note=note,
        created_by=actor,
    )
    rule.full_clean()
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError:  # a concurrent editor took this version number
        raise ConflictError("计分规则刚被他人修改，请刷新后重新填写") from None
    audit.record(
        actor=actor,
        action="create",
        obj=rule,
        before=audit.snapshot(latest) if latest else None,
        after=audit.snapshot(rule),
        source=source,
        detail=note,
    )
    return rule


def _row(report: RaceReport, s: Standing, ranked: int) -> RaceSnapshot:
    return RaceSnapshot(
        report=report,
        team_id=s.team_id,
        rank=s.rank,
        points_milli=s.points_milli,
        score_milli=s.score_milli,
        signed=s.signed,
        started=s.started,
        completed_yuan=s.investment_yuan,
        tech=s.tech,
        talent=s.talent,
        major=s.major,
        last_scored_on=s.last_scored_on,
        unranked_reason=s.unranked_reason[:200],
        flag=rules.flag_for(s.rank, ranked),
    )


def _summary(report: RaceReport | None) -> dict[str, Any] | None:
    if report is None:
        return None
    rows = report.rows.select_related("team").order_by("team__name")
    return {
        "as_of": report.as_of.isoformat(),
        "rule_version": report.rule.version,
        "teams": {r.team.name: [r.rank, str(r.points), r.flag] for r in rows},
    }


@transaction.atomic
def snapshot_month(
    *, actor: User | None, month: date, source: str, as_of: date | None = None
) -> RaceReport:
    """Compute (or recompute) the monthly report of ``month`` as of its last day,
    or of the ledger's as-of date while the month is still running."""
    check_can_edit_rules(actor)
    first = month.replace(day=1)
    period = rules.parse_period(f"{first:%Y-%m}")
    as_of = min(period.end, as_of or ledger_as_of())
    if as_of < period.start:
        raise ValidationError(
            f"{first:%Y年%-m月}尚未开始（数据截至{as_of:%Y-%m-%d}），不能生成月报"
        )
    board = queries.board(period, as_of)
    record, result = board.rule, board.standings
    existing = RaceReport.objects.select_for_update().filter(month=first).first()
    before = _summary(existing)
    report = existing or RaceReport(month=first, as_of=as_of, rule=record)
    report.as_of, report.rule, report.computed_by = as_of, record, actor
    report.full_clean()
    report.save()
    report.rows.all().delete()
    ranked = sum(1 for s in result if s.rank is not None)
    RaceSnapshot.objects.bulk_create([_row(report, s, ranked) for s in result])
    audit.record(
        actor=actor,
        action="recompute" if existing else "snapshot",
        obj=report,
        before=before,
        after=_summary(report),
        source=source,
        detail=f"{period.code} 截至 {as_of:%Y-%m-%d}，规则 v{record.version}",
    )
    return report


def latest_version() -> int | None:
    value: int | None = RaceRule.objects.aggregate(v=Max("version"))["v"]
    return value
