"""Outreach and uptake writes: contact tasks for enterprises that qualify but have
not applied, and grants (免申即享: 数据比对 → 意愿确认 → 拨付; applications:
已申报 → 拨付), every transition a GrantEvent plus an audit entry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from haotong.core import audit
from haotong.core.models import Role, User
from haotong.ledger.models import Enterprise
from haotong.policies import workflow
from haotong.policies.access import can_work_clause
from haotong.policies.models import Clause, Eligibility, Grant, GrantEvent, OutreachTask


def _check_department(actor: User | None, clause: Clause) -> None:
    if not can_work_clause(actor, clause):
        raise PermissionDenied("只有该条款的责任部门或政策专员可以办理")


def _eligibility(enterprise: Enterprise, clause: Clause) -> Eligibility:
    row = Eligibility.objects.filter(
        enterprise=enterprise, clause=clause, status=Eligibility.Status.ELIGIBLE
    ).first()
    if row is None:
        raise ValidationError(
            f"数据比对结果显示「{enterprise}」不符合条款「{clause.code}」，不能办理"
        )
    return row


@transaction.atomic
def create_outreach_task(
    *,
    actor: User | None,
    enterprise: Enterprise,
    clause: Clause,
    assignee: User | None,
    source: str,
    synthetic: bool = False,
) -> OutreachTask:
    _check_department(actor, clause)
    _eligibility(enterprise, clause)
    if OutreachTask.objects.filter(enterprise=enterprise, clause=clause).exists():
        raise ValidationError(f"已有告知任务：{enterprise} · {clause.code}")
    if assignee is not None and not can_work_clause(assignee, clause):
        raise ValidationError(f"经办人「{assignee}」不属于责任部门{clause.department}")
    task = OutreachTask(enterprise=enterprise, clause=clause, department=clause.department,
                        assignee=assignee, synthetic=synthetic)  # fmt: skip
    task.full_clean()
    task.save()
    audit.record(actor=actor, action="create", obj=task, before=None,
                 after=audit.snapshot(task), source=source)  # fmt: skip
    return task


@transaction.atomic
def record_outreach_outcome(
    *,
    actor: User | None,
    task: OutreachTask,
    expected_version: int,
    outcome: str,
    contacted_on: date,
    note: str = "",
    source: str,
) -> OutreachTask:
    """The call was made: record its outcome (有意申报 / 已申报 / 不需要 / 联系不上)."""
    fresh = OutreachTask.objects.select_for_update().select_related("clause__department")
    fresh_task = fresh.get(pk=task.pk)
    _check_department(actor, fresh_task.clause)
    if fresh_task.version != expected_version:
        raise ValidationError("该任务已被他人更新，请刷新后再登记")
    if outcome not in OutreachTask.Outcome.values or not outcome:
        raise ValidationError({"outcome": ["请选择联系结果"]})
    if contacted_on > date.today():
        raise ValidationError({"contacted_on": ["联系日期不能晚于今天"]})
    before = audit.snapshot(fresh_task)
    fresh_task.status, fresh_task.outcome = OutreachTask.Status.DONE, outcome
    fresh_task.contacted_on, fresh_task.note = contacted_on, note[:300]
    fresh_task.full_clean()
    fresh_task.version = F("version") + 1
    fresh_task.save()
    fresh_task.refresh_from_db()
    audit.record(actor=actor, action="outreach", obj=fresh_task, before=before,
                 after=audit.snapshot(fresh_task), source=source)  # fmt: skip
    return fresh_task


def _check_combinable(enterprise: Enterprise, clause: Clause) -> None:
    """A clause that does not combine excludes the policy's other live grants."""
    others = Grant.objects.filter(
        enterprise=enterprise, clause__policy_id=clause.policy_id, status__in=workflow.TAKEN_UP
    ).exclude(clause=clause)
    if not clause.combinable and others.exists():
        raise ValidationError(f"条款「{clause.code}」不可与本政策其他条款叠加享受")
    blocking = others.filter(clause__combinable=False).select_related("clause").first()
    if blocking is not None:
        raise ValidationError(f"已享受不可叠加的条款「{blocking.clause.code}」")


def _open_grant(
    *, actor: User | None, enterprise: Enterprise, clause: Clause, auto: bool, source: str,
    note: str, synthetic: bool,
) -> Grant:  # fmt: skip
    row = _eligibility(enterprise, clause)
    if Grant.objects.filter(enterprise=enterprise, clause=clause).exists():
        raise ValidationError(f"「{enterprise}」已有条款「{clause.code}」的兑现记录")
    _check_combinable(enterprise, clause)
    status = workflow.MATCHED if auto else workflow.APPLIED
    grant = Grant(enterprise=enterprise, clause=clause, auto=auto, status=status,
                  expected_yuan=row.benefit_yuan, synthetic=synthetic)  # fmt: skip
    grant.full_clean()
    grant.save()
    GrantEvent.objects.create(grant=grant, to_status=status, actor=actor,
                              amount_yuan=row.benefit_yuan, note=note[:300])  # fmt: skip
    audit.record(actor=actor, action=f"grant:{status}", obj=grant, before=None,
                 after=audit.snapshot(grant), source=source, detail=note)  # fmt: skip
    return grant


@transaction.atomic
def start_auto_grant(
    *, actor: User | None, enterprise: Enterprise, clause: Clause, source: str,
    synthetic: bool = False,
) -> Grant:  # fmt: skip
    """免申即享 step 1, 数据比对: the stored match shows the enterprise qualifies."""
    _check_department(actor, clause)
    if not clause.auto_grant:
        raise ValidationError(f"条款「{clause.code}」需要企业申报，不是免申即享")
    return _open_grant(actor=actor, enterprise=enterprise, clause=clause, auto=True,
                       source=source, note="数据比对：符合条件", synthetic=synthetic)  # fmt: skip


@transaction.atomic
def record_application(
    *, actor: User | None, enterprise: Enterprise, clause: Clause, source: str,
    synthetic: bool = False,
) -> Grant:  # fmt: skip
    _check_department(actor, clause)
    if clause.auto_grant:
        raise ValidationError(f"条款「{clause.code}」为免申即享，无需申报")
    return _open_grant(actor=actor, enterprise=enterprise, clause=clause, auto=False,
                       source=source, note="企业申报", synthetic=synthetic)  # fmt: skip


def _check_step(actor: User | None, grant: Grant, target: str) -> None:
    own = (
        actor is not None
        and actor.role == Role.ENTERPRISE
        and actor.enterprise_id == grant.enterprise_id
    )
    if own and target in workflow.ENTERPRISE_STEPS:
        return
    _check_department(actor, grant.clause)


@transaction.atomic
def advance_grant(
    *,
    actor: User | None,
    grant: Grant,
    expected_version: int,
    to: str,
    source: str,
    amount_yuan: Decimal | None = None,
    paid_on: date | None = None,
    note: str = "",
) -> Grant:
    """One step of the workflow; refused (in Chinese) if the step is not allowed."""
    fresh = Grant.objects.select_for_update().select_related("clause__department").get(pk=grant.pk)
    _check_step(actor, fresh, to)
    if fresh.version != expected_version:
        raise ValidationError("该兑现记录已被他人更新，请刷新后再操作")
    try:
        workflow.check_transition(fresh.status, to)
    except workflow.TransitionError as exc:
        raise ValidationError(str(exc)) from exc
    before = audit.snapshot(fresh)
    if to == workflow.PAID:
        _set_payment(fresh, amount_yuan, paid_on)
    fresh.status = to
    fresh.full_clean()
    fresh.version = F("version") + 1
    fresh.save()
    fresh.refresh_from_db()
    amount = fresh.paid_yuan if to == workflow.PAID else None
    GrantEvent.objects.create(grant=fresh, from_status=before["status"], to_status=to,
                              actor=actor, amount_yuan=amount, note=note[:300])  # fmt: skip
    audit.record(actor=actor, action=f"grant:{to}", obj=fresh, before=before,
                 after=audit.snapshot(fresh), source=source, detail=note)  # fmt: skip
    return fresh


def _set_payment(grant: Grant, amount: Decimal | None, paid_on: date | None) -> None:
    if amount is None or amount <= 0:
        raise ValidationError({"amount_yuan": ["拨付金额必须大于 0"]})
    cap = grant.clause.cap_yuan
    if cap is not None and amount > cap:
        raise ValidationError({"amount_yuan": [f"拨付金额 {amount} 元超过封顶金额 {cap} 元"]})
    if paid_on is None or paid_on > date.today():
        raise ValidationError({"paid_on": ["请填写拨付日期（不能晚于今天）"]})
    grant.paid_yuan, grant.paid_on = amount, paid_on
