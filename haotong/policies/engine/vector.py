"""Vectorised engine: every clause compiled to staged Polars expressions.

The three-valued semantics map onto Polars' null handling: comparisons with
null are null and ``&``/``|``/``~``/``all_horizontal`` are Kleene; the rules
Polars does not share (division by zero → unknown, min/max propagate unknown)
are spelt out in ``_arith``/``_min``/``_max``.

Speed comes from three things, measured in docs/benchmarks.md (policy matching section):
* the clause trees are hash-consed: each distinct sub-expression (``tax_yuan /
  land_mu``, ``rd_ratio >= 3``) is one column, computed once for all clauses,
  in stages by depth (Polars' own CSE found far fewer duplicates);
* text attributes are ``Enum`` columns (``prepare``), so ``in``/``=`` compare
  integer codes and ``startswith`` is decided once per distinct value;
* the result is sparse: per clause, the eligible row numbers and their benefits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

import polars as pl

from . import nodes as n
from .clauses import Clause, apply_cap
from .interpreter import normalise
from .schema import ENTERPRISE_SCHEMA, Schema

MAX_ENUM_VALUES = 50_000
DTYPES = {"number": pl.Float64, "text": pl.String, "bool": pl.Boolean}
Key = tuple[object, ...]


def table(
    records: Iterable[Mapping[str, object]], schema: Schema = ENTERPRISE_SCHEMA
) -> pl.DataFrame:
    """Columnar table from records, normalised exactly as the interpreter does."""
    rows = list(records)
    return pl.DataFrame(
        {
            name: pl.Series(
                name, [normalise(r.get(name), a.type) for r in rows], dtype=DTYPES[a.type]
            )
            for name, a in schema.items()
        }
    )


def prepare(frame: pl.DataFrame, schema: Schema = ENTERPRISE_SCHEMA) -> pl.DataFrame:
    """Bring a frame into the engine's domain, once per load of the table.

    Numbers become doubles with NaN as null; "" becomes null; text with few
    distinct values (codes, towns) becomes an ``Enum``; columns not in the
    schema are dropped.
    """
    exprs = []
    for name in frame.columns:
        if name not in schema:
            continue
        kind = schema[name].type
        col = pl.col(name).cast(DTYPES[kind])
        if kind == "number":
            col = col.fill_nan(None)
        elif kind == "text":
            col = pl.when(col != "").then(col)
            values = frame.get_column(name).cast(pl.String).unique()
            if len(values) <= MAX_ENUM_VALUES:  # codes and towns; not names or credit codes
                values = values.drop_nulls().sort()
                col = col.cast(pl.Enum(values.filter(values != "")))
        exprs.append(col.alias(name))
    return frame.select(exprs)


def shape(node: n.Node) -> Key:
    """Structural identity of a node, ignoring where it was written."""
    parts: list[object] = [type(node).__name__]
    for f in fields(node):
        if f.name in ("start", "end"):
            continue
        v = getattr(node, f.name)
        if isinstance(v, n.Node):
            parts.append(shape(v))
        elif isinstance(v, tuple) and v and isinstance(v[0], n.Node):
            parts.append(tuple(shape(x) for x in v))
        else:
            # keep 1.0 and True apart (they hash equal in Python)
            parts.append((type(v).__name__, v))
    return tuple(parts)


class _Compiler:
    """Hash-consing compiler: distinct sub-expressions become staged columns."""

    def __init__(self, dtypes: Mapping[str, pl.DataType]) -> None:
        self.dtypes = dtypes
        self.names: dict[Key, tuple[str, int]] = {}  # shape -> (column, stage)
        self.stages: list[list[pl.Expr]] = []

    def ref(self, node: n.Node) -> tuple[pl.Expr, int]:
        """Expression reading the node's value, and the stage it is ready after."""
        if isinstance(node, n.Const):
            return _literal(node.value), 0
        if isinstance(node, n.Attr):
            return pl.col(node.name), 0
        key = shape(node)
        if key not in self.names:
            expr, stage = self._build(node)
            name = f"_e{len(self.names)}"
            while len(self.stages) <= stage:
                self.stages.append([])
            self.stages[stage].append(expr.alias(name))
            self.names[key] = (name, stage + 1)
        name, ready = self.names[key]
        return pl.col(name), ready

    def _build(self, node: n.Node) -> tuple[pl.Expr, int]:
        parts = [self.ref(c) for c in n.children(node)]
        stage = max((s for _, s in parts), default=0)
        e = [p for p, _ in parts]
        if isinstance(node, n.Neg):
            return -e[0], stage
        if isinstance(node, n.Arith):
            return _arith(node, e[0], e[1]), stage
        if isinstance(node, n.Call):
            if node.func == "abs":
                return e[0].abs(), stage
            acc = e[0]
            for x in e[1:]:
                acc = _min(acc, x) if node.func == "min" else _max(acc, x)
            return acc, stage
        if isinstance(node, n.Compare):
            return self._compare(node, e[0], e[1]), stage
        if isinstance(node, n.Between):
            return (e[1] <= e[0]) & (e[0] <= e[2]), stage
        if isinstance(node, n.InSet):
            return self._member(node.operand, e[0], list(node.values)), stage
        if isinstance(node, n.StartsWith):
            return self._starts(node, e[0]), stage
        if isinstance(node, n.IsNull):
            return e[0].is_null(), stage
        if isinstance(node, n.Not):
            return ~e[0], stage
        if isinstance(node, n.And):
            return pl.all_horizontal(e), stage
        if isinstance(node, n.Or):
            return pl.any_horizontal(e), stage
        raise TypeError(f"unknown node {node!r}")

    def _enum(self, node: n.Node) -> pl.Enum | None:
        if isinstance(node, n.Attr):
            dtype = self.dtypes.get(node.name)
            if isinstance(dtype, pl.Enum):
                return dtype
        return None

    def _member(self, operand: n.Node, x: pl.Expr, values: list[n.Literal_]) -> pl.Expr:
        if self._enum(operand) is None and isinstance(values[0], str):
            x = x.cast(pl.String)
        if isinstance(values[0], bool):
            series = pl.Series(values, dtype=pl.Boolean)
        elif isinstance(values[0], float):
            series = pl.Series(values, dtype=pl.Float64)
        else:
            series = pl.Series(values, dtype=pl.String)
        # is_in of a null value is null, as the language wants (tested)
        return x.is_in(series.implode())

    def _compare(self, node: n.Compare, a: pl.Expr, b: pl.Expr) -> pl.Expr:
        right = node.right
        if isinstance(right, n.Const) and isinstance(right.value, str) and node.op in ("=", "!="):
            hit = self._member(node.left, a, [right.value])
            return hit if node.op == "=" else ~hit
        if self._enum(node.left) is not None or self._enum(node.right) is not None:
            a, b = a.cast(pl.String), b.cast(pl.String)
        result: pl.Expr = _COMPARE[node.op](a, b)
        return result

    def _starts(self, node: n.StartsWith, x: pl.Expr) -> pl.Expr:
        enum = self._enum(node.operand)
        if enum is None:
            x = x.cast(pl.String)
            tests = [x.str.starts_with(p) for p in node.prefixes]
            return pl.any_horizontal(tests) if len(tests) > 1 else tests[0]
        # decide once per distinct value, then compare integer codes
        hits = [c for c in enum.categories.to_list() if c.startswith(node.prefixes)]
        return self._member(node.operand, x, [*hits] if hits else ["\x00never"])


_COMPARE = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _literal(value: n.Literal_) -> pl.Expr:
    if isinstance(value, bool):
        return pl.lit(value, dtype=pl.Boolean)
    if isinstance(value, float):
        return pl.lit(value, dtype=pl.Float64)
    return pl.lit(value, dtype=pl.String)


def _arith(node: n.Arith, left: pl.Expr, right: pl.Expr) -> pl.Expr:
    if node.op == "+":
        return left + right
    if node.op == "-":
        return left - right
    if node.op == "*":
        return left * right
    if isinstance(node.right, n.Const):  # known divisor: no per-row zero test
        return pl.lit(None, dtype=pl.Float64) if node.right.value == 0 else left / right
    return pl.when(right != 0).then(left / right)


def _min(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    # both tests are null when either side is unknown → the result is unknown
    return pl.when(a <= b).then(a).when(a > b).then(b)


def _max(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    return pl.when(a >= b).then(a).when(a < b).then(b)


@dataclass(frozen=True, slots=True)
class Plan:
    """Clauses compiled for one table layout (its dtypes)."""

    clauses: tuple[Clause, ...]
    stages: tuple[tuple[pl.Expr, ...], ...]
    conditions: tuple[pl.Expr, ...]  # per clause: its three-valued column
    amounts: tuple[pl.Expr | float | None, ...]  # per clause: formula column, constant, none

    @property
    def distinct_columns(self) -> int:
        return sum(len(s) for s in self.stages)


def compile_plan(clauses: Sequence[Clause], dtypes: Mapping[str, pl.DataType]) -> Plan:
    comp = _Compiler(dtypes)
    conditions = [comp.ref(c.rule.node)[0] for c in clauses]
    amounts: list[pl.Expr | float | None] = []
    for c in clauses:
        if c.formula is None:
            amounts.append(None)
        elif isinstance(c.formula.node, n.Const):
            amounts.append(apply_cap(float(c.formula.node.value), c.cap))
        else:
            amounts.append(comp.ref(c.formula.node)[0])
    return Plan(
        tuple(clauses),
        tuple(tuple(s) for s in comp.stages),
        tuple(conditions),
        tuple(amounts),
    )


def staged(frame: pl.DataFrame, plan: Plan) -> pl.LazyFrame:
    lf = frame.lazy()
    for stage in plan.stages:
        lf = lf.with_columns(stage)
    return lf


NO_CSE = pl.QueryOptFlags(comm_subexpr_elim=False)  # the plan is already hash-consed


def truth_table(frame: pl.DataFrame, plan: Plan) -> pl.DataFrame:
    """Dense true/false/null per row × clause (tests, small tables)."""
    out = [cond.alias(f"c{k}") for k, cond in enumerate(plan.conditions)]
    # with_columns broadcasts a constant rule ("true") to every row; select would not.
    names = [f"c{k}" for k in range(len(out))]
    return staged(frame, plan).with_columns(out).select(names).collect(optimizations=NO_CSE)
