"""Reads over stored eligibility and grants: the uptake dashboard (应享 vs 已享),
the rows behind each figure, and the outreach lists. The engine is not run here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Substr

from haotong.core.models import User
from haotong.ledger import industries
from haotong.ledger.models import Enterprise
from haotong.policies import workflow
from haotong.policies.models import Clause, Eligibility, Grant, OutreachTask, Policy

FILTERS = ("policy", "clause", "town", "industry", "status", "taken")


def visible_eligibility(user: User) -> QuerySet[Eligibility]:
    qs = Eligibility.objects.all()
    if not user.is_district_wide:
        qs = qs.filter(enterprise__in=Enterprise.objects.visible_to(user).values("pk"))
    return qs


def visible_grants(user: User) -> QuerySet[Grant]:
    qs = Grant.objects.all()
    if not user.is_district_wide:
        qs = qs.filter(enterprise__in=Enterprise.objects.visible_to(user).values("pk"))
    return qs


def _live_grant() -> Exists:
    return Exists(
        Grant.objects.filter(
            enterprise=OuterRef("enterprise_id"),
            clause=OuterRef("clause_id"),
            status__in=workflow.TAKEN_UP,
        )
    )


def filter_rows(qs: QuerySet[Any], params: dict[str, str], *, prefix: str = "") -> QuerySet[Any]:
    """Filters shared by the eligibility and grant lists (the dashboard's links)."""
    if params.get("policy", "").isdigit():
        qs = qs.filter(clause__policy_id=int(params["policy"]))
    if params.get("clause", "").isdigit():
        qs = qs.filter(clause_id=int(params["clause"]))
    if params.get("town"):
        qs = qs.filter(enterprise__town__name=params["town"][:100])
    if params.get("industry"):
        qs = qs.filter(enterprise__industry_code__startswith=params["industry"][:5])
    return qs


def eligibility_rows(qs: QuerySet[Eligibility], params: dict[str, str]) -> QuerySet[Eligibility]:
    qs = filter_rows(qs, params)
    status = params.get("status", "eligible")
    if status in Eligibility.Status.values:
        qs = qs.filter(status=status)
    qs = qs.annotate(taken=_live_grant())
    if params.get("taken") in {"0", "1"}:
        qs = qs.filter(taken=params["taken"] == "1")
    return qs.select_related("enterprise__town", "clause__policy", "clause__department").order_by(
        "clause__policy_id", "clause_id", "enterprise__name"
    )


def grant_rows(qs: QuerySet[Grant], params: dict[str, str]) -> QuerySet[Grant]:
    qs = filter_rows(qs, params)
    if params.get("status") in Grant.Status.values:
        qs = qs.filter(status=params["status"])
    return qs.select_related("enterprise__town", "clause__policy").order_by("-id")


def outreach_rows(
    eligible: QuerySet[Eligibility], clauses: QuerySet[Clause]
) -> QuerySet[Eligibility]:
    """Eligible, no live grant: the enterprises to reach, with any contact task."""
    tasks = OutreachTask.objects.filter(
        enterprise=OuterRef("enterprise_id"), clause=OuterRef("clause_id")
    )
    return (
        eligible.filter(status=Eligibility.Status.ELIGIBLE, clause__in=clauses)
        .annotate(taken=_live_grant())
        .filter(taken=False)
        .annotate(
            task_id=Subquery(tasks.values("pk")[:1]),
            task_status=Subquery(tasks.values("status")[:1]),
            task_outcome=Subquery(tasks.values("outcome")[:1]),
            task_version=Subquery(tasks.values("version")[:1]),
        )
        .select_related("enterprise__town", "clause__policy", "clause__department")
        .order_by("clause__department__name", "clause_id", "-benefit_yuan", "enterprise__name")
    )


@dataclass(frozen=True)
class Bucket:
    label: str
    query: str  # filter for the rows behind the figure
    due_count: int
    due_yuan: Decimal
    paid_count: int
    paid_yuan: Decimal

    @property
    def share(self) -> Decimal | None:
        return Decimal(self.paid_count) / self.due_count if self.due_count else None


def _buckets(
    eligible: QuerySet[Eligibility],
    paid: QuerySet[Grant],
    key: Any,
    param: str,
    label: Callable[[Any], str] = str,
) -> list[Bucket]:
    due: dict[Any, dict[str, Any]] = {
        r["k"]: dict(r)
        for r in eligible.annotate(k=key).values("k").annotate(n=Count("id"), s=Sum("benefit_yuan"))
    }
    got: dict[Any, dict[str, Any]] = {
        r["k"]: dict(r)
        for r in paid.annotate(k=key).values("k").annotate(n=Count("id"), s=Sum("paid_yuan"))
    }
    out = []
    for k in set(due) | set(got):
        d, g = due.get(k, {}), got.get(k, {})
        out.append(
            Bucket(
                label(k) if k else "未知",
                urlencode({param: k or ""}),
                d.get("n", 0),
                d.get("s") or Decimal(0),
                g.get("n", 0),
                g.get("s") or Decimal(0),
            )
        )
    return sorted(out, key=lambda b: (-b.due_count, b.label))


def uptake(eligible_qs: QuerySet[Eligibility], grants_qs: QuerySet[Grant]) -> dict[str, Any]:
    """应享 (eligible pairs, their computed amounts) vs 已享 (grants paid), by dimension."""
    eligible = eligible_qs.filter(status=Eligibility.Status.ELIGIBLE)
    paid = grants_qs.filter(status=workflow.PAID)
    titles = dict(Policy.objects.values_list("pk", "title"))
    totals = {
        "due": eligible.aggregate(n=Count("id"), s=Sum("benefit_yuan")),
        "not_taken": eligible.annotate(taken=_live_grant()).filter(taken=False).count(),
        "unknown": eligible_qs.filter(status=Eligibility.Status.UNKNOWN).count(),
        "in_progress": grants_qs.filter(
            status__in=[workflow.MATCHED, workflow.CONFIRMED, workflow.APPLIED]
        ).count(),
        "paid": paid.aggregate(n=Count("id"), s=Sum("paid_yuan")),
    }
    industry = Substr("enterprise__industry_code", 1, 3)
    return {
        "totals": totals,
        "by_policy": _buckets(eligible, paid, F("clause__policy_id"), "policy", titles.__getitem__),
        "by_town": _buckets(eligible, paid, F("enterprise__town__name"), "town"),
        "by_industry": _buckets(
            eligible, paid, industry, "industry", lambda c: f"{c} {industries.label(c)}"
        ),
    }
