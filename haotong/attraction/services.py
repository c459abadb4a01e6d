"""The one write path for leads: create, edit, move through the stage machine, log
follow-ups and sign into the ledger. Each is atomic, checks permission, validates
before saving, writes the audit trail and refuses stale edits."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from haotong.attraction import duplicates, stages
from haotong.attraction.models import Lead, LeadActivity, LeadStageChange
from haotong.core import audit
from haotong.core import services as core_services
from haotong.core.models import DistrictSetting, OrgUnit, Role, Team, User
from haotong.ledger import services as ledger
from haotong.ledger.models import Project

STALE_DAYS_KEY = "lead_stale_days"
DEFAULT_STALE_DAYS = 30
LEAD_FIELDS = frozenset(
    {
        "project_name",
        "investor_name",
        "investor",
        "investor_id",
        "source",
        "industry_code",
        "chain_link",
        "chain_link_id",
        "intended_investment_yuan",
        "team",
        "team_id",
        "acquired_on",
        "next_action",
        "next_action_on",
        "synthetic",
    }
)
# District roles that settle duplicate pursuit between teams.
SETTLER_ROLES = frozenset({Role.LEADER, Role.ANALYST, Role.ADMIN})


class ConflictError(core_services.ConflictError):
    """Someone else changed the lead since it was read."""

    kind = "线索"
    retry = "请刷新后重新操作"


def stale_days() -> int:
    """N in "no follow-up within N days": a district setting, 30 unless set."""
    row = DistrictSetting.objects.filter(key=STALE_DAYS_KEY).first()
    return int(row.value) if row else DEFAULT_STALE_DAYS


def can_work_team(user: User | None, team: Team) -> bool:
    """Team members work the leads of teams in their unit; 区领导, 发改委 and admin any team."""
    if user is None or user.is_superuser or user.role in {Role.LEADER, Role.ANALYST, Role.ADMIN}:
        return True
    return (
        user.role == Role.TEAM_MEMBER
        and user.org_unit is not None
        and team.org_unit.path.startswith(user.org_unit.path)
    )


def check_can_work_team(user: User | None, team: Team) -> None:
    if not can_work_team(user, team):
        raise PermissionDenied("只能处理本单位招商队伍的线索")


def can_settle(user: User | None) -> bool:
    return user is None or user.is_superuser or user.role in SETTLER_ROLES


def visible_teams(user: User) -> QuerySet[Team]:
    """Teams whose leads ``user`` sees (the lead list's team filter)."""
    if user.is_district_wide:
        return Team.objects.all()
    if user.org_unit is None:
        return Team.objects.none()
    return Team.objects.filter(org_unit__path__startswith=user.org_unit.path)


def teams_for(user: User) -> list[Team]:
    return [t for t in Team.objects.select_related("org_unit") if can_work_team(user, t)]


def _apply(lead: Lead, fields: Mapping[str, Any]) -> None:
    core_services.apply_fields(lead, fields, LEAD_FIELDS)
    lead.investor_key = duplicates.normalise_company(lead.investor_name or "")
    lead.project_key = duplicates.normalise_project(lead.project_name or "")


def _with_team() -> QuerySet[Lead]:
    return Lead.objects.select_related("team__org_unit")


def _locked(lead: Lead, expected_version: int | None) -> Lead:
    return core_services.lock_version(_with_team(), lead.pk, expected_version, error=ConflictError)


def _bump(lead: Lead, **fields: Any) -> None:
    Lead.objects.filter(pk=lead.pk).update(version=F("version") + 1, **fields)
    lead.refresh_from_db()


@transaction.atomic
def create_lead(
    *, actor: User | None, fields: Mapping[str, Any], source: str, source_detail: str = ""
) -> Lead:
    from haotong.attraction import conflicts

    lead = Lead(created_by=actor)
    _apply(lead, fields)
    if lead.team_id is None:
        raise ValidationError({"team": ["请选择跟进队伍"]})
    check_can_work_team(actor, lead.team)
    lead.stage, lead.stage_on = stages.ACQUIRED, lead.acquired_on
    lead.full_clean()
    lead.save()
    LeadStageChange.objects.create(
        lead=lead, stage=stages.ACQUIRED, on=lead.acquired_on, source=source, recorded_by=actor
    )
    audit.record(
        actor=actor,
        action="create",
        obj=lead,
        before=None,
        after=audit.snapshot(lead),
        source=source,
        detail=source_detail,
    )
    conflicts.detect_for(lead)
    return lead


@transaction.atomic
def update_lead(
    *,
    actor: User | None,
    lead: Lead,
    expected_version: int,
    fields: Mapping[str, Any],
    source: str,
    source_detail: str = "",
) -> Lead:
    from haotong.attraction import conflicts

    check_can_work_team(actor, lead.team)
    fresh = core_services.update_versioned(
        _with_team(),
        lead.pk,
        expected_version=expected_version,
        apply=lambda fresh: _apply(fresh, fields),
        # May not hand a lead to a team out of reach.
        check=lambda fresh: check_can_work_team(actor, fresh.team),
        actor=actor,
        source=source,
        source_detail=source_detail,
        error=ConflictError,
    )
    conflicts.detect_for(fresh)
    return fresh


@transaction.atomic
def move_lead(
    *,
    actor: User | None,
    lead: Lead,
    stage: str,
    on: date,
    source: str,
    reason: str = "",
    expected_version: int | None = None,
    today: date | None = None,
) -> LeadStageChange:
    """Move a lead to ``stage`` (not 签约: that is ``sign_lead``, which makes the project)."""
    check_can_work_team(actor, lead.team)
    if stage == stages.SIGNED:
        raise ValidationError(
            {"stage": ["签约请使用「签约转项目」，系统将同时在项目台账中建立项目"]}
        )
    fresh = _locked(lead, expected_version)
    change = _transition(actor, fresh, stage, on, source, reason, today)
    lead.refresh_from_db()
    return change


def close_as_duplicate(*, actor: User | None, lead: Lead, reason: str, source: str) -> None:
    """放弃 a lead the district ruled a duplicate. The caller has checked the right to
    settle (a district leader settles without working any team's leads)."""
    fresh = _locked(lead, None)
    _transition(
        actor,
        fresh,
        stages.ABANDONED,
        max(timezone.localdate(), fresh.stage_on),
        source,
        reason,
        max(timezone.localdate(), fresh.stage_on),
    )


def _transition(
    actor: User | None,
    lead: Lead,
    stage: str,
    on: date,
    source: str,
    reason: str,
    today: date | None,
) -> LeadStageChange:
    try:
        stages.check_transition(
            stages.State(lead.stage, lead.stage_on),
            stage,
            on,
            today=today or timezone.localdate(),
            reason=reason,
        )
    except stages.TransitionError as exc:
        raise ValidationError({"stage": [str(exc)]}) from exc
    change = LeadStageChange(
        lead=lead,
        stage=stage,
        on=on,
        reason=reason.strip()[:300],
        source=source,
        recorded_by=actor,
    )
    change.full_clean()
    change.save()
    before = {"stage": lead.stage, "stage_on": lead.stage_on.isoformat()}
    extra = {"abandon_reason": change.reason} if stage == stages.ABANDONED else {}
    _bump(lead, stage=stage, stage_on=on, **extra)
    audit.record(
        actor=actor,
        action=f"stage:{stage}",
        obj=lead,
        before=before,
        after={"stage": stage, "stage_on": on.isoformat(), "reason": change.reason},
        source=source,
    )
    return change


@transaction.atomic
def log_activity(
    *,
    actor: User | None,
    lead: Lead,
    kind: str,
    on: date,
    who: str,
    note: str,
    source: str,
    synthetic: bool = False,
    today: date | None = None,
) -> LeadActivity:
    check_can_work_team(actor, lead.team)
    if on > (today or timezone.localdate()):
        raise ValidationError({"on": ["跟进日期不能晚于今天"]})
    if on < lead.acquired_on:
        raise ValidationError({"on": [f"跟进日期早于线索获取日期（{lead.acquired_on:%Y-%m-%d}）"]})
    activity = LeadActivity(
        lead=lead,
        kind=kind,
        on=on,
        who=who.strip(),
        note=note.strip(),
        recorded_by=actor,
        synthetic=synthetic,
    )
    activity.full_clean()
    activity.save()
    audit.record(
        actor=actor,
        action="activity",
        obj=lead,
        before=None,
        after=audit.snapshot(activity),
        source=source,
    )
    return activity


@transaction.atomic
def sign_lead(
    *,
    actor: User | None,
    lead: Lead,
    on: date,
    town: OrgUnit | None,
    source: str,
    project: Project | None = None,
    expected_version: int | None = None,
    today: date | None = None,
) -> Project:
    """签约: the lead becomes a ledger project (or is tied to one already in the ledger).

    The project's signing goes through the ledger's stage machine, so every rule it
    enforces (e.g. a major project's review) applies; its refusal undoes everything.
    """
    check_can_work_team(actor, lead.team)
    fresh = _locked(lead, expected_version)
    _transition(actor, fresh, stages.SIGNED, on, source, "", today)
    detail = f"线索#{fresh.pk}「{fresh.project_name}」"
    if project is None:
        project = _project_from_lead(actor, fresh, town, source, detail)
        ledger.record_stage_event(
            actor=actor,
            project=project,
            stage="signed",
            on=on,
            source=source,
            source_detail=detail,
            evidence="由线索转入",
            today=today,
        )
    elif Lead.objects.filter(project=project).exclude(pk=fresh.pk).exists():
        raise ValidationError({"project": [f"项目「{project}」已由另一条线索转入"]})
    _bump(fresh, project=project)
    audit.record(
        actor=actor,
        action="sign",
        obj=fresh,
        before=None,
        after={"project_id": project.pk, "on": on.isoformat()},
        source=source,
        detail=detail,
    )
    lead.refresh_from_db()
    return project


def _project_from_lead(
    actor: User | None, lead: Lead, town: OrgUnit | None, source: str, detail: str
) -> Project:
    if town is None:
        raise ValidationError({"town": ["请选择项目所在镇街/园区"]})
    return ledger.create_project(
        actor=actor,
        source=source,
        source_detail=detail,
        investors=[lead.investor] if lead.investor else [],
        fields={
            "name": lead.project_name,
            "town": town,
            "investment_yuan": lead.intended_investment_yuan,
            "industry_code": lead.industry_code,
            "chain_link": lead.chain_link.name if lead.chain_link else "",
            "owner_team": lead.team,
            "synthetic": lead.synthetic,
            "source_note": f"由{detail}转入，投资方：{lead.investor_name}",
        },
    )
