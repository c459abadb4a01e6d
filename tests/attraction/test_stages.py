"""The lead stage machine, pure: no database."""

from __future__ import annotations

from datetime import date

import pytest

from haotong.attraction import stages
from haotong.attraction.stages import State, TransitionError, check_transition

TODAY = date(2023, 3, 3)
START = State(stages.ACQUIRED, date(2022, 1, 1))


def test_a_lead_may_skip_ahead_before_negotiation():
    after = check_transition(START, stages.NEGOTIATING, date(2022, 2, 1), today=TODAY)
    assert after == State(stages.NEGOTIATING, date(2022, 2, 1))


def test_signing_needs_negotiation_first():
    with pytest.raises(TransitionError, match="签约前须经过洽谈"):
        check_transition(START, stages.SIGNED, date(2022, 2, 1), today=TODAY)


def test_it_refuses_to_go_backwards():
    state = State(stages.INSPECTED, date(2022, 2, 1))
    with pytest.raises(TransitionError, match="不能从「考察」进入「接洽」：线索阶段不能倒退"):
        check_transition(state, stages.CONTACTED, date(2022, 3, 1), today=TODAY)


def test_landing_needs_signing():
    state = State(stages.NEGOTIATING, date(2022, 2, 1))
    with pytest.raises(TransitionError, match="落地前须先签约"):
        check_transition(state, stages.LANDED, date(2022, 3, 1), today=TODAY)


def test_abandoning_needs_a_reason():
    with pytest.raises(TransitionError, match="放弃线索必须填写原因"):
        check_transition(START, stages.ABANDONED, date(2022, 2, 1), today=TODAY, reason="  ")
    after = check_transition(
        START, stages.ABANDONED, date(2022, 2, 1), today=TODAY, reason="用地指标不足"
    )
    assert after.stage == stages.ABANDONED


def test_a_signed_lead_cannot_be_abandoned_and_final_stages_go_nowhere():
    with pytest.raises(TransitionError, match="已签约的线索不能放弃"):
        check_transition(
            State(stages.SIGNED, date(2022, 2, 1)), stages.ABANDONED, date(2022, 3, 1),
            today=TODAY, reason="x",
        )  # fmt: skip
    assert stages.allowed_next(stages.ABANDONED) == []
    assert stages.allowed_next(stages.LANDED) == []


def test_dates_may_not_be_in_the_future_or_before_the_last_move():
    with pytest.raises(TransitionError, match="晚于今天"):
        check_transition(START, stages.CONTACTED, date(2023, 3, 4), today=TODAY)
    with pytest.raises(TransitionError, match="早于上一阶段"):
        check_transition(START, stages.CONTACTED, date(2021, 12, 31), today=TODAY)


def test_unknown_and_same_stage_are_refused():
    with pytest.raises(TransitionError, match="未知的线索阶段"):
        check_transition(START, "won", date(2022, 2, 1), today=TODAY)
    with pytest.raises(TransitionError, match="已处于「获取」"):
        check_transition(START, stages.ACQUIRED, date(2022, 2, 1), today=TODAY)
