"""Reads for the review queue: which ledger projects a candidate fact may be.

Matching loads the pool of projects once per page (one query, whatever the number
of candidates) and scores each candidate against it in memory with rapidfuzz:
name and aliases, then place and amount closeness.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.db.models import Count, Q, QuerySet
from rapidfuzz import fuzz, process

from haotong.core.models import OrgUnit
from haotong.ingest.models import Candidate, Document
from haotong.ledger.models import Project

# Weights of the three signals in the combined score (0–100).
NAME_WEIGHT, PLACE_WEIGHT, AMOUNT_WEIGHT = 0.7, 0.15, 0.15
UNKNOWN = 50  # a signal neither side gives counts as neutral
SHOW_MIN_NAME = 60  # below this a project is not offered as a match
# A match this strong decides whose scope the candidate falls in before review.
SCOPE_MIN_SCORE, SCOPE_MIN_NAME = 80, 85
TOP = 3

_ALIAS_SPLIT = re.compile(r"[、,，;；/]+")
_PARENS = str.maketrans("（）", "()")


class Fact(Protocol):
    name: str
    town_id: int | None
    investment_yuan: Decimal | None


@dataclass(frozen=True)
class Match:
    project: Project
    score: int
    name_score: int
    place_score: int | None
    amount_score: int | None


def normalise_name(name: str) -> str:
    name = re.sub(r"\s+", "", name).translate(_PARENS)
    return name.removesuffix("项目") or name


def project_pool(projects: QuerySet[Project]) -> list[Project]:
    """The projects a user may match into, with what matching and display read."""
    return list(projects.select_related("town").order_by("id"))


class Matcher:
    """Scores facts against a fixed pool of projects."""

    def __init__(self, pool: Sequence[Project]) -> None:
        self.pool = list(pool)
        self.names: list[str] = []
        self.owner: list[int] = []
        for i, project in enumerate(self.pool):
            for name in [project.name, *_ALIAS_SPLIT.split(project.aliases)]:
                if name.strip():
                    self.names.append(normalise_name(name))
                    self.owner.append(i)

    def matches(self, fact: Fact, top: int = TOP) -> list[Match]:
        if not self.names:
            return []
        found = process.extract(
            normalise_name(fact.name),
            self.names,
            scorer=fuzz.WRatio,
            limit=top * 8,
            score_cutoff=SHOW_MIN_NAME,
        )
        best: dict[int, float] = {}
        for _choice, score, index in found:
            owner = self.owner[index]
            best[owner] = max(best.get(owner, 0.0), score)
        scored = [self._score(fact, self.pool[i], name) for i, name in best.items()]
        scored.sort(key=lambda m: (-m.score, -m.name_score, m.project.pk))
        return scored[:top]

    @staticmethod
    def _score(fact: Fact, project: Project, name_score: float) -> Match:
        place = _place_score(fact.town_id, project)
        amount = _amount_score(fact.investment_yuan, project.investment_yuan)
        total = (
            NAME_WEIGHT * name_score
            + PLACE_WEIGHT * (UNKNOWN if place is None else place)
            + AMOUNT_WEIGHT * (UNKNOWN if amount is None else amount)
        )
        return Match(project, round(total), round(name_score), place, amount)


def _place_score(town_id: int | None, project: Project) -> int | None:
    if town_id is None or project.town.kind == OrgUnit.Kind.DISTRICT:
        return None
    return 100 if project.town_id == town_id else 0


def _amount_score(a: Decimal | None, b: Decimal | None) -> int | None:
    if a is None or b is None or a <= 0 or b <= 0:
        return None
    return round(100 * min(a, b) / max(a, b))


def scope_match(matcher: Matcher, fact: Fact) -> Project | None:
    """The project a fact almost surely is, if any: decides who sees it before review."""
    found = matcher.matches(fact, top=1)
    if found and found[0].score >= SCOPE_MIN_SCORE and found[0].name_score >= SCOPE_MIN_NAME:
        return found[0].project
    return None


def matches_for(
    candidates: Iterable[Candidate], projects: QuerySet[Project]
) -> dict[int, list[Match]]:
    """Top matches for each candidate among ``projects`` (already scoped to the user)."""
    matcher = Matcher(project_pool(projects))
    return {c.pk: matcher.matches(c) for c in candidates}


def review_towns() -> list[OrgUnit]:
    """Places a project can be in (the district itself, its towns and parks)."""
    kinds = [OrgUnit.Kind.DISTRICT, OrgUnit.Kind.TOWN, OrgUnit.Kind.PARK]
    return list(OrgUnit.objects.filter(kind__in=kinds).order_by("kind", "path"))


def document_summaries(documents: QuerySet[Document]) -> QuerySet[Document]:
    """Documents with their candidates counted by status, without the text."""
    open_q = Q(candidates__status__in=Candidate.OPEN)
    return (
        documents.defer("text", "extras")
        .select_related("uploaded_by")
        .annotate(
            total=Count("candidates"),
            open=Count("candidates", filter=open_q),
            accepted=Count("candidates", filter=Q(candidates__status=Candidate.Status.ACCEPTED)),
            rejected=Count("candidates", filter=Q(candidates__status=Candidate.Status.REJECTED)),
        )
        .order_by("-uploaded_at", "-id")
    )
