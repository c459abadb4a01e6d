"""Full and incremental matching: which enterprises qualify for which clauses.

``match_all`` runs every clause over the columnar table (vectorised engine) and
returns a sparse result. ``match_one`` refreshes one enterprise after its
attributes changed, with the reference interpreter; both are tested equal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from .clauses import Clause, evaluate_clause
from .interpreter import Truth, normalise_record
from .schema import ENTERPRISE_SCHEMA, Schema
from .vector import NO_CSE, Plan, compile_plan, staged


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
    """Eligibility of every row × clause plus the benefit of each eligible pair."""
    row = pl.int_range(pl.len(), dtype=pl.UInt32)
    out: list[pl.Expr] = []
    for k, (clause, cond, amount) in enumerate(
        zip(plan.clauses, plan.conditions, plan.amounts, strict=True)
    ):
        out.append(row.filter(cond).implode().alias(f"i{k}"))
        if isinstance(amount, pl.Expr):
            value = amount.filter(cond)
            value = pl.when(value < 0).then(0.0).otherwise(value)
            if clause.cap is not None:
                value = pl.when(value > clause.cap).then(clause.cap).otherwise(value)
            out.append(value.implode().alias(f"b{k}"))
        if with_unknown:
            out.append(row.filter(cond.is_null()).implode().alias(f"u{k}"))
    res = staged(frame, plan).select(out).collect(optimizations=NO_CSE)

    def cell(name: str) -> pl.Series:
        return res.get_column(name)[0]  # type: ignore[no-any-return]

    indices = tuple(cell(f"i{k}") for k in range(len(plan.clauses)))
    benefits = []
    for k, (idx, amount) in enumerate(zip(indices, plan.amounts, strict=True)):
        if isinstance(amount, pl.Expr):
            benefits.append(cell(f"b{k}"))
        else:  # fixed amount (already capped) or no money attached
            benefits.append(pl.repeat(amount or 0.0, len(idx), dtype=pl.Float64, eager=True))
    unknown = tuple(cell(f"u{k}") for k in range(len(plan.clauses))) if with_unknown else None
    return MatchResult(tuple(c.key for c in plan.clauses), indices, tuple(benefits), unknown)


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
