"""The lead stage machine (pure: no Django).

A lead moves 获取 → 接洽 → 考察 → 洽谈 → 签约 → 落地. Early steps may be skipped
(a lead met at a fair may be negotiated without a site visit), but signing needs
negotiation first, landing needs signing, and nothing moves backwards. Before
signing a lead may be abandoned (放弃), only with a reason; abandoned and landed
are final. ``check_transition`` refuses anything else in words a team member reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ACQUIRED = "acquired"
CONTACTED = "contacted"
INSPECTED = "inspected"
NEGOTIATING = "negotiating"
SIGNED = "signed"
LANDED = "landed"
ABANDONED = "abandoned"

STAGE_LABELS: dict[str, str] = {
    ACQUIRED: "获取",
    CONTACTED: "接洽",
    INSPECTED: "考察",
    NEGOTIATING: "洽谈",
    SIGNED: "签约",
    LANDED: "落地",
    ABANDONED: "放弃",
}
STAGES: tuple[str, ...] = tuple(STAGE_LABELS)
# Stages in which the lead is still being worked (stale checks, duplicate pursuit).
OPEN_STAGES: frozenset[str] = frozenset({ACQUIRED, CONTACTED, INSPECTED, NEGOTIATING})

_NEXT: dict[str, frozenset[str]] = {
    ACQUIRED: frozenset({CONTACTED, INSPECTED, NEGOTIATING, ABANDONED}),
    CONTACTED: frozenset({INSPECTED, NEGOTIATING, ABANDONED}),
    INSPECTED: frozenset({NEGOTIATING, ABANDONED}),
    NEGOTIATING: frozenset({SIGNED, ABANDONED}),
    SIGNED: frozenset({LANDED}),
    LANDED: frozenset(),
    ABANDONED: frozenset(),
}


class TransitionError(ValueError):
    """Refused move; ``str(err)`` is a Chinese sentence for the user."""


@dataclass(frozen=True)
class State:
    stage: str
    since: date


def allowed_next(stage: str) -> list[str]:
    return [s for s in STAGES if s in _NEXT.get(stage, frozenset())]


def check_transition(state: State, stage: str, on: date, *, today: date, reason: str = "") -> State:
    """The state after moving to ``stage`` on ``on``, or TransitionError."""
    if stage not in STAGE_LABELS:
        raise TransitionError(f"未知的线索阶段「{stage}」")
    label = STAGE_LABELS[stage]
    if on > today:
        raise TransitionError(f"「{label}」日期 {on:%Y-%m-%d} 晚于今天：只能登记已经发生的事")
    if on < state.since:
        raise TransitionError(
            f"「{label}」日期 {on:%Y-%m-%d} 早于上一阶段"
            f"（{STAGE_LABELS[state.stage]} {state.since:%Y-%m-%d}）"
        )
    if stage == state.stage:
        raise TransitionError(f"线索已处于「{label}」阶段")
    options = allowed_next(state.stage)
    if stage not in options:
        allowed = "、".join(STAGE_LABELS[s] for s in options)
        why = {
            SIGNED: "签约前须经过洽谈",
            LANDED: "落地前须先签约",
            ABANDONED: "已签约的线索不能放弃，请在项目台账中登记终止",
        }.get(stage, "线索阶段不能倒退")
        raise TransitionError(
            f"不能从「{STAGE_LABELS[state.stage]}」进入「{label}」：{why}。"
            f"允许的下一阶段：{allowed or '无（线索已结束）'}"
        )
    if stage == ABANDONED and not reason.strip():
        raise TransitionError("放弃线索必须填写原因")
    return State(stage, on)


def is_open(stage: str) -> bool:
    return stage in OPEN_STAGES
