"""Explanations: why an enterprise does or does not qualify, in Chinese.

``explain(clause, record)`` walks the rule with the reference interpreter and
returns one step per condition with its outcome and the actual values, e.g.
``研发费用占比 2.1% < 3%`` for a failed ``rd_ratio >= 3``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from . import nodes as n
from .clauses import Clause, evaluate_clause
from .interpreter import Truth, Value, evaluate, normalise_record
from .schema import ENTERPRISE_SCHEMA, Schema

Status = Literal["pass", "fail", "unknown"]
STATUS_MARK = {"pass": "✓", "fail": "✗", "unknown": "?"}
VERDICT = {"pass": "符合", "fail": "不符合", "unknown": "无法判断（缺少数据）"}
SHOWN_OP = {"=": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥"}
NEGATED_OP = {"=": "!=", "!=": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
ARITH_SHOWN = {"+": "+", "-": "−", "*": "×", "/": "÷"}


@dataclass(frozen=True, slots=True)
class Step:
    status: Status
    text: str
    depth: int
    source: str  # the part of the rule this step is about


@dataclass(frozen=True, slots=True)
class Explanation:
    clause_key: str
    status: Status
    steps: tuple[Step, ...]
    benefit: float | None

    @property
    def verdict(self) -> str:
        return VERDICT[self.status]

    def lines(self) -> list[str]:
        head = f"{self.verdict}"
        if self.status == "pass" and self.benefit is not None:
            head += f"，可享 {format_number(self.benefit, '元')}"
        return [head] + [f"{'  ' * s.depth}{STATUS_MARK[s.status]} {s.text}" for s in self.steps]


def status_of(t: Truth) -> Status:
    return "unknown" if t is None else ("pass" if t else "fail")


def format_number(x: float, unit: str = "") -> str:
    """3.5 → "3.5"; 25300000 元 → "2530万元"; 1.25e8 元 → "1.25亿元"; 300000 → "30万"."""
    if unit in ("元", "") and abs(x) >= 1e8:
        return f"{_trim(x / 1e8)}亿{unit}"
    if unit in ("元", "") and abs(x) >= 1e4:
        return f"{_trim(x / 1e4)}万{unit}"
    return f"{_trim(x)}{unit}"


def _trim(x: float) -> str:
    text = f"{x:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class _Explainer:
    def __init__(self, source: str, record: Mapping[str, Value], schema: Schema) -> None:
        self.src = source
        self.rec = record
        self.schema = schema
        self.steps: list[Step] = []

    def part(self, node: n.Node) -> str:
        return self.src[node.start : node.end]

    def unit(self, node: n.Node) -> str:
        return self.schema[node.name].unit if isinstance(node, n.Attr) else ""

    def label(self, node: n.Node) -> str:
        """Human name of an operand: attribute label or the expression in labels."""
        if isinstance(node, n.Attr):
            return self.schema[node.name].label
        if isinstance(node, n.Const):
            return self.show(node.value, "")
        if isinstance(node, n.Arith):
            return f"{self.label(node.left)} {ARITH_SHOWN[node.op]} {self.label(node.right)}"
        if isinstance(node, n.Neg):
            return f"−{self.label(node.operand)}"
        if isinstance(node, n.Call):
            return f"{node.func}({', '.join(self.label(a) for a in node.args)})"
        return self.part(node)

    def show(self, value: Value, unit: str) -> str:
        if value is None:
            return "未知"
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, float):
            return format_number(value, unit)
        return value

    def operand(self, node: n.Node, unit: str) -> str:
        """ "研发费用占比 2.1%", "纳税额 ÷ 用地面积 = 25.3万" or a bare constant."""
        value = evaluate(node, self.rec)
        if isinstance(node, n.Const):
            return self.show(value, unit)
        if isinstance(node, n.Attr):
            return f"{self.label(node)} {self.show(value, unit)}"
        return f"{self.label(node)} = {self.show(value, unit)}"

    def why_unknown(self, node: n.Node) -> str:
        missing = sorted(
            {self.schema[a].label for a in n.attributes_used(node) if self.rec.get(a) is None}
        )
        if missing:
            return f"缺少「{'」「'.join(missing)}」数据，无法判断：{self.part(node)}"
        return f"除数为 0，无法计算：{self.part(node)}"

    def condition(self, node: n.Node, t: Truth) -> str:
        if t is None:
            return self.why_unknown(node)
        if isinstance(node, n.Compare):
            unit = self.unit(node.left) or self.unit(node.right)
            op = node.op if t else NEGATED_OP[node.op]
            return (
                f"{self.operand(node.left, unit)} {SHOWN_OP[op]} {self.operand(node.right, unit)}"
            )
        if isinstance(node, n.Between):
            unit = self.unit(node.operand)
            low = self.show(evaluate(node.low, self.rec), unit)
            high = self.show(evaluate(node.high, self.rec), unit)
            word = "在" if t else "不在"
            return f"{self.operand(node.operand, unit)} {word} {low}～{high} 之间"
        if isinstance(node, n.InSet):
            unit = self.unit(node.operand)
            values = "、".join(self.show(v, unit) for v in node.values)
            return f"{self.operand(node.operand, unit)} {'属于' if t else '不属于'} {values}"
        if isinstance(node, n.StartsWith):
            prefixes = "、".join(node.prefixes)
            return f"{self.operand(node.operand, '')} {'以' if t else '不以'} {prefixes} 开头"
        if isinstance(node, n.IsNull):
            return f"{self.label(node.operand)} {'无数据' if t else '有数据'}"
        if isinstance(node, n.Attr):
            return f"{'是' if t else '不是'}{self.label(node)}"
        return f"{self.part(node)}：{'成立' if t else '不成立'}"

    def walk(self, node: n.Node, depth: int) -> Truth:
        t = evaluate(node, self.rec)
        assert t is None or isinstance(t, bool)
        if isinstance(node, n.And | n.Or):
            if depth > 0 or isinstance(node, n.Or):
                word = "以下条件全部满足" if isinstance(node, n.And) else "以下条件满足其一"
                self.steps.append(Step(status_of(t), word, depth, self.part(node)))
                depth += 1
            for item in node.items:
                self.walk(item, depth)
            return t
        if isinstance(node, n.Not) and not isinstance(node.operand, n.And | n.Or):
            inner = evaluate(node.operand, self.rec)
            assert inner is None or isinstance(inner, bool)
            self.steps.append(
                Step(status_of(t), self.condition(node.operand, inner), depth, self.part(node))
            )
            return t
        if isinstance(node, n.Not):
            self.steps.append(Step(status_of(t), "以下情形不得成立", depth, self.part(node)))
            self.walk(node.operand, depth + 1)
            return t
        self.steps.append(Step(status_of(t), self.condition(node, t), depth, self.part(node)))
        return t


def explain(
    clause: Clause, record: Mapping[str, object], schema: Schema = ENTERPRISE_SCHEMA
) -> Explanation:
    """Eligibility of one enterprise for one clause, condition by condition."""
    values = normalise_record(record, schema)
    ex = _Explainer(clause.rule.source, values, schema)
    ex.walk(clause.rule.node, 0)
    t, benefit = evaluate_clause(clause, values)
    return Explanation(clause.key, status_of(t), tuple(ex.steps), benefit)
