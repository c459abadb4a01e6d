"""Duplicate pursuit between teams: detection (rapidfuzz, via ``duplicates``) writes
LeadConflict rows; the district settles each one. Nothing is ever merged."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from haotong.attraction import duplicates, stages
from haotong.attraction.models import Lead, LeadConflict
from haotong.attraction.services import can_settle, close_as_duplicate
from haotong.core import audit
from haotong.core.models import Team, User

# Leads that can still collide: abandoned ones are out, and two signed leads are two
# projects, not a race (checked below: at least one side must still be open).
_CANDIDATE_STAGES = stages.OPEN_STAGES | {stages.SIGNED, stages.LANDED}


def _items(*, other_than_team: int | None = None) -> list[duplicates.Item]:
    rows = Lead.objects.filter(stage__in=_CANDIDATE_STAGES)
    if other_than_team is not None:
        rows = rows.filter(~Q(team_id=other_than_team))
    fields = rows.values_list("pk", "team_id", "investor_key", "project_key")
    return [duplicates.Item(pk, team, inv, proj) for pk, team, inv, proj in fields]


def _save(matches: list[duplicates.Match]) -> int:
    if not matches:
        return 0
    ids = {m.a for m in matches} | {m.b for m in matches}
    stage = dict(Lead.objects.filter(pk__in=ids).values_list("pk", "stage"))
    existing = set(
        LeadConflict.objects.filter(lead_a__in=ids).values_list("lead_a_id", "lead_b_id")
    )
    new = [
        LeadConflict(
            lead_a_id=m.a, lead_b_id=m.b, matched_on=m.field, score=Decimal(str(round(m.score, 1)))
        )
        for m in matches
        if (m.a, m.b) not in existing and (stages.is_open(stage[m.a]) or stages.is_open(stage[m.b]))
    ]
    LeadConflict.objects.bulk_create(new)
    return len(new)


def detect_for(lead: Lead) -> int:
    """Conflicts of one new or edited lead with other teams' leads; returns how many are new."""
    if lead.stage not in _CANDIDATE_STAGES:
        return 0
    me = duplicates.Item(lead.pk, lead.team_id, lead.investor_key, lead.project_key)
    others = _items(other_than_team=lead.team_id)
    return _save(duplicates.matches_for(me, others))


def detect_all() -> int:
    """Scan the whole lead book (the demo, a nightly run); returns how many are new."""
    return _save(duplicates.find_matches(_items()))


@transaction.atomic
def settle_conflict(
    *,
    actor: User | None,
    conflict: LeadConflict,
    owner_team: Team | None,
    note: str,
    source: str,
) -> LeadConflict:
    """Pick the owning team (the other team's open lead is closed as 放弃 with the
    ruling as its reason) or, with ``owner_team=None``, rule it not a duplicate."""
    if not can_settle(actor):
        raise PermissionDenied("只有区领导、发改委或管理员可以裁定重复线索")
    fresh = (
        LeadConflict.objects.select_for_update()
        .select_related("lead_a__team", "lead_b__team")
        .get(pk=conflict.pk)
    )
    if fresh.status != LeadConflict.Status.OPEN:
        raise ValidationError("该重复线索已裁定，请刷新页面")
    if not note.strip():
        raise ValidationError({"note": ["裁定必须填写说明"]})
    before = audit.snapshot(fresh)
    leads = (fresh.lead_a, fresh.lead_b)
    if owner_team is not None:
        if owner_team.pk not in {lead.team_id for lead in leads}:
            raise ValidationError({"owner_team": ["归属队伍必须是冲突双方之一"]})
        winner = next(lead for lead in leads if lead.team_id == owner_team.pk)
        for lead in leads:
            if lead.team_id != owner_team.pk and lead.is_open:
                close_as_duplicate(
                    actor=actor,
                    lead=lead,
                    source=source,
                    reason=f"重复线索，区级裁定由{owner_team.name}跟进（线索#{winner.pk}）：{note.strip()}",
                )
    fresh.status = (
        LeadConflict.Status.OWNER_CHOSEN if owner_team else LeadConflict.Status.NOT_DUPLICATE
    )
    fresh.owner_team, fresh.note = owner_team, note.strip()[:300]
    fresh.settled_by, fresh.settled_at = actor, timezone.now()
    fresh.full_clean()
    fresh.save()
    audit.record(
        actor=actor,
        action="settle",
        obj=fresh,
        before=before,
        after=audit.snapshot(fresh),
        source=source,
    )
    return fresh
