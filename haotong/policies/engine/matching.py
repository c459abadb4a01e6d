"""Full and incremental matching: which enterprises qualify for which clauses.

``match_all`` runs every clause over the columnar table (vectorised engine) and
returns a sparse result. ``match_one`` refreshes one enterprise after its
attributes changed, with the reference interpreter; both are tested equal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from . import nodes as n
from .clauses import Clause, evaluate_clause
from .interpreter import Truth, normalise_record
from .schema import ENTERPRISE_SCHEMA, Schema
from .vector import NO_CSE, ROW, Plan, benefit_amounts, compile_plan, shape


@dataclass(frozen=True, slots=True)
class MatchResult:
    """Sparse result: for clause k, ``indices[k]`` (row numbers) and ``benefits[k]``.

    ``benefits[k][j]`` is the amount for enterprise ``indices[k][j]``; null
    where the formula is unknown for that enterprise. ``unknown[k]`` (when
    asked for) lists rows whose eligibility is unknown for lack of data.
    """

    clause_keys: tuple[str, ...]
    indices: tuple[pl.Series, ...]
    benefits: tuple[pl.Series, ...]
    unknown: tuple[pl.Series, ...] | None = None

    @property
    def pairs(self) -> int:
        return sum(len(s) for s in self.indices)

    def to_frame(self) -> pl.DataFrame:
        """Long form: one row per eligible (enterprise, clause) with its benefit."""
        schema = {"enterprise": pl.UInt32, "clause": pl.UInt32, "benefit": pl.Float64}
        parts = [
            pl.DataFrame({"enterprise": idx, "benefit": ben}).select(
                pl.col("enterprise").cast(pl.UInt32),
                pl.lit(k, dtype=pl.UInt32).alias("clause"),
                pl.col("benefit").cast(pl.Float64),
            )
            for k, (idx, ben) in enumerate(zip(self.indices, self.benefits, strict=True))
        ]
        return pl.concat(parts) if parts else pl.DataFrame(schema=schema)


def match_all(frame: pl.DataFrame, plan: Plan, *, with_unknown: bool = False) -> MatchResult:
    """Eligibility of every row × clause plus the benefit of each eligible pair.

    Two queries: the staged plan gives each clause's eligible row numbers (and
    unknown ones when asked); then each benefit formula runs on its clause's
    eligible rows only.
    """
    row = pl.col(ROW)
    out = [row.filter(pl.col(t)).implode().alias(f"i{k}") for k, t in enumerate(plan.eligible)]
    outputs = list(plan.eligible)
    if with_unknown:  # neither true nor false
        out += [
            row.filter(~(pl.col(t) | pl.col(f))).implode().alias(f"u{k}")
            for k, (t, f) in enumerate(zip(plan.eligible, plan.ineligible, strict=True))
        ]
        outputs += plan.ineligible
    lf = plan.staged(frame.lazy().with_row_index(ROW), outputs)
    # Polars' default (streaming) engine: the in-memory one was 5–10 % faster but
    # keeps an all-null when/then column as a one-row scalar, then refuses the
    # expressions built on it (Polars 2.1; found by the property tests)
    res = lf.select(out).collect(optimizations=NO_CSE)

    def cell(name: str) -> pl.Series:
        return res.get_column(name)[0]  # type: ignore[no-any-return]

    indices = tuple(cell(f"i{k}") for k in range(len(plan.clauses)))
    benefits = _benefits(frame, plan, indices)
    unknown = tuple(cell(f"u{k}") for k in range(len(plan.clauses))) if with_unknown else None
    return MatchResult(tuple(c.key for c in plan.clauses), indices, benefits, unknown)


def _benefits(
    frame: pl.DataFrame, plan: Plan, indices: tuple[pl.Series, ...]
) -> tuple[pl.Series, ...]:
    """Each clause's amounts for its eligible rows: formulas evaluated on those rows only.

    Clauses with the same formula and cap are evaluated together, on their
    eligible rows gathered one after another.
    """
    groups: dict[tuple[object, ...], list[int]] = {}
    for k, amount in enumerate(plan.amounts):
        if isinstance(amount, n.Node) and len(indices[k]):
            groups.setdefault((shape(amount), plan.clauses[k].cap), []).append(k)
    # fixed amounts (already capped; None: unknown), or 0 without money: slices of
    # one constant column per amount
    longest: dict[float | None, int] = {}
    for amount, idx in zip(plan.amounts, indices, strict=True):
        if not isinstance(amount, n.Node):
            longest[amount] = max(longest.get(amount, 0), len(idx))
    constant = {a: pl.repeat(a, m, dtype=pl.Float64, eager=True) for a, m in longest.items()}
    out: list[pl.Series] = []
    for amount, idx in zip(plan.amounts, indices, strict=True):
        if isinstance(amount, n.Node):  # filled in below
            out.append(pl.Series([], dtype=pl.Float64))
        else:
            out.append(constant[amount].slice(0, len(idx)))
    for ks in groups.values():
        node = plan.amounts[ks[0]]
        assert isinstance(node, n.Node)
        rows = pl.concat([indices[k] for k in ks])
        gathered = frame.select(pl.col(sorted(n.attributes_used(node))).gather(rows))
        values = benefit_amounts(gathered.lazy(), node, plan.clauses[ks[0]].cap)
        column, offset = values.collect().to_series(), 0
        for k in ks:
            out[k] = column.slice(offset, len(indices[k]))
            offset += len(indices[k])
    return tuple(out)


def match(
    frame: pl.DataFrame, clauses: Sequence[Clause], *, with_unknown: bool = False
) -> MatchResult:
    """Compile for this frame's layout and run (convenience for one-off runs)."""
    return match_all(frame, compile_plan(clauses, frame.schema), with_unknown=with_unknown)


@dataclass(frozen=True, slots=True)
class OneMatch:
    clause_index: int
    eligible: Truth
    benefit: float | None


def match_one(
    record: Mapping[str, object], clauses: Sequence[Clause], schema: Schema = ENTERPRISE_SCHEMA
) -> list[OneMatch]:
    """One enterprise against every clause: eligibility (true/false/unknown) and benefit."""
    values = normalise_record(record, schema)
    out = []
    for k, clause in enumerate(clauses):
        t, benefit = evaluate_clause(clause, values)
        out.append(OneMatch(k, t, benefit))
    return out
