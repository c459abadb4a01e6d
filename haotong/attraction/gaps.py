"""Industry-chain gap analysis (pure: no Django).

A link of a chain is a gap when local presence is missing or weak: no local firm,
fewer firms than ``min_firms``, no medium or large firm to carry it, no project
signed on it. Gaps are ranked emptiest first, each with the reasons in words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

# How much each kind of presence weighs in the presence score (firm count is 1).
WEIGHT_SIZEABLE = 3  # a medium or large firm
WEIGHT_ANCHOR = 5  # a 链主
WEIGHT_PROJECT = 2  # a ledger project on the link


@dataclass(frozen=True)
class Presence:
    link_id: int
    name: str
    position: int
    firms: int
    sizeable_firms: int  # medium or large
    anchors: int
    projects: int
    project_investment_yuan: Decimal


@dataclass(frozen=True)
class Gap:
    presence: Presence
    score: int
    empty: bool  # no local firm at all (空白) rather than weak (薄弱)
    reasons: tuple[str, ...]

    @property
    def level(self) -> str:
        return "空白" if self.empty else "薄弱"


def presence_score(p: Presence) -> int:
    return (
        p.firms
        + WEIGHT_SIZEABLE * p.sizeable_firms
        + WEIGHT_ANCHOR * p.anchors
        + WEIGHT_PROJECT * p.projects
    )


def reasons(p: Presence, *, min_firms: int) -> tuple[str, ...]:
    if p.firms == 0:
        out = ["本地无企业"]
    elif p.firms < min_firms:
        out = [f"本地仅{p.firms}家企业（少于{min_firms}家）"]
    else:
        out = []
    if p.firms and p.sizeable_firms == 0:
        out.append("无中型以上企业")
    if p.projects == 0:
        out.append("无在库项目")
    return tuple(out)


def analyse(links: Iterable[Presence], *, min_firms: int = 5) -> list[Gap]:
    """The gaps among ``links``, emptiest first (then weakest, then upstream first)."""
    gaps = [
        Gap(p, presence_score(p), p.firms == 0, why)
        for p in links
        if (why := reasons(p, min_firms=min_firms))
    ]
    return sorted(gaps, key=lambda g: (not g.empty, g.score, g.presence.position))
