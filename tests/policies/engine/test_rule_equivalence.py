"""Property tests: the vectorised engine equals the reference interpreter.

Random enterprises (missing values, zeros that make divisions unknown, empty
text) and random rules written as source text, parsed, then evaluated by both
engines — on plain String columns and on the prepared Enum layout.
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haotong.policies.engine.clauses import evaluate_clause, make_clause
from haotong.policies.engine.interpreter import normalise_record, truth
from haotong.policies.engine.matching import match, match_one
from haotong.policies.engine.parser import parse_rule
from haotong.policies.engine.schema import ENTERPRISE_SCHEMA
from haotong.policies.engine.vector import compile_plan, prepare, table, truth_table

NUMBERS = ENTERPRISE_SCHEMA.of_type("number")
TEXTS = ("industry_code", "town", "size_class")
BOOLS = ENTERPRISE_SCHEMA.of_type("bool")
TEXT_VALUES = ("C3982", "C39", "C3", "C", "I6510", "五接镇", "兴仁镇", "small", "micro", "")

number_value = st.one_of(
    st.none(),
    st.sampled_from([0.0, -0.0, 1.0, 2.5, 3.0, -3.0, 100.0, 1e6]),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 2)),
    st.integers(min_value=-5, max_value=500),
)
record = st.fixed_dictionaries(
    {
        **{name: number_value for name in NUMBERS},
        **{name: st.one_of(st.none(), st.sampled_from(TEXT_VALUES)) for name in TEXTS},
        **{name: st.one_of(st.none(), st.booleans()) for name in BOOLS},
    }
)
constant = st.sampled_from(["0", "1", "2.5", "3", "100", "1万", "0.5"])


@st.composite
def number_expr(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.integers(0, 5 if depth < 2 else 1))
    if kind == 0:
        return draw(st.sampled_from(NUMBERS))
    if kind == 1:
        return draw(constant)
    if kind in (2, 3):
        op = draw(st.sampled_from(["+", "-", "*", "/", "/"]))
        return f"({draw(number_expr(depth + 1))} {op} {draw(number_expr(depth + 1))})"
    if kind == 4:
        func = draw(st.sampled_from(["min", "max"]))
        return f"{func}({draw(number_expr(depth + 1))}, {draw(number_expr(depth + 1))})"
    return f"-abs({draw(number_expr(depth + 1))})"


@st.composite
def condition(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.integers(0, 9 if depth < 3 else 6))
    if kind == 0:
        op = draw(st.sampled_from(["=", "!=", "<", "<=", ">", ">="]))
        return f"{draw(number_expr())} {op} {draw(number_expr())}"
    if kind == 1:
        return f"{draw(number_expr())} between {draw(number_expr())} and {draw(number_expr())}"
    if kind == 2:
        attr = draw(st.sampled_from(TEXTS))
        values = draw(
            st.lists(st.sampled_from([v for v in TEXT_VALUES if v]), min_size=1, max_size=3)
        )
        op = draw(st.sampled_from(["in", "not in", "startswith", "not startswith"]))
        return f"{attr} {op} (" + ", ".join(f"'{v}'" for v in values) + ")"
    if kind == 3:
        attr = draw(st.sampled_from(TEXTS))
        other = draw(st.sampled_from([f"'{v}'" for v in TEXT_VALUES if v] + list(TEXTS)))
        return f"{attr} {draw(st.sampled_from(['=', '!=']))} {other}"
    if kind == 4:
        name = draw(st.sampled_from(BOOLS))
        return draw(st.sampled_from([name, f"{name} = true", f"{name} != false", "true", "false"]))
    if kind == 5:
        values = draw(st.lists(constant, min_size=1, max_size=3))
        return f"{draw(st.sampled_from(NUMBERS))} in ({', '.join(values)})"
    if kind == 6:
        target = draw(st.one_of(number_expr(), st.sampled_from(TEXTS + BOOLS)))
        return f"{target} is {draw(st.sampled_from(['', 'not ']))}null"
    if kind == 7:
        return f"not ({draw(condition(depth + 1))})"
    word = "and" if kind == 8 else "or"
    items = draw(st.lists(condition(depth + 1), min_size=2, max_size=4))
    return "(" + f" {word} ".join(items) + ")"


formula = st.one_of(st.none(), number_expr(), constant)
cap = st.one_of(st.none(), st.sampled_from([0.0, 50.0, 1e4]))
clause_spec = st.tuples(condition(), formula, cap)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _frames(records: list[dict[str, Any]]) -> list[pl.DataFrame]:
    plain = table(records)
    return [plain, prepare(plain)]


@SETTINGS
@given(st.lists(condition(), min_size=1, max_size=4), st.lists(record, min_size=1, max_size=12))
def test_truth_table_equals_interpreter(sources: list[str], records: list[dict[str, Any]]) -> None:
    clauses = [make_clause(f"k{i}", s) for i, s in enumerate(sources)]
    expected = [[truth(c.rule, normalise_record(r)) for c in clauses] for r in records]
    for frame in _frames(records):
        got = truth_table(frame, compile_plan(clauses, frame.schema)).rows()
        assert [list(row) for row in got] == expected, (sources, frame.schema)


@SETTINGS
@given(st.lists(clause_spec, min_size=1, max_size=4), st.lists(record, min_size=1, max_size=12))
def test_sparse_match_and_benefits_equal_interpreter(
    specs: list[tuple[str, str | None, float | None]], records: list[dict[str, Any]]
) -> None:
    clauses = [
        make_clause(f"k{i}", rule, formula, cap) for i, (rule, formula, cap) in enumerate(specs)
    ]
    expected: dict[tuple[int, int], float | None] = {}
    unknown = set()
    for row, rec in enumerate(records):
        for k, c in enumerate(clauses):
            t, benefit = evaluate_clause(c, normalise_record(rec))
            if t is True:
                expected[(row, k)] = benefit
            elif t is None:
                unknown.add((row, k))
        assert [(m.eligible, m.benefit) for m in match_one(rec, clauses)] == [
            evaluate_clause(c, normalise_record(rec)) for c in clauses
        ]
    for frame in _frames(records):
        result = match(frame, clauses, with_unknown=True)
        got = {(e, k): b for e, k, b in result.to_frame().iter_rows()}
        assert got.keys() == expected.keys(), specs
        # Money: the engines may differ in the last float bit (Polars vs Python
        # evaluation order), never by anything a yuan amount could show.
        for key, value in got.items():
            want = expected[key]
            assert (value is None) == (want is None), (specs, key)
            if value is not None and want is not None:
                assert math.isclose(value, want, rel_tol=1e-12, abs_tol=1e-9), (
                    specs,
                    key,
                    value,
                    want,
                )
        assert result.unknown is not None
        assert {(int(i), k) for k, s in enumerate(result.unknown) for i in s} == unknown


def test_a_broken_engine_would_be_caught() -> None:
    """The comparison above is not vacuous: unknown and false really differ here."""
    records = [{"rd_ratio": None}, {"rd_ratio": 2.0}, {"rd_ratio": 5.0}]
    clause = make_clause("k", "not rd_ratio >= 3")
    rows = truth_table(table(records), compile_plan([clause], table(records).schema)).rows()
    assert [r[0] for r in rows] == [None, True, False]
    assert [truth(parse_rule("not rd_ratio >= 3"), normalise_record(r)) for r in records] == [
        None,
        True,
        False,
    ]


def test_text_set_of_many_separate_codes_takes_the_set_path() -> None:
    # Every other town of twelve: six runs of codes, more than the four the run
    # comparisons handle, so the engine tests membership in the set instead.
    towns = [f"镇{i:02d}" for i in range(12)]
    records = [{"town": t} for t in towns] + [{"town": None}, {"town": "镇99"}]
    chosen = ", ".join(f"'{t}'" for t in towns[::2])
    clauses = [
        make_clause("k0", f"town in ({chosen})"),
        make_clause("k1", f"town not in ({chosen})"),
    ]
    expected = [[truth(c.rule, normalise_record(r)) for c in clauses] for r in records]
    frame = prepare(table(records))
    assert isinstance(frame.schema["town"], pl.Enum)  # the code path, not plain strings
    got = truth_table(frame, compile_plan(clauses, frame.schema)).rows()
    assert [list(row) for row in got] == expected
    assert sum(1 for row in expected if row[0] is True) == 6
