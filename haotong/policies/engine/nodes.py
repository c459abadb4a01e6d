"""Syntax tree of the rule language (version 1).

Nodes are immutable; ``start``/``end`` are 0-based character offsets into the
source (end exclusive), so messages and explanations can quote the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

CompareOp = Literal["=", "!=", "<", "<=", ">", ">="]
ArithOp = Literal["+", "-", "*", "/"]
FuncName = Literal["min", "max", "abs"]
Literal_ = float | str | bool


@dataclass(frozen=True, slots=True)
class Node:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Const(Node):
    value: Literal_


@dataclass(frozen=True, slots=True)
class Attr(Node):
    name: str


@dataclass(frozen=True, slots=True)
class Neg(Node):
    operand: Node


@dataclass(frozen=True, slots=True)
class Arith(Node):
    op: ArithOp
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Call(Node):
    func: FuncName
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Compare(Node):
    op: CompareOp
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Between(Node):
    """``x between lo and hi`` — inclusive on both ends."""

    operand: Node
    low: Node
    high: Node


@dataclass(frozen=True, slots=True)
class InSet(Node):
    operand: Node
    values: tuple[Literal_, ...]


@dataclass(frozen=True, slots=True)
class StartsWith(Node):
    operand: Node
    prefixes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class IsNull(Node):
    """``x is null`` — the only test that is never unknown."""

    operand: Node


@dataclass(frozen=True, slots=True)
class Not(Node):
    operand: Node


@dataclass(frozen=True, slots=True)
class And(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or(Node):
    items: tuple[Node, ...]


#: nodes whose value is true/false/unknown and that stand for one condition
CONDITION_NODES = (Compare, Between, InSet, StartsWith, IsNull, Attr, Const)


def attributes_used(node: Node) -> set[str]:
    """Names of every attribute the expression reads."""
    found: set[str] = set()
    stack: list[Node] = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Attr):
            found.add(n.name)
        stack.extend(children(n))
    return found


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Neg | Not | IsNull | InSet | StartsWith):
        return (node.operand,)
    if isinstance(node, Arith | Compare):
        return (node.left, node.right)
    if isinstance(node, Between):
        return (node.operand, node.low, node.high)
    if isinstance(node, Call):
        return node.args
    if isinstance(node, And | Or):
        return node.items
    return ()
