"""The pure rules: thresholds, score ranges, policy checks and the verdict rule."""

from __future__ import annotations

from decimal import Decimal

from haotong.review import engine
from haotong.review.defaults import DEFAULT_CRITERIA

D = Decimal
YI = D(100_000_000)
THRESHOLDS = engine.Thresholds(min_investment_yuan=10 * YI, manufacturing_min_yuan=YI)
RULE = engine.VerdictRule(pass_score=D(75), conditional_score=D(60))
CRITERIA = [
    engine.CriterionSpec(**{k: v for k, v in c.items() if k != "measure"}) for c in DEFAULT_CRITERIA
]


def opinion(
    value: int, dept: str = "区工信局", conditions: bool = False, **kw: int
) -> engine.OpinionInput:
    scores = {c.code: D(value) for c in CRITERIA} | {k: D(v) for k, v in kw.items()}
    return engine.OpinionInput(department=dept, scores=scores, has_conditions=conditions)


def test_total_investment_of_10_yi_or_more_needs_a_review():
    reason = engine.review_reason(THRESHOLDS, investment_yuan=10 * YI, industry_code="I6510")
    assert reason == "总投资≥10亿元"


def test_manufacturing_of_1_yi_or_more_needs_a_review_but_services_do_not():
    assert engine.review_reason(THRESHOLDS, investment_yuan=YI, industry_code="C2614") == (
        "属制造业且总投资≥1亿元"
    )
    assert engine.review_reason(THRESHOLDS, investment_yuan=5 * YI, industry_code="I6510") is None
    assert (
        engine.review_reason(THRESHOLDS, investment_yuan=D("99999999"), industry_code="C2614")
        is None
    )


def test_an_undisclosed_amount_meets_no_threshold():
    assert engine.review_reason(THRESHOLDS, investment_yuan=None, industry_code="C2614") is None


def test_scores_outside_the_range_are_refused_in_chinese():
    scores = {c.code: D(5) for c in CRITERIA} | {"technology": D(11), "employment": D(-1)}
    assert engine.score_errors(CRITERIA, scores) == [
        "「技术先进性」的评分11超出范围（0–10）",
        "「就业」的评分-1超出范围（0–10）",
    ]


def test_missing_and_unknown_scores_are_refused():
    scores = {c.code: D(5) for c in CRITERIA[1:]} | {"luck": D(5)}
    assert engine.score_errors(CRITERIA, scores) == ["未知评分项「luck」", "「投资强度」未评分"]


def test_the_boundaries_of_the_range_are_accepted():
    assert engine.score_errors(CRITERIA, {c.code: c.max_score for c in CRITERIA}) == []
    assert engine.score_errors(CRITERIA, {c.code: c.min_score for c in CRITERIA}) == []


def test_the_default_policy_is_sound():
    assert engine.check_policy(THRESHOLDS, RULE, CRITERIA) == []


def test_a_broken_policy_gives_every_reason():
    bad = [
        engine.CriterionSpec("a", "甲", D(10), D(0), D(0)),
        engine.CriterionSpec("a", "乙", D(0), D(10), D(1), veto=True, veto_below=None),
    ]
    errors = engine.check_policy(
        THRESHOLDS, engine.VerdictRule(pass_score=D(50), conditional_score=D(70)), bad
    )
    assert errors == [
        "结论规则须满足 0 ≤ 有条件通过分 ≤ 通过分 ≤ 100",
        "评分项代码不能重复",
        "「甲」的最低分须小于最高分",
        "「甲」的权重须大于0",
        "「乙」是一票否决项，须设否决线（高于最低分、不高于最高分）",
    ]


def test_weighted_score_scales_each_range_to_100_and_weights_criteria():
    crit = [
        engine.CriterionSpec("a", "甲", D(0), D(10), D(3)),
        engine.CriterionSpec("b", "乙", D(0), D(5), D(1)),
    ]
    ops = [
        engine.OpinionInput("x", {"a": D(10), "b": D(0)}),
        engine.OpinionInput("y", {"a": D(5), "b": D(5)}),
    ]
    # x: (3*100 + 0)/4 = 75; y: (3*50 + 100)/4 = 62.5; mean 68.75
    assert engine.weighted_score(crit, ops) == D("68.75")


def test_high_scores_without_conditions_pass():
    outcome = engine.decide(RULE, CRITERIA, [opinion(8), opinion(9, "区生态环境局")])
    assert (outcome.verdict, outcome.label, outcome.score) == ("passed", "通过", D("85.00"))


def test_high_scores_with_a_departments_conditions_pass_with_conditions():
    outcome = engine.decide(RULE, CRITERIA, [opinion(8), opinion(9, conditions=True)])
    assert outcome.label == "有条件通过"


def test_scores_between_the_thresholds_pass_with_conditions():
    assert engine.decide(RULE, CRITERIA, [opinion(7)]).label == "有条件通过"


def test_scores_below_the_conditional_threshold_do_not_pass():
    assert engine.decide(RULE, CRITERIA, [opinion(5)]).label == "不通过"


def test_one_veto_rejects_however_high_the_average():
    outcome = engine.decide(
        RULE, CRITERIA, [opinion(10), opinion(10, "区生态环境局", energy_environment=3)]
    )
    assert outcome.label == "不通过"
    assert outcome.vetoes == ("区生态环境局：能耗与环保3分，低于否决线4分",)
    assert outcome.score > RULE.pass_score


def test_a_score_on_the_veto_line_does_not_veto():
    outcome = engine.decide(RULE, CRITERIA, [opinion(10, energy_environment=4)])
    assert outcome.vetoes == () and outcome.label == "通过"
