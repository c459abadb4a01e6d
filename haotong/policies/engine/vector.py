"""Vectorised engine: every clause compiled to staged Polars expressions.

Numbers are three-valued the way Polars' nulls are: arithmetic with null is
null; the rules Polars does not share (division by zero → unknown, min/max
propagate unknown) are spelt out in ``_arith``/``_min``/``_max``.

Conditions are not computed as three-valued (nullable) Boolean columns. Each
condition is compiled, on demand, into one or both of two *masks*: "is true"
and "is false" (unknown = neither), Boolean columns without nulls. Kleene's
logic then needs no null bookkeeping: ``not`` swaps the masks (free), ``a and
b`` is true where both are true and false where either is false, ``or`` the
dual, ``x is null`` is "neither". Eligibility needs only each rule's "is true"
mask; the "is false" masks are compiled only when unknowns are asked for.

Speed comes from, measured in docs/benchmarks.md (policy matching section):
* the clause trees are hash-consed: each distinct sub-expression (``tax_yuan /
  land_mu``, ``rd_ratio >= 3``) is one column, computed once for all clauses,
  in stages by depth (Polars' own CSE found far fewer duplicates), and only
  the columns the requested outputs need are computed;
* masks carry no validity bitmap at all (leaves end in ``eq_missing``, which
  maps null to false and returns a bare bitmap): Polars' ``&``/``|`` on
  arrays with a validity bitmap use the Kleene kernels, about three times
  slower, even when no value is null;
* text attributes are ``Enum`` columns (``prepare``); ``in``/``=``/``startswith``
  are decided once per category and become tests on the integer codes (one
  comparison per run of consecutive codes);
* the result is sparse: per clause, the eligible row numbers; benefit formulas
  are evaluated on those rows only, not on the whole table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

import polars as pl

from . import nodes as n
from .clauses import Clause, apply_cap
from .interpreter import normalise
from .schema import ENTERPRISE_SCHEMA, Schema

MAX_ENUM_VALUES = 50_000
DTYPES = {"number": pl.Float64, "text": pl.String, "bool": pl.Boolean}
Key = tuple[object, ...]
ROW = "_row"  # row-number column added for the sparse extraction


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


def shape(node: n.Node, memo: dict[int, tuple[n.Node, Key]] | None = None) -> Key:
    """Structural identity of a node, ignoring where it was written.

    ``memo`` (by ``id``; it keeps the nodes alive so ids stay unique) spares
    recomputing the shapes of shared subtrees.
    """
    # keep 1.0 and True apart (they hash equal in Python)
    if isinstance(node, n.Const):
        return ("Const", type(node.value).__name__, node.value)
    if isinstance(node, n.Attr):
        return ("Attr", node.name)
    if memo is not None:
        hit = memo.get(id(node))
        if hit is not None:
            return hit[1]
    parts: list[object] = [type(node).__name__]
    for name in _field_names(type(node)):
        v = getattr(node, name)
        if isinstance(v, n.Node):
            parts.append(shape(v, memo))
        elif isinstance(v, tuple) and v and isinstance(v[0], n.Node):
            parts.append(tuple(shape(x, memo) for x in v))
        else:
            # keep 1.0 and True apart (they hash equal in Python)
            parts.append((type(v).__name__, v))
    key = tuple(parts)
    if memo is not None:
        memo[id(node)] = (node, key)
    return key


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = tuple(f.name for f in fields(cls) if f.name not in ("start", "end"))
        _FIELD_NAMES[cls] = names
    return names


#: nodes whose value is a condition (true / false / unknown) computed from others
_CONDITIONS = (n.Compare, n.Between, n.InSet, n.StartsWith, n.IsNull, n.Not, n.And, n.Or)


@dataclass(frozen=True, slots=True)
class Column:
    """One computed column of a plan."""

    expr: pl.Expr  # aliased to the column's name
    stage: int  # 0: reads only the table; k: reads columns of stages < k
    deps: tuple[str, ...]  # the computed columns it reads


class _Compiler:
    """Hash-consing compiler: distinct sub-expressions become staged columns."""

    def __init__(self, dtypes: Mapping[str, pl.DataType]) -> None:
        self.dtypes = dtypes
        self.columns: dict[str, Column] = {}
        self.names: dict[Key, str] = {}
        self.constants: dict[Key, pl.Expr] = {}
        self.shapes: dict[int, tuple[n.Node, Key]] = {}
        self.enums: dict[str, tuple[list[str], pl.DataType]] = {}  # categories, code type

    def _column(self, key: Key, build: Callable[[], pl.Expr]) -> pl.Expr:
        """The column for ``key``, built (once) by ``build``.

        An expression that reads no column (``0 + 0``, ``true``) stays an inline
        literal: constant parts fold into the expressions that use them rather
        than becoming columns of their own.
        """
        name = self.names.get(key)
        if name is None:
            constant = self.constants.get(key)
            if constant is not None:
                return constant
            expr = build()
            if not expr.meta.root_names():
                self.constants[key] = expr
                return expr
            name = self.register(expr)
            self.names[key] = name
        return pl.col(name)

    def register(self, expr: pl.Expr) -> str:
        """Make ``expr`` a computed column; its name."""
        if expr.meta.is_column():
            return expr.meta.output_name()
        deps = tuple(r for r in expr.meta.root_names() if r in self.columns)
        stage = max((self.columns[d].stage + 1 for d in deps), default=0)
        name = f"_e{len(self.columns)}"
        self.columns[name] = Column(expr.alias(name), stage, deps)
        return name

    # -- values (numbers, text, and conditions read as values) -----------
    def value(self, node: n.Node) -> pl.Expr:
        """The node's value; null where unknown."""
        if isinstance(node, n.Const):
            return _literal(node.value)
        if isinstance(node, n.Attr):
            return pl.col(node.name)
        return self._column(("value", shape(node, self.shapes)), lambda: self._value(node))

    def _value(self, node: n.Node) -> pl.Expr:
        if isinstance(node, _CONDITIONS):  # a condition used as a value: `(a > 1) = b`
            is_true, is_false = self.truth(node, True), self.truth(node, False)
            return pl.when(is_true).then(True).when(is_false).then(False)
        return _number(node, [self.value(c) for c in n.children(node)])

    # -- conditions as two null-free masks -------------------------------
    def truth(self, node: n.Node, want: bool) -> pl.Expr:
        """Null-free Boolean column, true exactly where the condition's value is ``want``."""
        if isinstance(node, n.Not):
            return self.truth(node.operand, not want)
        return self._column(
            ("truth", want, shape(node, self.shapes)), lambda: self._truth(node, want)
        )

    def _truth(self, node: n.Node, want: bool) -> pl.Expr:
        if isinstance(node, n.Const):
            if not isinstance(node.value, bool):
                raise TypeError(f"condition expected, got {node.value!r}")
            return pl.lit(node.value == want, dtype=pl.Boolean)
        if isinstance(node, n.And | n.Or):
            parts = [self.truth(item, want) for item in node.items]
            # and: true where all are true, false where any is false; or: the dual
            every = isinstance(node, n.And) == want
            return pl.all_horizontal(parts) if every else pl.any_horizontal(parts)
        if isinstance(node, n.IsNull):  # never unknown
            unknown = self._unknown(node.operand)
            return unknown if want else ~unknown
        if isinstance(node, n.Between):  # exactly `low <= x and x <= high`
            low = n.Compare(node.start, node.end, "<=", node.low, node.operand)
            high = n.Compare(node.start, node.end, "<=", node.operand, node.high)
            return self._truth(n.And(node.start, node.end, (low, high)), want)
        coded = self._coded(node)
        if coded is not None:
            attr, hits, value = coded
            if want != value:  # a known value is one of the categories
                hits = frozenset(range(len(self._codes_of(attr)[0]))) - hits
            return self._code_test(attr, hits)
        # eq_missing: unknown → false, and a bare bitmap (module docstring)
        return self._three_valued(node).eq_missing(want)

    def _unknown(self, node: n.Node) -> pl.Expr:
        if isinstance(node, _CONDITIONS):
            return ~(self.truth(node, True) | self.truth(node, False))
        return self.value(node).is_null()

    def _three_valued(self, node: n.Node) -> pl.Expr:
        """A leaf condition as a nullable Boolean expression (the general case)."""
        if isinstance(node, n.Attr):
            return pl.col(node.name)
        if isinstance(node, n.Compare):
            return self._compare(node, self.value(node.left), self.value(node.right))
        if isinstance(node, n.InSet):
            return self._member(node.operand, self.value(node.operand), list(node.values))
        if isinstance(node, n.StartsWith):
            return self._starts(node, self.value(node.operand))
        raise TypeError(f"unknown node {node!r}")

    # -- Enum text: tests on the integer codes -------------------------------
    def _enum(self, node: n.Node) -> pl.Enum | None:
        if isinstance(node, n.Attr):
            dtype = self.dtypes.get(node.name)
            if isinstance(dtype, pl.Enum):
                return dtype
        return None

    def _coded(self, node: n.Node) -> tuple[str, frozenset[int], bool] | None:
        """(Enum attribute, codes, b): the condition is b exactly for those codes.

        It is ``not b`` for every other category, unknown where the value is missing.
        """
        operand: n.Node
        if isinstance(node, n.InSet | n.StartsWith):
            operand = node.operand
        elif (
            isinstance(node, n.Compare)
            and node.op in ("=", "!=")
            and isinstance(node.right, n.Const)
            and isinstance(node.right.value, str)
        ):
            operand = node.left
        else:
            return None
        if self._enum(operand) is None:
            return None
        assert isinstance(operand, n.Attr)
        categories, _ = self._codes_of(operand.name)
        if isinstance(node, n.InSet):
            wanted = set(node.values)
            return operand.name, _codes(categories, lambda c: c in wanted), True
        if isinstance(node, n.StartsWith):
            prefixes = node.prefixes
            return operand.name, _codes(categories, lambda c: c.startswith(prefixes)), True
        assert isinstance(node, n.Compare) and isinstance(node.right, n.Const)
        text = node.right.value
        return operand.name, _codes(categories, lambda c: c == text), node.op == "="

    def _codes_of(self, attr: str) -> tuple[list[str], pl.DataType]:
        """An Enum attribute's categories and the integer type of its codes."""
        hit = self.enums.get(attr)
        if hit is None:
            enum = self.dtypes[attr]
            assert isinstance(enum, pl.Enum)
            # UInt8 up to 255 categories, then wider
            hit = enum.categories.to_list(), pl.Series([], dtype=enum).to_physical().dtype
            self.enums[attr] = hit
        return hit

    def _code_test(self, attr: str, hits: frozenset[int]) -> pl.Expr:
        """Null-free test: the value's code is one of ``hits`` (false where missing)."""
        categories, code_type = self._codes_of(attr)
        codes = sorted(hits)
        if not codes:
            return pl.lit(False, dtype=pl.Boolean)
        if len(codes) == len(categories):
            return pl.col(attr).is_not_null()
        col = pl.col(attr).to_physical()  # null where missing
        last = len(categories) - 1

        def run(lo: int, hi: int) -> pl.Expr:
            # eq_missing: false where missing, and a bare bitmap (module docstring)
            if lo == hi:
                return col.eq_missing(lo)
            if lo == 0:
                return (col <= hi).eq_missing(True)
            if hi == last:
                return (col >= lo).eq_missing(True)
            return (col >= lo).eq_missing(True) & (col <= hi).eq_missing(True)

        tests = [run(lo, hi) for lo, hi in _runs(codes)]
        if len(tests) > 4:
            return col.is_in(pl.Series(codes, dtype=code_type).implode()).eq_missing(True)
        return tests[0] if len(tests) == 1 else pl.any_horizontal(tests)

    # -- the general (nullable) leaf tests -----------------------------------
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
        # (Enum columns never get here: _coded decides them per category)
        x = x.cast(pl.String)
        tests = [x.str.starts_with(p) for p in node.prefixes]
        return pl.any_horizontal(tests) if len(tests) > 1 else tests[0]


def _codes(categories: list[str], test: Callable[[str], bool]) -> frozenset[int]:
    return frozenset(i for i, c in enumerate(categories) if test(c))


def _runs(codes: list[int]) -> list[tuple[int, int]]:
    """Sorted codes as maximal runs of consecutive integers, (first, last)."""
    runs: list[tuple[int, int]] = []
    for c in codes:
        if runs and runs[-1][1] == c - 1:
            runs[-1] = (runs[-1][0], c)
        else:
            runs.append((c, c))
    return runs


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


def _number(node: n.Node, e: list[pl.Expr]) -> pl.Expr:
    """A number node over its children's expressions ``e``."""
    if isinstance(node, n.Neg):
        return -e[0]
    if isinstance(node, n.Arith):
        return _arith(node, e[0], e[1])
    if isinstance(node, n.Call):
        if node.func == "abs":
            return e[0].abs()
        acc = e[0]
        for x in e[1:]:
            acc = _min(acc, x) if node.func == "min" else _max(acc, x)
        return acc
    raise TypeError(f"number expected, got {node!r}")


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


def formula_expr(node: n.Node, column: Callable[[str], pl.Expr]) -> pl.Expr:
    """A number formula, its attributes read through ``column`` (e.g. gathered rows)."""
    if isinstance(node, n.Const):
        return _literal(node.value)
    if isinstance(node, n.Attr):
        return column(node.name)
    return _number(node, [formula_expr(c, column) for c in n.children(node)])


def _is_scalar(node: n.Node) -> bool:
    """Whether the formula's value is the same for every row (``formula_expr`` is a literal)."""
    if isinstance(node, n.Const):
        return True
    if isinstance(node, n.Attr):
        return False
    if isinstance(node, n.Arith) and node.op == "/" and isinstance(node.right, n.Const):
        return node.right.value == 0 or _is_scalar(node.left)
    return all(_is_scalar(c) for c in n.children(node))


def benefit_amounts(lf: pl.LazyFrame, formula: n.Node, cap: float | None) -> pl.LazyFrame:
    """The one column ``v``: ``apply_cap(formula)`` for each row of ``lf``; null stays null."""
    v = pl.col("v")
    lf = lf.select(formula_expr(formula, pl.col).alias("v"))
    lf = lf.select(pl.when(v < 0).then(0.0).otherwise(v).alias("v"))  # negative → 0
    if cap is not None:
        lf = lf.select(pl.when(v > cap).then(cap).otherwise(v).alias("v"))
    return lf


#: a clause's money: a fixed amount (already capped; None: unknown) or a formula
Amount = float | None | n.Node


class Plan:
    """Clauses compiled for one table layout (its dtypes).

    ``eligible[k]`` names the column true exactly where clause k's rule is
    true; ``ineligible[k]`` (compiled on first use) where it is false.
    ``amounts[k]`` is a fixed amount (already capped; None: unknown) or the
    formula to evaluate on the eligible rows.
    """

    __slots__ = ("_compiler", "_ineligible", "amounts", "clauses", "eligible")

    def __init__(self, clauses: Sequence[Clause], dtypes: Mapping[str, pl.DataType]) -> None:
        self._compiler = _Compiler(dtypes)
        self.clauses = tuple(clauses)
        comp = self._compiler
        self.eligible = tuple(comp.register(comp.truth(c.rule.node, True)) for c in clauses)
        self._ineligible: tuple[str, ...] | None = None
        self.amounts = tuple(_amount(c) for c in clauses)

    @property
    def ineligible(self) -> tuple[str, ...]:
        if self._ineligible is None:
            comp = self._compiler
            self._ineligible = tuple(
                comp.register(comp.truth(c.rule.node, False)) for c in self.clauses
            )
        return self._ineligible

    @property
    def columns(self) -> Mapping[str, Column]:
        """Every computed column so far, in the order compiled."""
        return self._compiler.columns

    def needed(self, outputs: Iterable[str]) -> set[str]:
        """The computed columns ``outputs`` read, directly or not, and themselves."""
        seen: set[str] = set()
        stack = list(outputs)
        while stack:
            name = stack.pop()
            if name not in seen:
                seen.add(name)
                stack.extend(self.columns[name].deps)
        return seen

    def staged(self, lf: pl.LazyFrame, outputs: Iterable[str]) -> pl.LazyFrame:
        """``lf`` with the columns ``outputs`` need, one ``with_columns`` per stage."""
        need = self.needed(outputs)
        stages: dict[int, list[pl.Expr]] = {}
        for name, col in self.columns.items():
            if name in need:
                stages.setdefault(col.stage, []).append(col.expr)
        for stage in sorted(stages):
            lf = lf.with_columns(stages[stage])
        return lf

    @property
    def distinct_columns(self) -> int:
        """Computed columns that eligibility needs."""
        return len(self.needed(self.eligible))


def compile_plan(clauses: Sequence[Clause], dtypes: Mapping[str, pl.DataType]) -> Plan:
    return Plan(clauses, dtypes)


def _amount(clause: Clause) -> Amount:
    if clause.formula is None:
        return 0.0  # no money attached
    node = clause.formula.node
    if isinstance(node, n.Const):
        return apply_cap(float(node.value), clause.cap)
    if _is_scalar(node):  # the same for every row, e.g. 1万 * 15: fold it now
        fixed = pl.select(formula_expr(node, pl.col)).item()
        return apply_cap(None if fixed is None else float(fixed), clause.cap)
    return node


NO_CSE = pl.QueryOptFlags(comm_subexpr_elim=False)  # the plan is already hash-consed


def truth_table(frame: pl.DataFrame, plan: Plan) -> pl.DataFrame:
    """Dense true/false/null per row × clause (tests, small tables)."""
    out = [
        pl.when(pl.col(t)).then(True).when(pl.col(f)).then(False).alias(f"c{k}")
        for k, (t, f) in enumerate(zip(plan.eligible, plan.ineligible, strict=True))
    ]
    lf = plan.staged(frame.lazy(), [*plan.eligible, *plan.ineligible])
    return lf.select(out).collect(optimizations=NO_CSE)
