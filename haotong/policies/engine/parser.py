"""Recursive-descent parser and type checker for the rule language.

``parse_rule`` accepts a condition (true/false/unknown); ``parse_formula``
accepts a number expression (benefit formulas). Both raise ``RuleError`` whose
message names the 1-based character position and the offending part, in
Chinese. Nothing here evaluates anything; rules are data, never code.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass

from . import nodes as n
from .lexer import RuleError, Token, tokenize
from .schema import ENTERPRISE_SCHEMA, TYPE_LABELS, Schema, ValueType

LANGUAGE_VERSION = 1
SUPPORTED_VERSIONS = frozenset({1})
FUNCTIONS: dict[str, tuple[int, int | None]] = {"min": (2, None), "max": (2, None), "abs": (1, 1)}
MAX_LENGTH = 4000
MAX_DEPTH = 60


@dataclass(frozen=True, slots=True)
class Expression:
    """A checked expression: its source, tree, result type and language version."""

    source: str
    node: n.Node
    type: ValueType
    version: int = LANGUAGE_VERSION

    def attributes(self) -> set[str]:
        return n.attributes_used(self.node)


def parse_rule(
    source: str, *, schema: Schema = ENTERPRISE_SCHEMA, version: int = LANGUAGE_VERSION
) -> Expression:
    """Parse an eligibility condition; raise ``RuleError`` if it is not one."""
    expr = _parse(source, schema, version)
    if expr.type != "bool":
        raise _type_error(source, expr.node, expr.type, "规则必须是条件（结果为是/否），")
    return expr


def parse_formula(
    source: str, *, schema: Schema = ENTERPRISE_SCHEMA, version: int = LANGUAGE_VERSION
) -> Expression:
    """Parse a number formula such as ``min(rd_expense_yuan * 0.1, 200万)``."""
    expr = _parse(source, schema, version)
    if expr.type != "number":
        raise _type_error(source, expr.node, expr.type, "金额公式的结果必须是数字，")
    return expr


def _type_error(source: str, node: n.Node, got: ValueType, prefix: str) -> RuleError:
    part = source[node.start : node.end]
    return RuleError(node.start, part, f"{prefix}「{part}」却是{TYPE_LABELS[got]}")


def _parse(source: str, schema: Schema, version: int) -> Expression:
    if version not in SUPPORTED_VERSIONS:
        raise RuleError(0, "", f"不支持的规则语言版本 {version}")
    if len(source) > MAX_LENGTH:
        raise RuleError(MAX_LENGTH, "", f"规则过长（最多 {MAX_LENGTH} 个字符）")
    if not source.strip():
        raise RuleError(0, "", "规则为空")
    parser = _Parser(source, tokenize(source), schema)
    node, typ = parser.parse_or()
    parser.expect_end()
    return Expression(source, node, typ, version)


class _Parser:
    def __init__(self, source: str, tokens: list[Token], schema: Schema) -> None:
        self.src = source
        self.toks = tokens
        self.i = 0
        self.schema = schema
        self.depth = 0

    # -- token helpers -------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.toks[self.i]

    def at(self, kind: str, text: str | None = None) -> bool:
        t = self.tok
        return t.kind == kind and (text is None or t.text == text)

    def take(self) -> Token:
        t = self.tok
        self.i += 1
        return t

    def fail(self, expected: str) -> RuleError:
        t = self.tok
        if t.kind == "end":
            return RuleError(t.start, "", f"规则不完整，此处应为{expected}")
        part = self.src[t.start : t.end]
        return RuleError(t.start, part, f"此处应为{expected}，却是「{part}」")

    def expect(self, kind: str, text: str, expected: str) -> Token:
        if not self.at(kind, text):
            raise self.fail(expected)
        return self.take()

    def expect_end(self) -> None:
        if not self.at("end"):
            raise self.fail("规则结尾（是否缺少 and / or？）")

    def part(self, node: n.Node) -> str:
        return self.src[node.start : node.end]

    def need(self, node: n.Node, typ: ValueType, want: ValueType, why: str) -> None:
        if typ != want:
            raise RuleError(
                node.start,
                self.part(node),
                f"「{self.part(node)}」是{TYPE_LABELS[typ]}，{why}",
            )

    # -- logic -----------------------------------------------------------
    def parse_or(self) -> tuple[n.Node, ValueType]:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise RuleError(self.tok.start, "", "规则嵌套过深")
        items = [self.parse_and()]
        while self.at("kw", "or"):
            self.take()
            items.append(self.parse_and())
        self.depth -= 1
        return self._join(items, "or")

    def parse_and(self) -> tuple[n.Node, ValueType]:
        items = [self.parse_not()]
        while self.at("kw", "and"):
            self.take()
            items.append(self.parse_not())
        return self._join(items, "and")

    def _join(self, items: list[tuple[n.Node, ValueType]], word: str) -> tuple[n.Node, ValueType]:
        if len(items) == 1:
            return items[0]
        for node, typ in items:
            self.need(node, typ, "bool", f"不是条件，不能用 {word} 连接（是否缺少比较，如 >= 3？）")
        nodes = tuple(node for node, _ in items)
        cls = n.And if word == "and" else n.Or
        return cls(nodes[0].start, nodes[-1].end, nodes), "bool"

    def parse_not(self) -> tuple[n.Node, ValueType]:
        if self.at("kw", "not"):
            start = self.take().start
            node, typ = self.parse_not()
            self.need(node, typ, "bool", "不是条件，不能取反")
            return n.Not(start, node.end, node), "bool"
        return self.parse_predicate()

    # -- predicates ----------------------------------------------------
    def parse_predicate(self) -> tuple[n.Node, ValueType]:
        left, lt = self.parse_sum()
        t = self.tok
        if t.kind == "op" and t.text in ("=", "!=", "<", "<=", ">", ">="):
            self.take()
            right, rt = self.parse_sum()
            if lt != rt:
                raise RuleError(
                    right.start,
                    self.part(right),
                    f"不能把{TYPE_LABELS[lt]}「{self.part(left)}」与"
                    f"{TYPE_LABELS[rt]}「{self.part(right)}」比较",
                )
            if lt != "number" and t.text not in ("=", "!="):
                raise RuleError(
                    t.start, t.text, f"{TYPE_LABELS[lt]}「{self.part(left)}」只能用 = 或 != 比较"
                )
            return n.Compare(left.start, right.end, t.text, left, right), "bool"  # type: ignore[arg-type]
        if self.at("kw", "between"):
            self.take()
            self.need(left, lt, "number", "不能用 between 比较范围")
            low, low_t = self.parse_sum()
            self.need(low, low_t, "number", "不能作为范围的下限")
            self.expect("kw", "and", "范围的 and")
            high, high_t = self.parse_sum()
            self.need(high, high_t, "number", "不能作为范围的上限")
            return n.Between(left.start, high.end, left, low, high), "bool"
        negated = False
        if self.at("kw", "not") and self.toks[self.i + 1].text in ("in", "startswith"):
            self.take()
            negated = True
        if self.at("kw", "in") or self.at("kw", "startswith"):
            word = self.take().text
            values, end = self.parse_list(lt if word == "in" else "text", word)
            node: n.Node
            if word == "in":
                node = n.InSet(left.start, end, left, values)
            else:
                self.need(left, lt, "text", "不能用 startswith 比较前缀")
                node = n.StartsWith(left.start, end, left, tuple(str(v) for v in values))
            return (n.Not(left.start, end, node) if negated else node), "bool"
        if self.at("kw", "is"):
            self.take()
            neg = self.at("kw", "not")
            if neg:
                self.take()
            end = self.expect("kw", "null", "null（写作 is null 或 is not null）").end
            node = n.IsNull(left.start, end, left)
            return (n.Not(left.start, end, node) if neg else node), "bool"
        return left, lt

    def parse_list(self, want: ValueType, word: str) -> tuple[tuple[n.Literal_, ...], int]:
        opener = self.tok
        if not (self.at("op", "(") or self.at("op", "[")):
            if self.at("str") or self.at("num"):  # a single value without brackets
                return (self.parse_literal(want, word),), self.toks[self.i - 1].end
            raise self.fail(f"{word} 后的取值列表，如 ('五接镇', '兴仁镇')")
        self.take()
        close = ")" if opener.text == "(" else "]"
        values: list[n.Literal_] = []
        while True:
            values.append(self.parse_literal(want, word))
            if self.at("op", ","):
                self.take()
                if self.at("op", close):
                    break
                continue
            break
        end = self.expect("op", close, f"列表结尾的 {close}").end
        return tuple(values), end

    def parse_literal(self, want: ValueType, word: str) -> n.Literal_:
        t = self.tok
        sign = 1.0
        if t.kind == "op" and t.text == "-" and self.toks[self.i + 1].kind == "num":
            self.take()
            sign = -1.0
            t = self.tok
        if t.kind == "num":
            value: n.Literal_ = sign * float(t.value)  # type: ignore[arg-type]
            got: ValueType = "number"
        elif t.kind == "str":
            value, got = str(t.value), "text"
        elif t.kind == "kw" and t.text in ("true", "false"):
            value, got = t.text == "true", "bool"
        else:
            raise self.fail(f"{word} 列表中的取值（数字或带引号的文本）")
        if got != want:
            raise RuleError(
                t.start,
                t.text,
                f"列表中的「{t.text}」是{TYPE_LABELS[got]}，应为{TYPE_LABELS[want]}",
            )
        self.take()
        return value

    # -- arithmetic ----------------------------------------------------
    def parse_sum(self) -> tuple[n.Node, ValueType]:
        left, lt = self.parse_term()
        while self.tok.kind == "op" and self.tok.text in ("+", "-"):
            op = self.take().text
            right, rt = self.parse_term()
            self.need(left, lt, "number", "不能做算术运算")
            self.need(right, rt, "number", "不能做算术运算")
            left, lt = n.Arith(left.start, right.end, op, left, right), "number"  # type: ignore[arg-type]
        return left, lt

    def parse_term(self) -> tuple[n.Node, ValueType]:
        left, lt = self.parse_unary()
        while self.tok.kind == "op" and self.tok.text in ("*", "/"):
            op = self.take().text
            right, rt = self.parse_unary()
            self.need(left, lt, "number", "不能做算术运算")
            self.need(right, rt, "number", "不能做算术运算")
            left, lt = n.Arith(left.start, right.end, op, left, right), "number"  # type: ignore[arg-type]
        return left, lt

    def parse_unary(self) -> tuple[n.Node, ValueType]:
        if self.at("op", "-"):
            start = self.take().start
            node, typ = self.parse_unary()
            self.need(node, typ, "number", "不能取负")
            if isinstance(node, n.Const):
                return n.Const(start, node.end, -float(node.value)), "number"
            return n.Neg(start, node.end, node), "number"
        return self.parse_primary()

    def parse_primary(self) -> tuple[n.Node, ValueType]:
        t = self.tok
        if t.kind == "num":
            self.take()
            return n.Const(t.start, t.end, float(t.value)), "number"  # type: ignore[arg-type]
        if t.kind == "str":
            self.take()
            return n.Const(t.start, t.end, str(t.value)), "text"
        if t.kind == "kw" and t.text in ("true", "false"):
            self.take()
            return n.Const(t.start, t.end, t.text == "true"), "bool"
        if t.kind == "op" and t.text == "(":
            self.take()
            node, typ = self.parse_or()
            end = self.expect("op", ")", "右括号 )").end
            return _with_span(node, t.start, end), typ
        if t.kind == "ident":
            self.take()
            if self.at("op", "("):
                return self.parse_call(t)
            return self.resolve_attribute(t)
        raise self.fail("属性、数字或带引号的文本")

    def resolve_attribute(self, t: Token) -> tuple[n.Node, ValueType]:
        name = t.text
        if name not in self.schema:
            by_label = {a.label: a.name for a in self.schema.values()}
            if name in by_label:
                name = by_label[name]
            else:
                close = difflib.get_close_matches(name, [*self.schema, *by_label], n=1)
                hint = f"（是否想写「{close[0]}」？）" if close else ""
                raise RuleError(t.start, t.text, f"未知属性「{t.text}」{hint}")
        return n.Attr(t.start, t.end, name), self.schema[name].type

    def parse_call(self, t: Token) -> tuple[n.Node, ValueType]:
        func = t.text.lower()
        if func not in FUNCTIONS:
            names = "、".join(FUNCTIONS)
            raise RuleError(t.start, t.text, f"未知函数「{t.text}」（可用：{names}）")
        self.take()  # "("
        args: list[n.Node] = []
        while True:
            node, typ = self.parse_sum()
            self.need(node, typ, "number", f"不能作为 {func} 的参数")
            args.append(node)
            if not self.at("op", ","):
                break
            self.take()
        end = self.expect("op", ")", f"{func}(...) 的右括号 )").end
        low, high = FUNCTIONS[func]
        if len(args) < low or (high is not None and len(args) > high):
            count = f"{low} 个" if high == low else f"至少 {low} 个"
            raise RuleError(t.start, self.src[t.start : end], f"{func} 需要{count}参数")
        return n.Call(t.start, end, func, tuple(args)), "number"  # type: ignore[arg-type]


def _with_span(node: n.Node, start: int, end: int) -> n.Node:
    """Widen a node's span to include its parentheses (for quoting)."""
    return dataclasses.replace(node, start=start, end=end)
