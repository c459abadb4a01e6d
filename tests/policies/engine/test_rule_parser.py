"""Parser and validator: accepted rules, and rejected ones with position and bad part."""

from __future__ import annotations

import pytest

from haotong.policies.engine import nodes as n
from haotong.policies.engine.clauses import make_clause
from haotong.policies.engine.lexer import RuleError
from haotong.policies.engine.parser import parse_formula, parse_rule


def test_precedence_and_binds_tighter_than_or() -> None:
    node = parse_rule("is_startup or is_high_tech and rd_ratio >= 3").node
    assert isinstance(node, n.Or)
    assert isinstance(node.items[1], n.And)


def test_arithmetic_precedence_and_units() -> None:
    node = parse_rule("tax_yuan / land_mu >= 30万 - 1").node
    assert isinstance(node, n.Compare)
    assert isinstance(node.left, n.Arith) and node.left.op == "/"
    right = node.right
    assert isinstance(right, n.Arith) and right.op == "-"
    assert isinstance(right.left, n.Const) and right.left.value == 300000.0
    assert parse_formula("1.5亿").node == n.Const(0, 4, 1.5e8)


def test_chinese_labels_and_keywords() -> None:
    a = parse_rule("研发费用占比 >= 3 且 (高新技术企业 或 专精特新企业) 且 非 初创企业")
    assert a.attributes() == {"rd_ratio", "is_high_tech", "is_specialized", "is_startup"}
    b = parse_rule("rd_ratio ≥ 3 and town in （'五接镇'，'兴仁镇'）")
    assert b.attributes() == {"rd_ratio", "town"}


def test_membership_prefix_range_null() -> None:
    node = parse_rule("industry_code not startswith ('C39', 'C38')").node
    assert isinstance(node, n.Not) and isinstance(node.operand, n.StartsWith)
    assert node.operand.prefixes == ("C39", "C38")
    node = parse_rule("employees between 10 and 50 and rd_ratio is not null").node
    assert isinstance(node, n.And)
    assert isinstance(node.items[0], n.Between)
    assert isinstance(node.items[1], n.Not) and isinstance(node.items[1].operand, n.IsNull)
    node = parse_rule("town in '五接镇'").node
    assert isinstance(node, n.InSet) and node.values == ("五接镇",)


def test_functions() -> None:
    node = parse_formula("min(rd_expense_yuan * 0.1, 200万, max(tax_yuan, 0))").node
    assert isinstance(node, n.Call) and node.func == "min" and len(node.args) == 3


@pytest.mark.parametrize(
    ("source", "position", "fragment"),
    [
        ("rd_ratoi > 3", 1, "未知属性「rd_ratoi」"),
        ("rd_ratio >= 3 and rd_ratoi > 3", 19, "未知属性「rd_ratoi」（是否想写「rd_ratio」？）"),
        ("town = 5", 8, "不能把文本「town」与数字「5」比较"),
        ("rd_ratio >= '3'", 13, "不能把数字「rd_ratio」与文本「'3'」比较"),
        ("town < '五接镇'", 6, "只能用 = 或 != 比较"),
        ("rd_ratio and is_high_tech", 1, "「rd_ratio」是数字"),
        ("is_startup and rd_ratio", 16, "「rd_ratio」是数字"),
        ("rd_ratio >= ", 13, "规则不完整"),
        ("rd_ratio >= 3 rd_ratio", 15, "却是「rd_ratio」"),
        ("employees in (1, '两')", 18, "列表中的「'两'」是文本，应为数字"),
        ("town startswith (3)", 18, "列表中的「3」是数字"),
        ("rd_ratio startswith ('3')", 1, "不能用 startswith"),
        ("town + 1 > 3", 1, "「town」是文本，不能做算术运算"),
        ("foo(1, 2) > 3", 1, "未知函数「foo」"),
        ("min(rd_ratio) > 3", 1, "min 需要至少 2 个参数"),
        ("town = '五接镇", 8, "缺少结尾的引号"),
        ("rd_ratio >= 3 # x", 15, "无法识别的字符「#」"),
        ("(rd_ratio >= 3", 15, "右括号"),
        ("rd_ratio", 1, "规则必须是条件"),
        ("   ", 1, "规则为空"),
        ("3a > 1", 2, "数字后面不能紧跟「a」"),
        ("employees between 1 and town", 25, "不能作为范围的上限"),
    ],
)
def test_rejected_with_position(source: str, position: int, fragment: str) -> None:
    with pytest.raises(RuleError) as info:
        parse_rule(source)
    assert info.value.position == position
    assert str(info.value).startswith(f"第{position}个字符：")
    assert fragment in str(info.value)


def test_message_example_from_the_issue() -> None:
    with pytest.raises(RuleError) as info:
        parse_rule("rd_ratio >= 3 and rd_ratoi < 9")
    assert str(info.value).startswith("第19个字符：未知属性「rd_ratoi」")


def test_position_counts_chinese_characters_as_one() -> None:
    with pytest.raises(RuleError) as info:
        parse_rule("town = '五接镇' and 研发费用 > 1 and bad_name")
    assert info.value.position == len("town = '五接镇' and 研发费用 > 1 and ") + 1


def test_formula_must_be_a_number_and_version_is_checked() -> None:
    with pytest.raises(RuleError, match="金额公式的结果必须是数字"):
        parse_formula("rd_ratio > 3")
    with pytest.raises(RuleError, match="不支持的规则语言版本 2"):
        parse_rule("is_startup", version=2)


def test_make_clause_names_the_formula() -> None:
    with pytest.raises(RuleError) as info:
        make_clause("k", "is_startup", "min(rd_expnse_yuan, 1)")
    assert info.value.position == 5
    assert "金额公式未知属性「rd_expnse_yuan」" in str(info.value)
    with pytest.raises(RuleError, match="封顶金额"):
        make_clause("k", "is_startup", "1", cap=-1)
