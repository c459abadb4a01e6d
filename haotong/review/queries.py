"""Reads for the review pages: progress and lateness, and the projects awaiting a review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from haotong.ledger.models import Project
from haotong.review import engine
from haotong.review.models import Invitation, Review, ReviewPolicy
from haotong.review.workdays import working_days_late


@dataclass
class InvitationRow:
    invitation: Invitation
    answered: bool
    late_days: int  # working days past the deadline (until answered, or until today)

    @property
    def overdue(self) -> bool:
        return not self.answered and self.late_days > 0


def with_lateness(invitations: list[Invitation], *, today: date) -> list[InvitationRow]:
    rows = []
    for inv in invitations:
        opinion = getattr(inv, "opinion", None)
        until = opinion.submitted_on if opinion is not None else today
        rows.append(InvitationRow(inv, opinion is not None, working_days_late(inv.deadline, until)))
    return rows


@dataclass
class ReviewRow:
    review: Review
    invitations: list[InvitationRow]

    @property
    def answered(self) -> int:
        return sum(r.answered for r in self.invitations)

    @property
    def overdue(self) -> list[InvitationRow]:
        return [r for r in self.invitations if r.overdue]


def reviews_with_progress(reviews: QuerySet[Review], *, today: date) -> list[ReviewRow]:
    """Reviews with their invitations and lateness in a fixed number of queries."""
    invitations = Invitation.objects.select_related("department", "opinion").order_by(
        "department__name"
    )
    qs = reviews.select_related("project__town").prefetch_related(
        Prefetch("invitations", queryset=invitations)
    )
    return [
        ReviewRow(r, with_lateness(list(r.invitations.all()), today=today))
        for r in qs.order_by("-called_on", "-id")
    ]


def candidates(policy: ReviewPolicy) -> QuerySet[Project]:
    """Unsigned projects over the thresholds whose latest review does not allow signing
    and that have no review in progress: the ones waiting for the district to call one."""
    t = policy.thresholds()
    over = Q(investment_yuan__gte=t.min_investment_yuan)
    for section in t.manufacturing_sections:
        over |= Q(industry_code__startswith=section, investment_yuan__gte=t.manufacturing_min_yuan)
    settled = Review.objects.filter(project=OuterRef("pk")).filter(
        Q(status=Review.Status.OPEN) | Q(verdict__in=[engine.PASSED, engine.CONDITIONAL])
    )
    return (
        Project.objects.filter(over, stage="")
        .exclude(Exists(settled))
        .select_related("town")
        .order_by("-investment_yuan", "id")
    )
