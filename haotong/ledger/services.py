"""The one write path for the ledger. Views, the API, imports and the demo loader
call these; each is atomic, validates before it saves and writes the audit trail."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from haotong.core import audit
from haotong.core.models import User
from haotong.core.services import ConflictError as ConflictError
from haotong.core.services import apply_fields, update_versioned
from haotong.ledger import stages
from haotong.ledger.models import Enterprise, Groundbreaking, InvestmentReport, Project, StageEvent

PROJECT_FIELDS = frozenset(
    {
        "name",
        "aliases",
        "industry_code",
        "chain_link",
        "town",
        "town_id",
        "investment_yuan",
        "investment_qualifier",
        "fixed_asset_yuan",
        "land_mu",
        "planned_output_yuan",
        "planned_tax_yuan",
        "capacity_text",
        "tag_tech",
        "tag_talent",
        "tag_major_attraction",
        "advanced_manufacturing",
        "owner_team",
        "owner_team_id",
        "leader_in_charge",
        "synthetic",
        "source_note",
    }
)
ENTERPRISE_FIELDS = frozenset(
    f.name for f in Enterprise._meta.concrete_fields if f.name not in {"id", "version"}
) | {"town_id"}


def check_can_edit_project(user: User | None, project: Project | None = None) -> None:
    """Raise PermissionDenied unless ``user`` may change ``project`` (or create it)."""
    if user is None:  # system work: demo loader, management commands
        return
    if not user.can_edit_ledger:
        raise PermissionDenied("您的角色不能修改项目台账")
    if project is None or user.is_district_wide:
        return
    unit = user.org_unit
    team_unit = project.owner_team.org_unit if project.owner_team is not None else None
    if unit is None or not (
        project.town.path.startswith(unit.path)
        or (team_unit is not None and team_unit.path.startswith(unit.path))
    ):
        raise PermissionDenied("只能登记本单位辖区或本队伍招引的项目")


def _full_clean(obj: Any) -> None:
    # Our own messages for the two constraints people hit most.
    try:
        obj.full_clean()
    except ValidationError as exc:
        if isinstance(obj, Project) and "__all__" in getattr(exc, "message_dict", {}):
            msgs = exc.message_dict["__all__"]
            if any("town" in m or "名称" in m or "exists" in m or "已存在" in m for m in msgs):
                raise ValidationError({"name": [f"{obj.town}已有同名项目「{obj.name}」"]}) from exc
        raise


@transaction.atomic
def create_project(
    *,
    actor: User | None,
    fields: Mapping[str, Any],
    investors: Iterable[Enterprise] = (),
    source: str,
    source_detail: str = "",
) -> Project:
    project = Project()
    apply_fields(project, fields, PROJECT_FIELDS)
    check_can_edit_project(actor, project)
    _full_clean(project)
    project.save()
    project.investors.set(list(investors))
    audit.record(
        actor=actor,
        action="create",
        obj=project,
        before=None,
        after=audit.snapshot(project, m2m=("investors",)),
        source=source,
        detail=source_detail,
    )
    return project


@transaction.atomic
def update_project(
    *,
    actor: User | None,
    project: Project,
    expected_version: int,
    fields: Mapping[str, Any],
    source: str,
    source_detail: str = "",
) -> Project:
    """Change fields; refuse with ConflictError if the record moved on since it was read."""
    check_can_edit_project(actor, project)
    return update_versioned(
        Project.objects.all(),
        project.pk,
        expected_version=expected_version,
        apply=lambda fresh: apply_fields(fresh, fields, PROJECT_FIELDS),
        validate=_full_clean,
        actor=actor,
        source=source,
        source_detail=source_detail,
        m2m=("investors",),
    )


def project_state(project: Project, *, today: date) -> stages.State:
    events = project.events.order_by("date", "id").values_list("stage", "date")
    return stages.replay(events, today=today)


@transaction.atomic
def record_stage_event(
    *,
    actor: User | None,
    project: Project,
    stage: str,
    on: date,
    source: str,
    precision: str = StageEvent.Precision.DAY,
    source_detail: str = "",
    evidence: str = "",
    synthetic: bool = False,
    today: date | None = None,
) -> StageEvent:
    """Record one stage change; the stage machine refuses jumps it does not allow."""
    check_can_edit_project(actor, project)
    locked = Project.objects.select_for_update().get(pk=project.pk)
    today = today or timezone.localdate()
    try:
        state = stages.check_transition(project_state(locked, today=today), stage, on, today=today)
    except stages.TransitionError as exc:
        raise ValidationError({"stage": [str(exc)]}) from exc
    # Major projects sign only after a passed review (研判会商). Local import: review imports ledger.
    from haotong.review.gate import check_signing_allowed

    check_signing_allowed(locked, on, stage=stage)
    event = StageEvent(
        project=locked,
        stage=stage,
        date=on,
        date_precision=precision,
        source=source,
        source_detail=source_detail,
        evidence=evidence,
        recorded_by=actor,
        synthetic=synthetic,
    )
    event.full_clean()
    event.save()
    before = {
        "stage": locked.stage,
        "stage_date": locked.stage_date and locked.stage_date.isoformat(),
    }
    Project.objects.filter(pk=locked.pk).update(
        stage=state.stage or "", stage_date=state.since, version=F("version") + 1
    )
    audit.record(
        actor=actor,
        action=f"stage:{stage}",
        obj=locked,
        before=before,
        after={
            "stage": state.stage,
            "stage_date": on.isoformat(),
            "event_id": event.pk,
            "precision": precision,
            "evidence": evidence[:200],
        },
        source=source,
        detail=source_detail,
    )
    project.stage, project.stage_date = state.stage or "", state.since
    project.version = locked.version + 1
    return event


@transaction.atomic
def record_investment(
    *,
    actor: User | None,
    project: Project,
    month: date,
    completed_yuan: Decimal,
    source: str,
    synthetic: bool = False,
) -> InvestmentReport:
    check_can_edit_project(actor, project)
    month = month.replace(day=1)
    if month > timezone.localdate():
        raise ValidationError({"month": ["不能登记未来月份的完成投资"]})
    report, created = InvestmentReport.objects.select_for_update().get_or_create(
        project=project,
        month=month,
        defaults={"completed_yuan": completed_yuan, "source": source, "synthetic": synthetic},
    )
    before = None if created else audit.snapshot(report)
    if not created:
        report.completed_yuan, report.source = completed_yuan, source
    report.full_clean()
    report.save()
    audit.record(
        actor=actor,
        action="investment",
        obj=project,
        before=before,
        after=audit.snapshot(report),
        source=source,
        detail=f"{month:%Y-%m}",
    )
    return report


@transaction.atomic
def create_enterprise(
    *, actor: User | None, fields: Mapping[str, Any], source: str, source_detail: str = ""
) -> Enterprise:
    if actor is not None and not actor.can_edit_ledger:
        raise PermissionDenied("您的角色不能修改企业信息")
    enterprise = Enterprise()
    apply_fields(enterprise, fields, ENTERPRISE_FIELDS)
    enterprise.full_clean()
    enterprise.save()
    audit.record(
        actor=actor,
        action="create",
        obj=enterprise,
        before=None,
        after=audit.snapshot(enterprise),
        source=source,
        detail=source_detail,
    )
    return enterprise


@transaction.atomic
def update_enterprise(
    *,
    actor: User | None,
    enterprise: Enterprise,
    expected_version: int,
    fields: Mapping[str, Any],
    source: str,
    source_detail: str = "",
) -> Enterprise:
    """Change an enterprise's attributes (stale edits refused), then refresh its
    policy matches so its page and the uptake figures are current at once."""
    if actor is not None and not actor.can_edit_ledger:
        raise PermissionDenied("您的角色不能修改企业信息")
    visible = Enterprise.objects.visible_to(actor) if actor is not None else None
    if visible is not None and not visible.filter(pk=enterprise.pk).exists():
        raise PermissionDenied("只能修改本单位辖区的企业")
    fresh = update_versioned(
        Enterprise.objects.all(),
        enterprise.pk,
        expected_version=expected_version,
        apply=lambda fresh: apply_fields(fresh, fields, ENTERPRISE_FIELDS),
        validate=_full_clean,
        actor=actor,
        source=source,
        source_detail=source_detail,
    )
    from haotong.policies.eligibility import refresh_enterprise  # policies builds on the ledger

    refresh_enterprise(actor=actor, enterprise=fresh, source=source)
    return fresh


@transaction.atomic
def create_groundbreaking(
    *,
    actor: User | None,
    name: str,
    on: date,
    projects: Iterable[Project],
    source: str,
    source_note: str = "",
    reported_count: int | None = None,
    reported_total_yuan: Decimal | None = None,
) -> Groundbreaking:
    if actor is not None and not (actor.is_superuser or actor.role in {"analyst", "admin"}):
        raise PermissionDenied("只有发改委或管理员可以组织集中开工")
    batch = Groundbreaking(
        name=name,
        date=on,
        source_note=source_note,
        reported_count=reported_count,
        reported_total_yuan=reported_total_yuan,
    )
    batch.full_clean()
    batch.save()
    batch.projects.set(list(projects))
    audit.record(
        actor=actor,
        action="create",
        obj=batch,
        before=None,
        after=audit.snapshot(batch, m2m=("projects",)),
        source=source,
        detail=source_note,
    )
    return batch
