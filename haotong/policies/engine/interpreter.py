"""Reference interpreter: one enterprise, one expression, by walking the tree.

This is the definition of the language's meaning that the vectorised engine is
tested against. Values are ``float | str | bool | None`` (None = unknown).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal

from . import nodes as n
from .parser import Expression
from .schema import ENTERPRISE_SCHEMA, Schema

Value = float | str | bool | None
Truth = bool | None  # True / False / None (unknown)


def normalise(value: object, value_type: str) -> Value:
    """Bring a stored attribute into the language's value domain.

    None, NaN and empty text are missing (unknown). Integers and Decimals become
    IEEE doubles, the number type of every engine.
    """
    if value is None:
        return None
    if value_type == "number":
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise TypeError(f"number expected, got {value!r}")
        f = float(value)
        return None if math.isnan(f) else f
    if value_type == "text":
        s = str(value)
        return s if s else None
    if not isinstance(value, bool):
        raise TypeError(f"bool expected, got {value!r}")
    return value


def normalise_record(
    record: Mapping[str, object], schema: Schema = ENTERPRISE_SCHEMA
) -> dict[str, Value]:
    return {name: normalise(record.get(name), attr.type) for name, attr in schema.items()}


def evaluate(node: n.Node, record: Mapping[str, Value]) -> Value:
    """Evaluate any node against a *normalised* record."""
    if isinstance(node, n.Const):
        return node.value
    if isinstance(node, n.Attr):
        return record.get(node.name)
    if isinstance(node, n.Neg):
        v = evaluate(node.operand, record)
        return None if v is None else -_num(v)
    if isinstance(node, n.Arith):
        return _arith(node.op, evaluate(node.left, record), evaluate(node.right, record))
    if isinstance(node, n.Call):
        return _call(node.func, [evaluate(a, record) for a in node.args])
    if isinstance(node, n.Compare):
        return compare(node.op, evaluate(node.left, record), evaluate(node.right, record))
    if isinstance(node, n.Between):
        x = evaluate(node.operand, record)
        low = compare("<=", evaluate(node.low, record), x)
        high = compare("<=", x, evaluate(node.high, record))
        return kleene_and([low, high])
    if isinstance(node, n.InSet):
        v = evaluate(node.operand, record)
        return None if v is None else v in node.values
    if isinstance(node, n.StartsWith):
        v = evaluate(node.operand, record)
        return None if v is None else str(v).startswith(node.prefixes)
    if isinstance(node, n.IsNull):
        return evaluate(node.operand, record) is None
    if isinstance(node, n.Not):
        t = _truth(evaluate(node.operand, record))
        return None if t is None else not t
    if isinstance(node, n.And):
        return kleene_and(_truth(evaluate(i, record)) for i in node.items)
    if isinstance(node, n.Or):
        return kleene_or(_truth(evaluate(i, record)) for i in node.items)
    raise TypeError(f"unknown node {node!r}")


def truth(expr: Expression, record: Mapping[str, Value]) -> Truth:
    """True / False / None (unknown) for a condition on a normalised record."""
    return _truth(evaluate(expr.node, record))


def kleene_and(values: object) -> Truth:
    unknown = False
    for v in values:  # type: ignore[attr-defined]
        if v is False:
            return False
        if v is None:
            unknown = True
    return None if unknown else True


def kleene_or(values: object) -> Truth:
    unknown = False
    for v in values:  # type: ignore[attr-defined]
        if v is True:
            return True
        if v is None:
            unknown = True
    return None if unknown else False


def compare(op: str, a: Value, b: Value) -> Truth:
    if a is None or b is None:
        return None
    if op == "=":
        return a == b
    if op == "!=":
        return a != b
    x, y = _num(a), _num(b)
    if op == "<":
        return x < y
    if op == "<=":
        return x <= y
    if op == ">":
        return x > y
    return x >= y


def _arith(op: str, a: Value, b: Value) -> Value:
    if a is None or b is None:
        return None
    x, y = _num(a), _num(b)
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    return None if y == 0 else x / y


def _call(func: str, args: list[Value]) -> Value:
    if any(a is None for a in args):
        return None
    nums = [_num(a) for a in args]
    if func == "abs":
        return abs(nums[0])
    acc = nums[0]
    for x in nums[1:]:  # fold left, ties keep the left value (as the vector engine)
        if func == "min":
            acc = acc if acc <= x else x
        else:
            acc = acc if acc >= x else x
    return acc


def _num(v: Value) -> float:
    if isinstance(v, bool) or not isinstance(v, float):
        raise TypeError(f"number expected, got {v!r}")
    return v


def _truth(v: Value) -> Truth:
    if v is None or isinstance(v, bool):
        return v
    raise TypeError(f"condition expected, got {v!r}")
