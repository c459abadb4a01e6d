"""The review's rules, evaluated (pure: no Django).

Three rules live as data in a ``ReviewPolicy`` version and are evaluated here:
which projects need a review before signing (thresholds), whether a score fits
its criterion (range), and what verdict the opinions give (weighted average
against two thresholds, and any one-vote veto → 不通过). Nothing here executes
stored text; every rule is a handful of numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from haotong.core.amounts import format_yuan

PASSED = "passed"
CONDITIONAL = "conditional"
REJECTED = "rejected"
VERDICT_LABELS: dict[str, str] = {PASSED: "通过", CONDITIONAL: "有条件通过", REJECTED: "不通过"}
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Thresholds:
    """Which projects need a review: total investment ≥ ``min_investment_yuan``, or
    industry in one of ``manufacturing_sections`` with investment ≥ ``manufacturing_min_yuan``."""

    min_investment_yuan: Decimal
    manufacturing_min_yuan: Decimal
    manufacturing_sections: tuple[str, ...] = ("C",)


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    name: str
    min_score: Decimal
    max_score: Decimal
    weight: Decimal
    veto: bool = False
    # With ``veto``: a score below this line from any department is a one-vote veto.
    veto_below: Decimal | None = None


@dataclass(frozen=True)
class VerdictRule:
    """Weighted average on a 0–100 scale: ≥ pass_score → 通过 (有条件通过 if any
    department set conditions); ≥ conditional_score → 有条件通过; below → 不通过."""

    pass_score: Decimal
    conditional_score: Decimal


@dataclass(frozen=True)
class OpinionInput:
    department: str
    scores: Mapping[str, Decimal]
    has_conditions: bool = False


@dataclass(frozen=True)
class Outcome:
    verdict: str
    score: Decimal
    vetoes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.verdict]


def review_reason(
    thresholds: Thresholds, *, investment_yuan: Decimal | None, industry_code: str
) -> str | None:
    """Why a project needs a review before signing, in the words of the refusal; None if
    it does not. An undisclosed amount meets no threshold (it cannot be judged)."""
    if investment_yuan is None:
        return None
    if investment_yuan >= thresholds.min_investment_yuan:
        return f"总投资≥{format_yuan(thresholds.min_investment_yuan)}"
    section = industry_code[:1].upper()
    if section in thresholds.manufacturing_sections and (
        investment_yuan >= thresholds.manufacturing_min_yuan
    ):
        return f"属制造业且总投资≥{format_yuan(thresholds.manufacturing_min_yuan)}"
    return None


def check_policy(
    thresholds: Thresholds, rule: VerdictRule, criteria: Sequence[CriterionSpec]
) -> list[str]:
    """Every reason the policy is unusable, in Chinese; empty when it is sound."""
    errors: list[str] = []
    if thresholds.min_investment_yuan <= 0 or thresholds.manufacturing_min_yuan <= 0:
        errors.append("研判门槛金额必须大于0")
    if not 0 <= rule.conditional_score <= rule.pass_score <= HUNDRED:
        errors.append("结论规则须满足 0 ≤ 有条件通过分 ≤ 通过分 ≤ 100")
    if not criteria:
        errors.append("评分细则至少要有一项")
    codes = [c.code for c in criteria]
    if len(set(codes)) != len(codes):
        errors.append("评分项代码不能重复")
    for c in criteria:
        errors.extend(_criterion_errors(c))
    return errors


def _criterion_errors(c: CriterionSpec) -> list[str]:
    errors = []
    if c.min_score >= c.max_score:
        errors.append(f"「{c.name}」的最低分须小于最高分")
    if c.weight <= 0:
        errors.append(f"「{c.name}」的权重须大于0")
    if c.veto and (c.veto_below is None or not c.min_score < c.veto_below <= c.max_score):
        errors.append(f"「{c.name}」是一票否决项，须设否决线（高于最低分、不高于最高分）")
    return errors


def score_errors(criteria: Sequence[CriterionSpec], scores: Mapping[str, Decimal]) -> list[str]:
    """A complete, in-range score for every criterion, and nothing else."""
    known = {c.code for c in criteria}
    errors = [f"未知评分项「{code}」" for code in scores if code not in known]
    for c in criteria:
        value = scores.get(c.code)
        if value is None:
            errors.append(f"「{c.name}」未评分")
        elif not c.min_score <= value <= c.max_score:
            errors.append(
                f"「{c.name}」的评分{_num(value)}超出范围（{_num(c.min_score)}–{_num(c.max_score)}）"
            )
    return errors


def weighted_score(criteria: Sequence[CriterionSpec], opinions: Sequence[OpinionInput]) -> Decimal:
    """Each score scaled to 0–100 within its range, weighted by criterion, averaged over
    departments; rounded to two decimals."""
    total_weight = sum((c.weight for c in criteria), Decimal(0))
    if not opinions or total_weight == 0:
        return Decimal(0)
    per_opinion = []
    for opinion in opinions:
        weighted = sum(
            (c.weight * _scaled(c, opinion.scores[c.code]) for c in criteria), Decimal(0)
        )
        per_opinion.append(weighted / total_weight)
    return (sum(per_opinion, Decimal(0)) / len(per_opinion)).quantize(Decimal("0.01"))


def vetoes(criteria: Sequence[CriterionSpec], opinions: Sequence[OpinionInput]) -> tuple[str, ...]:
    found = []
    for opinion in opinions:
        for c in criteria:
            if c.veto and c.veto_below is not None and opinion.scores[c.code] < c.veto_below:
                found.append(
                    f"{opinion.department}：{c.name}{_num(opinion.scores[c.code])}分，"
                    f"低于否决线{_num(c.veto_below)}分"
                )
    return tuple(found)


def decide(
    rule: VerdictRule, criteria: Sequence[CriterionSpec], opinions: Sequence[OpinionInput]
) -> Outcome:
    """The verdict the rule gives. Callers make sure every required opinion is in and
    every score passed ``score_errors``."""
    score = weighted_score(criteria, opinions)
    found = vetoes(criteria, opinions)
    if found or score < rule.conditional_score:
        return Outcome(REJECTED, score, found)
    if score < rule.pass_score or any(o.has_conditions for o in opinions):
        return Outcome(CONDITIONAL, score)
    return Outcome(PASSED, score)


def _scaled(c: CriterionSpec, value: Decimal) -> Decimal:
    return (value - c.min_score) * HUNDRED / (c.max_score - c.min_score)


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")
