"""The project stage machine (pure: no Django).

A project's stage is derived from its dated events: replay them in order and the
last one that applies is the current stage. ``check_transition`` says whether one
more event may follow, and why not in words a clerk understands.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

SIGNED = "signed"
LAND = "land"
APPROVAL = "approval"
STARTED = "started"
COMPLETED = "completed"
PRODUCTION = "production"
CAPACITY = "capacity"
SUSPENDED = "suspended"
TERMINATED = "terminated"

# Order is the normal life of a project; labels are what officials write.
STAGE_LABELS: dict[str, str] = {
    SIGNED: "签约",
    LAND: "供地",
    APPROVAL: "审批",
    STARTED: "开工",
    COMPLETED: "竣工",
    PRODUCTION: "投产",
    CAPACITY: "达产",
    SUSPENDED: "中止",
    TERMINATED: "终止",
}
STAGES: tuple[str, ...] = tuple(STAGE_LABELS)
STATE_LABELS: dict[str, str] = {**STAGE_LABELS, STARTED: "在建"}

# Which stage may follow which. Land and approvals come in either order
# (预先审 lets approvals run before land); 拿地即开工 records land, approval and
# start on the same day. A phased plant may produce before the whole site is
# completed, so production may follow started directly, and completed may follow
# production.
_FORWARD: dict[str | None, frozenset[str]] = {
    None: frozenset({SIGNED, LAND, APPROVAL, STARTED, COMPLETED, PRODUCTION, CAPACITY}),
    SIGNED: frozenset({LAND, APPROVAL, STARTED}),
    LAND: frozenset({APPROVAL, STARTED}),
    APPROVAL: frozenset({LAND, STARTED}),
    STARTED: frozenset({COMPLETED, PRODUCTION}),
    COMPLETED: frozenset({PRODUCTION}),
    PRODUCTION: frozenset({COMPLETED, CAPACITY}),
    CAPACITY: frozenset(),
}
_CAN_HALT = frozenset({SIGNED, LAND, APPROVAL, STARTED, COMPLETED, PRODUCTION})


class TransitionError(ValueError):
    """Refused event; ``str(err)`` is a Chinese sentence for the user."""


@dataclass(frozen=True)
class State:
    stage: str | None  # the current stage code; None before any event
    since: date | None  # date of the event that set it
    resume_to: str | None = None  # while suspended: the stage it was in


def allowed_next(state: State) -> list[str]:
    if state.stage == TERMINATED:
        return []
    if state.stage == SUSPENDED:
        assert state.resume_to is not None
        nxt = {state.resume_to, *_FORWARD[state.resume_to], TERMINATED}
    else:
        nxt = set(_FORWARD[state.stage])
        if state.stage in _CAN_HALT:
            nxt |= {SUSPENDED, TERMINATED}
    return [s for s in STAGES if s in nxt]


def check_transition(state: State, stage: str, on: date, *, today: date) -> State:
    """Return the state after an event of ``stage`` on ``on``, or raise TransitionError."""
    if stage not in STAGE_LABELS:
        raise TransitionError(f"未知的阶段代码「{stage}」")
    if on > today:
        raise TransitionError(
            f"「{STAGE_LABELS[stage]}」日期 {on:%Y-%m-%d} 晚于今天：只能登记已经发生的事件"
        )
    if state.since is not None and on < state.since:
        raise TransitionError(
            f"「{STAGE_LABELS[stage]}」日期 {on:%Y-%m-%d} 早于上一事件"
            f"（{STAGE_LABELS[state.stage or '']} {state.since:%Y-%m-%d}）"
        )
    options = allowed_next(state)
    if stage not in options:
        current = STAGE_LABELS.get(state.stage or "", "无")
        allowed = "、".join(STAGE_LABELS[s] for s in options) or "无（项目已终止）"
        raise TransitionError(
            f"不能从「{current}」直接进入「{STAGE_LABELS[stage]}」。允许的下一阶段：{allowed}"
        )
    if stage == SUSPENDED:
        return State(SUSPENDED, on, resume_to=state.stage)
    return State(stage, on)


def replay(events: Iterable[tuple[str, date]], *, today: date) -> State:
    """Derive the current state from (stage, date) events in recorded order."""
    state = State(None, None)
    for stage, on in events:
        state = check_transition(state, stage, on, today=today)
    return state


def is_under_construction(stage: str | None) -> bool:
    """在建: started and not yet completed (production alongside building counts as started)."""
    return stage == STARTED
