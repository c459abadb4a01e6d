"""A clause as the engines see it: key, eligibility rule and benefit.

Benefit semantics (LANGUAGE.md §6): the formula's value for an eligible
enterprise, negative values become 0, then the cap applies; an unknown value
(missing data, division by zero) stays unknown — never a guessed amount.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .interpreter import Truth, Value, evaluate, truth
from .lexer import RuleError
from .parser import LANGUAGE_VERSION, Expression, parse_formula, parse_rule
from .schema import ENTERPRISE_SCHEMA, Schema


@dataclass(frozen=True, slots=True)
class Clause:
    key: str
    rule: Expression
    formula: Expression | None = None  # None: no money attached (a qualification)
    cap: float | None = None

    def attributes(self) -> set[str]:
        used = self.rule.attributes()
        if self.formula is not None:
            used |= self.formula.attributes()
        return used


def make_clause(
    key: str,
    rule: str,
    benefit: str | None = None,
    cap: float | None = None,
    *,
    schema: Schema = ENTERPRISE_SCHEMA,
    version: int = LANGUAGE_VERSION,
) -> Clause:
    """Parse and check a clause; ``RuleError`` names the bad part of rule or formula."""
    if cap is not None and not cap >= 0:
        raise RuleError(0, str(cap), f"封顶金额「{cap}」必须是不小于 0 的数字")
    parsed_rule = parse_rule(rule, schema=schema, version=version)
    formula = None
    if benefit is not None and benefit.strip():
        try:
            formula = parse_formula(benefit, schema=schema, version=version)
        except RuleError as err:
            raise RuleError(err.position - 1, err.fragment, f"金额公式{err.problem}") from None
    return Clause(key, parsed_rule, formula, None if cap is None else float(cap))


def apply_cap(value: Value, cap: float | None) -> float | None:
    """Clamp a formula value to [0, cap]; unknown stays unknown."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, float):
        raise TypeError(f"number expected, got {value!r}")
    amount = 0.0 if value < 0 else value
    if cap is not None and amount > cap:
        amount = cap
    return amount


def benefit_of(clause: Clause, record: Mapping[str, Value]) -> float | None:
    """Benefit for an enterprise already known to be eligible (normalised record)."""
    if clause.formula is None:
        return 0.0
    return apply_cap(evaluate(clause.formula.node, record), clause.cap)


def evaluate_clause(clause: Clause, record: Mapping[str, Value]) -> tuple[Truth, float | None]:
    """(eligibility, benefit) for one normalised record; benefit only when eligible."""
    t = truth(clause.rule, record)
    return t, (benefit_of(clause, record) if t is True else None)
