"""Reads for the attraction pages: lead list filters, stale leads, the dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, DateField, Max, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest

from haotong.attraction import stages
from haotong.attraction.models import ChainFirm, Lead, LeadConflict
from haotong.core.models import User
from haotong.ledger.models import Project


def with_last_follow_up(qs: QuerySet[Lead]) -> QuerySet[Lead]:
    """Annotate ``last_follow_up``: the latest activity, stage move or the acquisition."""
    return qs.annotate(
        last_follow_up=Greatest(
            Coalesce(Max("activities__on"), "acquired_on", output_field=DateField()),
            "stage_on",
            output_field=DateField(),
        )
    )


def stale(qs: QuerySet[Lead], *, as_of: date, days: int) -> QuerySet[Lead]:
    """Open leads with no follow-up within ``days`` before ``as_of``."""
    cutoff = as_of - timedelta(days=days)
    open_leads = qs.filter(stage__in=stages.OPEN_STAGES)
    return with_last_follow_up(open_leads).filter(**{"last_follow_up__lt": cutoff})


def filter_leads(
    qs: QuerySet[Lead], data: dict[str, Any], *, as_of: date, days: int
) -> QuerySet[Lead]:
    if data.get("q"):
        q = data["q"]
        qs = qs.filter(Q(project_name__icontains=q) | Q(investor_name__icontains=q))
    if data.get("stage") == "open":
        qs = qs.filter(stage__in=stages.OPEN_STAGES)
    elif data.get("stage"):
        qs = qs.filter(stage=data["stage"])
    if data.get("team"):
        qs = qs.filter(team=data["team"])
    if data.get("source"):
        qs = qs.filter(source=data["source"])
    if data.get("chain_link"):
        qs = qs.filter(chain_link=data["chain_link"])
    if data.get("stale"):
        qs = stale(qs, as_of=as_of, days=days)
    if data.get("synthetic") in {"0", "1"}:
        qs = qs.filter(synthetic=data["synthetic"] == "1")
    return qs


@dataclass(frozen=True)
class Bucket:
    label: str
    count: int
    query: str  # the lead list's query string for these rows


def dashboard(user: User, *, as_of: date, days: int) -> dict[str, Any]:
    leads = Lead.objects.visible_to(user)
    projects = Project.objects.visible_to(user)
    # 已招引 (attracted) means signed: a project with any stage event. Tagged projects
    # still in talks (e.g. awaiting 研判会商) are counted beside it, not in it.
    signed = ~Q(stage="")
    counts = projects.aggregate(
        **{
            f"{tag}{suffix}": Count("id", filter=Q(**{f"tag_{tag}": True}) & cond)
            for tag in ("tech", "talent", "major_attraction")
            for suffix, cond in (("", signed), ("_unsigned", ~signed))
        }
    )
    counts["chain_firms"] = ChainFirm.objects.values("enterprise").distinct().count()
    by_stage = dict(leads.values_list("stage").annotate(n=Count("id")).order_by())
    by_team = (
        leads.values("team", "team__name")
        .annotate(
            n=Count("id"),
            open=Count("id", filter=Q(stage__in=stages.OPEN_STAGES)),
            signed=Count("id", filter=Q(stage__in=[stages.SIGNED, stages.LANDED])),
        )
        .order_by("-n", "team__name")
    )
    return {
        "counts": counts,
        "by_stage": [
            Bucket(label, by_stage.get(code, 0), f"stage={code}")
            for code, label in stages.STAGE_LABELS.items()
        ],
        "by_team": list(by_team),
        "total_leads": sum(by_stage.values()),
        "stale": list(
            stale(leads, as_of=as_of, days=days)
            .select_related("team")
            .order_by(*["last_follow_up", "id"])[:10]
        ),
        "stale_count": stale(leads, as_of=as_of, days=days).count(),
        "open_conflicts": (
            LeadConflict.objects.filter(status=LeadConflict.Status.OPEN).count()
            if user.is_district_wide
            else None
        ),
    }
