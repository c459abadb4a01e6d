"""The one write path for leads: create, edit, move through the stage machine, log
follow-ups and sign into the ledger. Each is atomic, checks permission, validates
before saving, writes the audit trail and refuses stale edits."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from haotong.attraction import duplicates, stages
from haotong.attraction.models import (
    Chain,
    ChainFirm,
    ChainLink,
    Lead,
    LeadActivity,
    LeadStageChange,
)
from haotong.core import audit
from haotong.core import services as core_services
from haotong.core.models import DistrictSetting, OrgUnit, Role, Team, User
from haotong.ledger import services as ledger
from haotong.ledger.models import Enterprise, Project, validate_industry_code

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


# --- Chain structure (产业链图谱的编辑) ------------------------------------------
# Every edit locks the chain row, refuses a form read at an older ``Chain.version``,
# bumps the version and writes one audit entry against the chain (so its history is
# one list). The checks and the lock come before any write; each function is atomic.

_CODE_SEPARATORS = re.compile(r"[,，、;；\s]+")
_LISTED = 5  # names quoted in a refusal before "等"


class ChainConflictError(core_services.ConflictError):
    """Someone else changed the chain's structure since the form was read."""

    kind = "产业链"
    retry = "请刷新页面后重新操作"


def can_edit_chains(user: User | None) -> bool:
    """The chain map is the district's: the roles that settle between teams keep it."""
    return can_settle(user)


def _check_chain_editor(actor: User | None) -> None:
    from haotong.attraction import chains

    chains.check_can_edit_chains(actor)


def _lock_chain(chain_id: int, expected_version: int) -> Chain:
    return core_services.lock_version(
        Chain.objects.all(), chain_id, expected_version, error=ChainConflictError
    )


def _fresh_link(chain: Chain, link: ChainLink) -> ChainLink:
    fresh = ChainLink.objects.filter(pk=link.pk, chain=chain).first()
    if fresh is None:
        raise ValidationError(_("该环节已不存在，请刷新页面"))
    return fresh


def _fresh_firm(chain: Chain, firm: ChainFirm) -> ChainFirm:
    fresh = (
        ChainFirm.objects.select_related("link", "enterprise")
        .filter(pk=firm.pk, link__chain=chain)
        .first()
    )
    if fresh is None:
        raise ValidationError(_("该企业已不在此环节，请刷新页面"))
    return fresh


def _quoted(names: list[str]) -> str:
    shown = "、".join(names[:_LISTED])
    return shown + ("等" if len(names) > _LISTED else "")


def _link_state(link: ChainLink) -> dict[str, Any]:
    return {
        "id": link.pk,
        "name": link.name,
        "position": link.position,
        "industry_codes": link.industry_codes,
    }


def _order(chain: Chain) -> list[str]:
    return list(chain.links.order_by("position").values_list("name", flat=True))


def _chain_changed(
    actor: User | None,
    chain: Chain,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    source: str,
) -> None:
    """Bump the chain's version and audit the change against the chain."""
    Chain.objects.filter(pk=chain.pk).update(version=F("version") + 1)
    chain.refresh_from_db(fields=["version"])
    audit.record(
        actor=actor,
        action=action,
        obj=chain,
        before=before,
        after={**(after or {}), "version": chain.version},
        source=source,
    )


def _clean_link_name(chain: Chain, name: str, *, other_than: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("请填写环节名称")]})
    if len(name) > 100:
        raise ValidationError({"name": [_("环节名称不能超过100个字")]})
    taken = chain.links.filter(name=name)
    if other_than is not None:
        taken = taken.exclude(pk=other_than)
    if taken.exists():
        raise ValidationError(
            {
                "name": [
                    _("产业链「%(chain)s」已有环节「%(name)s」") % {"chain": chain, "name": name}
                ]
            }
        )
    return name


def _clean_industry_codes(text: str) -> str:
    """ "c3973，C3985 " → "C3973,C3985"; each code must be a GB/T 4754 code."""
    codes = list(dict.fromkeys(c.upper() for c in _CODE_SEPARATORS.split(text) if c))
    for code in codes:
        try:
            validate_industry_code(code)
        except ValidationError as exc:
            raise ValidationError({"industry_codes": exc.messages}) from exc
    joined = ",".join(codes)
    if len(joined) > 100:
        raise ValidationError({"industry_codes": [_("对应行业代码过多（不超过100个字符）")]})
    return joined


def _check_position(position: int, count: int) -> None:
    if not 0 <= position < count:
        raise ValidationError({"position": [_("次序须在第1位到第%(n)d位之间") % {"n": count}]})


def _renumber(chain: Chain, ordered: list[ChainLink]) -> None:
    """Give ``ordered`` (every link of ``chain``) positions 0, 1, 2 …

    Two steps so the unique (chain, position) constraint holds after every row, on
    SQLite and PostgreSQL alike: first move every link past the highest position in
    use, then set the final positions, all below it."""
    top = chain.links.aggregate(top=Max("position"))["top"]
    if top is None:
        return
    chain.links.update(position=F("position") + top + 1)
    for position, link in enumerate(ordered):
        ChainLink.objects.filter(pk=link.pk).update(position=position)
        link.position = position


@transaction.atomic
def new_chain(
    *,
    actor: User | None,
    name: str,
    source: str,
    description: str = "",
    links: Iterable[str] = (),
) -> Chain:
    """A new chain with its links (upstream → downstream), blank lines ignored."""
    from haotong.attraction import chains

    _check_chain_editor(actor)
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("请填写产业链名称")]})
    if Chain.objects.filter(name=name).exists():
        raise ValidationError({"name": [_("已有名为「%(name)s」的产业链") % {"name": name}]})
    names = [n.strip() for n in links if n.strip()]
    twice = [n for n, count in Counter(names).items() if count > 1]
    if twice:
        raise ValidationError({"links": [_("环节名称重复：%(names)s") % {"names": _quoted(twice)}]})
    too_long = [n for n in names if len(n) > 100]
    if too_long:
        raise ValidationError(
            {"links": [_("环节名称不能超过100个字：%(names)s") % {"names": _quoted(too_long)}]}
        )
    return chains.create_chain(
        actor=actor, name=name, links=names, source=source, description=description.strip()
    )


@transaction.atomic
def update_chain(
    *,
    actor: User | None,
    chain: Chain,
    expected_version: int,
    name: str,
    source: str,
    description: str = "",
) -> Chain:
    """Rename a chain or change its description."""
    _check_chain_editor(actor)
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("请填写产业链名称")]})

    def apply(fresh: Chain) -> None:
        fresh.name, fresh.description = name, description.strip()

    def check(fresh: Chain) -> None:
        if Chain.objects.filter(name=fresh.name).exclude(pk=fresh.pk).exists():
            raise ValidationError({"name": [_("已有名为「%(name)s」的产业链") % {"name": name}]})

    return core_services.update_versioned(
        Chain.objects.all(),
        chain.pk,
        expected_version=expected_version,
        apply=apply,
        check=check,
        actor=actor,
        source=source,
        error=ChainConflictError,
    )


@transaction.atomic
def add_chain_link(
    *,
    actor: User | None,
    chain: Chain,
    expected_version: int,
    name: str,
    source: str,
    industry_codes: str = "",
    position: int | None = None,
) -> ChainLink:
    """Add a link at ``position`` (0 = most upstream; ``None``: after the last one)."""
    _check_chain_editor(actor)
    fresh = _lock_chain(chain.pk, expected_version)
    name = _clean_link_name(fresh, name)
    codes = _clean_industry_codes(industry_codes)
    ordered = list(fresh.links.order_by("position"))
    if position is None:
        position = len(ordered)
    _check_position(position, len(ordered) + 1)
    top = max((link.position for link in ordered), default=-1)
    link = ChainLink(chain=fresh, name=name, industry_codes=codes, position=top + 1)
    link.full_clean()
    link.save()
    ordered.insert(position, link)
    _renumber(fresh, ordered)
    _chain_changed(
        actor,
        fresh,
        "chain_link_add",
        None,
        {"link": _link_state(link), "order": [x.name for x in ordered]},
        source,
    )
    return link


@transaction.atomic
def update_chain_link(
    *,
    actor: User | None,
    link: ChainLink,
    expected_version: int,
    name: str,
    source: str,
    industry_codes: str = "",
) -> ChainLink:
    """Rename a link or change its industry codes."""
    _check_chain_editor(actor)
    chain = _lock_chain(link.chain_id, expected_version)
    fresh = _fresh_link(chain, link)
    before = _link_state(fresh)
    fresh.name = _clean_link_name(chain, name, other_than=fresh.pk)
    fresh.industry_codes = _clean_industry_codes(industry_codes)
    if _link_state(fresh) == before:
        return fresh
    fresh.full_clean()
    fresh.save()
    _chain_changed(
        actor, chain, "chain_link_update", {"link": before}, {"link": _link_state(fresh)}, source
    )
    return fresh


@transaction.atomic
def move_chain_link(
    *,
    actor: User | None,
    link: ChainLink,
    expected_version: int,
    position: int,
    source: str,
) -> ChainLink:
    """Move a link to ``position`` (0 = most upstream); the others close up around it.
    Every link's position is rewritten in one transaction."""
    _check_chain_editor(actor)
    chain = _lock_chain(link.chain_id, expected_version)
    fresh = _fresh_link(chain, link)
    ordered = list(chain.links.order_by("position"))
    _check_position(position, len(ordered))
    before = [x.name for x in ordered]
    ordered = [x for x in ordered if x.pk != fresh.pk]
    ordered.insert(position, fresh)
    if [x.name for x in ordered] == before:
        return fresh
    _renumber(chain, ordered)
    _chain_changed(
        actor,
        chain,
        "chain_link_move",
        {"order": before},
        {"order": [x.name for x in ordered], "link": fresh.name},
        source,
    )
    return fresh


@transaction.atomic
def remove_chain_link(
    *, actor: User | None, link: ChainLink, expected_version: int, source: str
) -> None:
    """Remove a link with no local firms and no leads on it (its target list, if any,
    goes with it and is kept in the audit entry); the links below close up."""
    _check_chain_editor(actor)
    chain = _lock_chain(link.chain_id, expected_version)
    fresh = _fresh_link(chain, link)
    firms = list(
        fresh.firms.order_by("-is_anchor", "enterprise__name").values_list(
            "enterprise__name", flat=True
        )
    )
    leads = list(
        Lead.objects.filter(chain_link=fresh).order_by("id").values_list("project_name", flat=True)
    )
    attached = []
    if firms:
        attached.append(
            _("本地企业%(n)d家（%(names)s）") % {"n": len(firms), "names": _quoted(firms)}
        )
    if leads:
        attached.append(_("线索%(n)d条（%(names)s）") % {"n": len(leads), "names": _quoted(leads)})
    if attached:
        raise ValidationError(
            _("环节「%(link)s」上还有%(attached)s，不能删除：请先将其移出该环节后再删除")
            % {"link": fresh.name, "attached": "、".join(attached)}
        )
    before = {
        "link": _link_state(fresh),
        "targets": list(fresh.targets.values_list("name", flat=True)),
        "order": _order(chain),
    }
    fresh.delete()
    _renumber(chain, list(chain.links.order_by("position")))
    _chain_changed(actor, chain, "chain_link_remove", before, {"order": _order(chain)}, source)


@transaction.atomic
def attach_chain_firm(
    *,
    actor: User | None,
    link: ChainLink,
    expected_version: int,
    enterprise: Enterprise,
    source: str,
    is_anchor: bool = False,
) -> ChainFirm:
    """Put a ledger enterprise on a link as a local firm (optionally its 链主)."""
    _check_chain_editor(actor)
    chain = _lock_chain(link.chain_id, expected_version)
    fresh = _fresh_link(chain, link)
    if fresh.firms.filter(enterprise=enterprise).exists():
        raise ValidationError(
            {
                "enterprise": [
                    _("「%(firm)s」已在环节「%(link)s」中")
                    % {"firm": enterprise.name, "link": fresh.name}
                ]
            }
        )
    firm = ChainFirm(link=fresh, enterprise=enterprise, is_anchor=is_anchor)
    firm.full_clean()
    firm.save()
    _chain_changed(actor, chain, "chain_firm_add", None, _firm_state(firm), source)
    return firm


def _firm_state(firm: ChainFirm) -> dict[str, Any]:
    return {
        "link": firm.link.name,
        "enterprise_id": firm.enterprise_id,
        "enterprise": firm.enterprise.name,
        "is_anchor": firm.is_anchor,
    }


@transaction.atomic
def set_chain_anchor(
    *,
    actor: User | None,
    firm: ChainFirm,
    expected_version: int,
    is_anchor: bool,
    source: str,
) -> ChainFirm:
    """Mark (or unmark) a local firm as its link's 链主."""
    _check_chain_editor(actor)
    chain = _lock_chain(firm.link.chain_id, expected_version)
    fresh = _fresh_firm(chain, firm)
    if fresh.is_anchor == is_anchor:
        return fresh
    before = _firm_state(fresh)
    fresh.is_anchor = is_anchor
    fresh.save(update_fields=["is_anchor"])
    _chain_changed(actor, chain, "chain_firm_anchor", before, _firm_state(fresh), source)
    return fresh


@transaction.atomic
def detach_chain_firm(
    *, actor: User | None, firm: ChainFirm, expected_version: int, source: str
) -> None:
    """Take a firm off a link (the enterprise stays in the ledger)."""
    _check_chain_editor(actor)
    chain = _lock_chain(firm.link.chain_id, expected_version)
    fresh = _fresh_firm(chain, firm)
    before = _firm_state(fresh)
    fresh.delete()
    _chain_changed(actor, chain, "chain_firm_remove", before, None, source)
