"""The same clauses as a zen-engine (GoRules JDM) decision, for the benchmark.

zen's expression language has two-valued logic (a comparison with null is
false), so each condition is translated twice — ``T(e)`` "e is true" and
``F(e)`` "e is false" — with explicit null and zero-divisor guards. Under
that translation zen says *eligible* exactly when our language says true.
zen computes numbers as decimals, so a value within rounding of a threshold
may differ; the benchmark reports the agreement it measured.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from . import nodes as n
from .clauses import Clause


def _lit(v: n.Literal_) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    return json.dumps(v, ensure_ascii=False)


def _all(parts: Sequence[str], word: str) -> str:
    useful = [p for p in parts if p != "true"] if word == "and" else list(parts)
    if not useful:
        return "true"
    return "(" + f" {word} ".join(useful) + ")"


def defined(node: n.Node) -> str:
    """zen expression: the value of ``node`` is known (not null, no zero divisor)."""
    if isinstance(node, n.Const):
        return "true"
    if isinstance(node, n.Attr):
        return f"{node.name} != null"
    parts = [defined(c) for c in n.children(node)]
    if isinstance(node, n.Arith) and node.op == "/":
        parts.append(f"{value(node.right)} != 0")
    return _all(parts, "and")


def value(node: n.Node) -> str:
    if isinstance(node, n.Const):
        return _lit(node.value)
    if isinstance(node, n.Attr):
        return node.name
    if isinstance(node, n.Neg):
        return f"(-{value(node.operand)})"
    if isinstance(node, n.Arith):
        return f"({value(node.left)} {node.op} {value(node.right)})"
    if isinstance(node, n.Call):
        args = [value(a) for a in node.args]
        if node.func == "abs":
            return f"abs({args[0]})"
        return f"{node.func}([{', '.join(args)}])"
    raise TypeError(f"not a value: {node!r}")


_ZEN_OP = {"=": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def _test(node: n.Node) -> tuple[str, str]:
    """(definedness, two-valued test) of a leaf condition."""
    if isinstance(node, n.Compare):
        d = _all([defined(node.left), defined(node.right)], "and")
        return d, f"{value(node.left)} {_ZEN_OP[node.op]} {value(node.right)}"
    if isinstance(node, n.InSet):
        values = ", ".join(_lit(v) for v in node.values)
        return defined(node.operand), f"{value(node.operand)} in [{values}]"
    if isinstance(node, n.StartsWith):
        x = value(node.operand)
        tests = " or ".join(f"startsWith({x}, {_lit(p)})" for p in node.prefixes)
        return defined(node.operand), f"({tests})"
    if isinstance(node, n.Attr | n.Const):
        return defined(node), f"{value(node)} == true"
    raise TypeError(f"not a leaf: {node!r}")


def true_of(node: n.Node) -> str:
    if isinstance(node, n.Not):
        return false_of(node.operand)
    if isinstance(node, n.And):
        return _all([true_of(i) for i in node.items], "and")
    if isinstance(node, n.Or):
        return _all([true_of(i) for i in node.items], "or")
    if isinstance(node, n.Between):
        x = node.operand
        return _all(
            [
                true_of(n.Compare(0, 0, "<=", node.low, x)),
                true_of(n.Compare(0, 0, "<=", x, node.high)),
            ],
            "and",
        )
    if isinstance(node, n.IsNull):
        return f"not {defined(node.operand)}"
    d, test = _test(node)
    return _all([d, test], "and")


def false_of(node: n.Node) -> str:
    if isinstance(node, n.Not):
        return true_of(node.operand)
    if isinstance(node, n.And):
        return _all([false_of(i) for i in node.items], "or")
    if isinstance(node, n.Or):
        return _all([false_of(i) for i in node.items], "and")
    if isinstance(node, n.Between):
        x = node.operand
        parts = [
            false_of(n.Compare(0, 0, "<=", node.low, x)),
            false_of(n.Compare(0, 0, "<=", x, node.high)),
        ]
        return _all(parts, "or")
    if isinstance(node, n.IsNull):
        return defined(node.operand)
    d, test = _test(node)
    return _all([d, f"not ({test})"], "and")


def benefit_of(clause: Clause) -> str:
    if clause.formula is None:
        return "0"
    v = value(clause.formula.node)
    amount = f"max([0, {v}])"
    if clause.cap is not None:
        amount = f"min([{amount}, {_lit(clause.cap)}])"
    return f"{defined(clause.formula.node)} ? {amount} : null"


def decision(clauses: Sequence[Clause]) -> dict[str, Any]:
    """A JDM graph: input → one expression node (e{k}, b{k} per clause) → output."""
    expressions = []
    for k, c in enumerate(clauses):
        eligible = true_of(c.rule.node)
        expressions.append({"id": f"e{k}", "key": f"e{k}", "value": eligible})
        expressions.append(
            {"id": f"b{k}", "key": f"b{k}", "value": f"$.e{k} ? ({benefit_of(c)}) : null"}
        )
    pos = {"x": 0, "y": 0}
    return {
        "nodes": [
            {"id": "in", "type": "inputNode", "name": "企业", "position": pos},
            {
                "id": "rules",
                "type": "expressionNode",
                "name": "条款",
                "position": pos,
                "content": {"expressions": expressions},
            },
            {"id": "out", "type": "outputNode", "name": "结果", "position": pos},
        ],
        "edges": [
            {"id": "a", "sourceId": "in", "targetId": "rules", "type": "edge"},
            {"id": "b", "sourceId": "rules", "targetId": "out", "type": "edge"},
        ],
    }


class ZenMatcher:
    """Evaluates one enterprise at a time through zen-engine (imported lazily)."""

    name = "zen-engine"

    def __init__(self, clauses: Sequence[Clause]) -> None:
        import zen  # dev dependency, only the benchmark needs it

        self.clauses = list(clauses)
        graph = decision(self.clauses)
        self.engine = zen.ZenEngine({"loader": {"type": "static", "content": {"match": graph}}})
        self.decision = self.engine.create_decision(json.dumps(graph))

    def evaluate(self, record: Mapping[str, object]) -> list[tuple[int, float | None]]:
        """(clause index, benefit) for every clause the enterprise is eligible for."""
        return self._read(self.decision.evaluate(dict(record))["result"])

    def evaluate_batch(
        self, records: Sequence[Mapping[str, object]]
    ) -> list[list[tuple[int, float | None]]]:
        """zen's batch mode (its fastest path): one result list per record."""
        answers = self.engine.evaluate_batch(
            [{"key": "match", "context": dict(r)} for r in records]
        )
        out = []
        for a in answers:
            if not a.get("success"):
                raise RuntimeError(f"zen-engine failed: {a.get('error')}")
            out.append(self._read(a["data"]["result"]))
        return out

    def _read(self, result: dict[str, Any]) -> list[tuple[int, float | None]]:
        out = []
        for k in range(len(self.clauses)):
            if result.get(f"e{k}") is True:
                b = result.get(f"b{k}")
                out.append((k, None if b is None else float(b)))
        return out
