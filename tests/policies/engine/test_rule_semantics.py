"""Three-valued semantics of the language, benefits, explanations (reference interpreter)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from haotong.policies.engine.clauses import evaluate_clause, make_clause
from haotong.policies.engine.explain import explain, format_number
from haotong.policies.engine.interpreter import evaluate, normalise_record, truth
from haotong.policies.engine.parser import parse_formula, parse_rule

T, F, U = True, False, None
BOOLS = {T: "is_high_tech", F: "is_specialized", U: "is_startup"}  # attribute holding each value
RECORD = normalise_record({"is_high_tech": True, "is_specialized": False, "is_startup": None})


@pytest.mark.parametrize("a", [T, F, U])
@pytest.mark.parametrize("b", [T, F, U])
def test_kleene_truth_tables(a: bool | None, b: bool | None) -> None:
    kleene_and = F if F in (a, b) else (U if U in (a, b) else T)
    kleene_or = T if T in (a, b) else (U if U in (a, b) else F)
    assert truth(parse_rule(f"{BOOLS[a]} and {BOOLS[b]}"), RECORD) is kleene_and
    assert truth(parse_rule(f"{BOOLS[a]} or {BOOLS[b]}"), RECORD) is kleene_or
    assert truth(parse_rule(f"not {BOOLS[a]}"), RECORD) is (None if a is None else not a)


def rule(source: str, **record: object) -> bool | None:
    return truth(parse_rule(source), normalise_record(record))


def test_missing_value_is_unknown_never_eligible() -> None:
    assert rule("rd_ratio >= 3") is None
    assert rule("not rd_ratio >= 3") is None
    assert rule("rd_ratio >= 3 or is_startup", is_startup=True) is True
    assert rule("rd_ratio >= 3 and is_startup", is_startup=False) is False
    assert rule("town in ('五接镇')", town="") is None  # empty text counts as missing
    assert rule("rd_ratio is null") is True
    assert rule("rd_ratio is not null", rd_ratio=0) is True


def test_division_by_zero_is_unknown() -> None:
    assert rule("tax_yuan / land_mu >= 1", tax_yuan=100, land_mu=0) is None
    assert rule("tax_yuan / land_mu >= 1", tax_yuan=100, land_mu=Decimal("0.0")) is None
    assert rule("tax_yuan / land_mu >= 1", tax_yuan=100, land_mu=4) is True
    assert rule("tax_yuan / land_mu is null", tax_yuan=100, land_mu=0) is True
    assert rule("tax_yuan / 0 < 1", tax_yuan=1) is None


def test_between_is_inclusive_and_kleene() -> None:
    assert rule("employees between 10 and 50", employees=10) is True
    assert rule("employees between 10 and 50", employees=50) is True
    assert rule("employees between 10 and 50", employees=51) is False
    # low bound unknown but high bound already false: false, as `lo <= x and x <= hi`
    assert rule("employees between rd_ratio and 5", employees=9) is False
    assert rule("employees between rd_ratio and 50", employees=9) is None


def test_text_membership_and_prefixes() -> None:
    assert rule("industry_code startswith ('C39', 'C38')", industry_code="C3982") is True
    assert rule("industry_code startswith 'C3'", industry_code="I6510") is False
    assert rule("town in ('五接镇', '兴仁镇')", town="兴仁镇") is True
    assert rule("town != '兴仁镇'", town="兴仁镇") is False
    assert rule("size_class in ('small', 'micro')") is None


def test_numbers_from_ints_and_decimals_are_doubles() -> None:
    rec = normalise_record({"revenue_yuan": Decimal("12345678.90"), "employees": 12})
    assert rec["revenue_yuan"] == 12345678.9 and rec["employees"] == 12.0
    with pytest.raises(TypeError):
        normalise_record({"employees": True})
    assert normalise_record({"rd_ratio": float("nan")})["rd_ratio"] is None


def test_min_max_abs_propagate_unknown() -> None:
    rec = normalise_record({"rd_expense_yuan": 3e7, "tax_yuan": None})
    assert evaluate(parse_formula("min(rd_expense_yuan * 0.1, 200万)").node, rec) == 2e6
    assert evaluate(parse_formula("max(rd_expense_yuan, tax_yuan)").node, rec) is None
    assert evaluate(parse_formula("abs(0 - rd_expense_yuan)").node, rec) == 3e7


@pytest.mark.parametrize(
    ("formula", "cap", "record", "expected"),
    [
        ("150000", None, {}, 150000.0),
        ("min(rd_expense_yuan * 0.1, 200万)", None, {"rd_expense_yuan": 1_234_000}, 123400.0),
        ("min(rd_expense_yuan * 0.1, 200万)", None, {"rd_expense_yuan": 9e7}, 2e6),
        ("tax_yuan * 0.05", 100000.0, {"tax_yuan": 9e6}, 100000.0),
        ("tax_yuan - 1000000", None, {"tax_yuan": 10}, 0.0),  # negative becomes 0
        ("tax_yuan * 0.05", 100000.0, {}, None),  # unknown stays unknown
        (None, None, {}, 0.0),  # qualification without money
    ],
)
def test_benefit(
    formula: str | None, cap: float | None, record: dict[str, object], expected: float | None
) -> None:
    clause = make_clause("k", "is_startup", formula, cap)
    eligible, benefit = evaluate_clause(clause, normalise_record({"is_startup": True, **record}))
    assert eligible is True
    assert benefit == expected


def test_no_benefit_unless_eligible() -> None:
    clause = make_clause("k", "is_startup", "150000")
    assert evaluate_clause(clause, normalise_record({"is_startup": False})) == (False, None)
    assert evaluate_clause(clause, normalise_record({})) == (None, None)


def test_explanation_names_values_and_failures() -> None:
    clause = make_clause(
        "rd-1",
        "rd_ratio >= 3 and town in ('五接镇', '兴仁镇') and tax_yuan / land_mu >= 20万 "
        "and (is_high_tech or is_specialized) and not is_startup",
        "min(rd_expense_yuan * 0.1, 200万)",
    )
    record = {
        "rd_ratio": 2.1,
        "town": "五接镇",
        "tax_yuan": 3_000_000,
        "land_mu": 10,
        "is_high_tech": None,
        "is_specialized": True,
        "is_startup": False,
        "rd_expense_yuan": 1_200_000,
    }
    ex = explain(clause, record)
    assert ex.status == "fail" and ex.verdict == "不符合"
    assert [s.text for s in ex.steps] == [
        "研发费用占比 2.1% < 3%",
        "所在镇街 五接镇 属于 五接镇、兴仁镇",
        "纳税额 ÷ 用地面积 = 30万 ≥ 20万",
        "以下条件满足其一",
        "缺少「高新技术企业」数据，无法判断：is_high_tech",
        "是专精特新企业",
        "不是初创企业",
    ]
    assert [s.status for s in ex.steps] == [
        "fail",
        "pass",
        "pass",
        "pass",
        "unknown",
        "pass",
        "pass",
    ]
    assert ex.steps[4].depth == 1

    record["rd_ratio"] = 3.5
    ok = explain(clause, record)
    assert ok.status == "pass" and ok.benefit == 120000.0
    assert ok.lines()[0] == "符合，可享 12万元"
    assert ok.lines()[1] == "✓ 研发费用占比 3.5% ≥ 3%"

    record["land_mu"] = 0
    unknown = explain(clause, record)
    assert unknown.status == "unknown" and unknown.benefit is None
    assert "除数为 0，无法计算：tax_yuan / land_mu >= 20万" in [s.text for s in unknown.steps]


def test_explanation_of_ranges_prefixes_and_nulls() -> None:
    clause = make_clause(
        "k",
        "employees between 10 and 50 and industry_code startswith ('C39', 'C38') and output_yuan is null",
    )
    ex = explain(clause, {"employees": 80, "industry_code": "I6510", "output_yuan": 5})
    assert [s.text for s in ex.steps] == [
        "从业人数 80人 不在 10人～50人 之间",
        "行业代码 I6510 不以 C39、C38 开头",
        "产值 有数据",
    ]


def test_format_number() -> None:
    assert format_number(3.5, "%") == "3.5%"
    assert format_number(25_300_000, "元") == "2530万元"
    assert format_number(125_000_000, "元") == "1.25亿元"
    assert format_number(12.0, "亩") == "12亩"
