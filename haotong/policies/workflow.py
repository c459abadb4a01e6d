"""The grant workflow as data (pure: no Django).

免申即享: 数据比对 (matched) → 意愿确认 (confirmed) → 拨付 (paid); an enterprise may
decline before payment. Application clauses: 已申报 (applied) → 拨付 or 不予支持.
"""

from __future__ import annotations

MATCHED, CONFIRMED, APPLIED, PAID, DECLINED, REJECTED = (
    "matched",
    "confirmed",
    "applied",
    "paid",
    "declined",
    "rejected",
)
LABELS = {
    MATCHED: "数据比对",
    CONFIRMED: "意愿确认",
    APPLIED: "已申报",
    PAID: "已拨付",
    DECLINED: "企业放弃",
    REJECTED: "不予支持",
}
TRANSITIONS: dict[str, frozenset[str]] = {
    MATCHED: frozenset({CONFIRMED, DECLINED}),
    CONFIRMED: frozenset({PAID, DECLINED}),
    APPLIED: frozenset({PAID, REJECTED}),
    PAID: frozenset(),
    DECLINED: frozenset(),
    REJECTED: frozenset(),
}
FINAL = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)
#: states in which the enterprise is (or is about to be) enjoying the clause
TAKEN_UP = frozenset({MATCHED, CONFIRMED, APPLIED, PAID})
#: steps the enterprise itself may take on its own page
ENTERPRISE_STEPS = frozenset({CONFIRMED, DECLINED})


class TransitionError(ValueError):
    pass


def check_transition(current: str, target: str) -> None:
    """Raise TransitionError (in Chinese) unless ``current → target`` is allowed."""
    if target not in LABELS:
        raise TransitionError(f"未知的状态「{target}」")
    if target in TRANSITIONS[current]:
        return
    if current in FINAL:
        raise TransitionError(
            f"已是「{LABELS[current]}」，流程已结束，不能再改为「{LABELS[target]}」"
        )
    allowed = "、".join(LABELS[s] for s in sorted(TRANSITIONS[current]))
    raise TransitionError(
        f"「{LABELS[current]}」之后只能是{allowed}，不能直接改为「{LABELS[target]}」"
    )


def next_steps(current: str) -> list[str]:
    order = list(LABELS)
    return sorted(TRANSITIONS[current], key=order.index)
