"""Matching runs: ledger enterprises → the engine's columnar table → stored,
sparse Eligibility rows (eligible and unknown pairs; ineligible pairs are not
stored). Pages read the stored rows; nothing re-runs the engine on a page view.

* ``run_match``          every enterprise × every clause (vectorised engine)
* ``refresh_clause``     every enterprise × one clause, after the clause changed
* ``refresh_enterprise`` one enterprise × every clause (engine's single-record
                         path), after the enterprise's attributes changed
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction

from haotong.core import audit
from haotong.core.models import User
from haotong.ledger.models import Enterprise, ledger_as_of
from haotong.policies.access import is_policy_staff
from haotong.policies.engine import clauses as engine_clauses
from haotong.policies.engine import explain as engine_explain
from haotong.policies.engine import vector
from haotong.policies.engine.matching import match, match_one
from haotong.policies.models import Clause, Eligibility, MatchRun

# Enterprise columns read for the table; the engine's attributes the ledger does
# not keep (output_yuan, is_startup, founder_is_returnee) stay null = unknown.
COLUMNS = (
    "id", "credit_code", "name", "industry_code", "town__name", "size_class", "founded",
    "employees", "revenue_yuan", "tax_yuan", "rd_expense_yuan", "rd_ratio", "land_mu",
    "is_high_tech", "is_specialized",
)  # fmt: skip
BATCH = 2000


def age_in_years(founded: date | None, as_of: date) -> int | None:
    """Whole years since founding, as of the ledger's date (成立年限)."""
    if founded is None:
        return None
    return as_of.year - founded.year - ((as_of.month, as_of.day) < (founded.month, founded.day))


def to_record(row: dict[str, Any], as_of: date) -> dict[str, object]:
    """One enterprise as the engine sees it (attribute names of engine/schema.py)."""
    record = {k: v for k, v in row.items() if k not in {"id", "town__name", "founded"}}
    record["town"] = row["town__name"]
    record["age_years"] = age_in_years(row["founded"], as_of)
    return record


def enterprise_record(enterprise: Enterprise, as_of: date | None = None) -> dict[str, object]:
    row = Enterprise.objects.filter(pk=enterprise.pk).values(*COLUMNS).get()
    return to_record(row, as_of or ledger_as_of())


def engine_clause(clause: Clause) -> engine_clauses.Clause:
    """Parse a stored clause (validated when saved) in the language version it was written in."""
    cap = None if clause.cap_yuan is None else float(clause.cap_yuan)
    return _parsed(
        str(clause.pk), clause.rule, clause.benefit_formula, cap, clause.language_version
    )


@functools.lru_cache(maxsize=4096)
def _parsed(
    key: str, rule: str, formula: str, cap: float | None, version: int
) -> engine_clauses.Clause:
    # keyed on the text itself, so an edited clause is parsed afresh
    return engine_clauses.make_clause(key, rule, formula or None, cap, version=version)


def explain(clause: Clause, enterprise: Enterprise) -> engine_explain.Explanation:
    return engine_explain.explain(engine_clause(clause), enterprise_record(enterprise))


def _yuan(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(f"{value:.2f}")


def _check(actor: User | None) -> None:
    if actor is not None and not is_policy_staff(actor):
        raise PermissionDenied("只有发改委政策专员或管理员可以运行政策匹配")


Row = tuple[int, int, str, Decimal | None, int]  # enterprise, clause, status, benefit, version


def _insert(run: MatchRun, rows: list[Row]) -> None:
    """Plain executemany: the ORM's per-object work took 90 % of a full run's time."""
    table = Eligibility._meta.db_table
    sql = (
        f"INSERT INTO {table} (enterprise_id, clause_id, status, benefit_yuan, clause_version,"
        " run_id) VALUES (%s, %s, %s, %s, %s, %s)"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, [(*r, run.pk) for r in rows[start : start + BATCH]])


def _finish(run: MatchRun, rows: list[Row], actor: User | None, source: str) -> MatchRun:
    _insert(run, rows)
    run.eligible = sum(r[2] == Eligibility.Status.ELIGIBLE for r in rows)
    run.unknown = len(rows) - run.eligible
    run.save(update_fields=["eligible", "unknown"])
    audit.record(actor=actor, action=f"match:{run.kind}", obj=run, before=None,
                 after={"enterprises": run.enterprises, "clauses": run.clauses,
                        "eligible": run.eligible, "unknown": run.unknown},
                 source=source)  # fmt: skip
    return run


def _match_table(
    clauses: Sequence[Clause], kind: str, actor: User | None
) -> tuple[MatchRun, list[Row]]:
    as_of = ledger_as_of()
    rows = list(Enterprise.objects.order_by("id").values(*COLUMNS))
    ids = [r["id"] for r in rows]
    parsed = [engine_clause(c) for c in clauses]
    started = time.perf_counter()
    frame = vector.prepare(vector.table(to_record(r, as_of) for r in rows))
    result = match(frame, parsed, with_unknown=True)
    elapsed = (time.perf_counter() - started) * 1000
    run = MatchRun.objects.create(kind=kind, as_of=as_of, enterprises=len(ids),
                                  clauses=len(clauses), engine_ms=elapsed, actor=actor)  # fmt: skip
    assert result.unknown is not None
    out: list[Row] = []
    for k, clause in enumerate(clauses):
        benefits = result.benefits[k].to_list()
        for j, row in enumerate(result.indices[k].to_list()):
            out.append(_row(ids[row], clause, "eligible", _yuan(benefits[j])))
        out.extend(_row(ids[row], clause, "unknown", None) for row in result.unknown[k])
    return run, out


def _row(enterprise_id: int, clause: Clause, status: str, benefit: Decimal | None) -> Row:
    return (enterprise_id, clause.pk, status, benefit, clause.version)


@transaction.atomic
def run_match(*, actor: User | None, source: str = "system") -> MatchRun:
    """Every enterprise × every clause; replaces all stored results."""
    _check(actor)
    clauses = list(Clause.objects.order_by("id"))
    run, rows = _match_table(clauses, MatchRun.Kind.FULL, actor)
    Eligibility.objects.all().delete()
    return _finish(run, rows, actor, source)


@transaction.atomic
def refresh_clause(*, actor: User | None, clause: Clause, source: str = "system") -> MatchRun:
    """Every enterprise × one clause (after the clause's rule or benefit changed)."""
    run, rows = _match_table([clause], MatchRun.Kind.CLAUSE, actor)
    Eligibility.objects.filter(clause=clause).delete()
    return _finish(run, rows, actor, source)


@transaction.atomic
def refresh_enterprise(
    *, actor: User | None, enterprise: Enterprise, source: str = "system"
) -> MatchRun:
    """One enterprise × every clause, through the engine's single-record path."""
    clauses = list(Clause.objects.order_by("id"))
    as_of = ledger_as_of()
    record = enterprise_record(enterprise, as_of)
    started = time.perf_counter()
    results = match_one(record, [engine_clause(c) for c in clauses])
    elapsed = (time.perf_counter() - started) * 1000
    run = MatchRun.objects.create(kind=MatchRun.Kind.ENTERPRISE, as_of=as_of, enterprises=1,
                                  clauses=len(clauses), engine_ms=elapsed, actor=actor)  # fmt: skip
    rows = [
        _row(enterprise.pk, clauses[m.clause_index], _status(m.eligible), _yuan(m.benefit))
        for m in results
        if m.eligible is not False
    ]
    Eligibility.objects.filter(enterprise=enterprise).delete()
    return _finish(run, rows, actor, source)


def _status(truth: bool | None) -> str:
    return Eligibility.Status.ELIGIBLE if truth else Eligibility.Status.UNKNOWN


def stored_pairs(rows: Iterable[Eligibility]) -> set[tuple[int, int, str, Decimal | None]]:
    """Comparable form of stored rows (tests, checks)."""
    return {(r.enterprise_id, r.clause_id, r.status, r.benefit_yuan) for r in rows}
