"""The benchmark runs end to end on a small table and its engines agree."""

from __future__ import annotations

import json

import pytest

from haotong.policies.engine import bench, generate
from haotong.policies.engine.clauses import make_clause
from haotong.policies.engine.interpreter import normalise_record, truth


def test_bench_prints_json_last(capsys: pytest.CaptureFixture[str]) -> None:
    code = bench.main(
        [
            "--enterprises",
            "3000",
            "--clauses",
            "12",
            "--repeat",
            "2",
            "--sample",
            "300",
            "--peer-sample",
            "200",
            "--incremental",
            "50",
        ]
    )
    assert code == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    data = json.loads(last)
    for key in ("wall_s", "pairs_per_s", "peak_rss_mb", "interpreter_ratio", "peer_ratio", "peer"):
        assert key in data
    assert data["peer"] == "zen-engine"
    assert data["interpreter_agreement"]["missing"] == 0
    assert data["interpreter_agreement"]["extra"] == 0
    assert data["interpreter_agreement"]["benefit_mismatch"] == 0
    assert data["peer_agreement"]["missing"] == 0 and data["peer_agreement"]["extra"] == 0
    assert data["wall_s"] > 0 and data["incremental_p99_ms"] > 0


def test_bench_rejects_bad_sizes() -> None:
    assert bench.main(["--enterprises", "0"]) == 2


def test_generated_data_is_deterministic_and_has_gaps() -> None:
    a, b = generate.enterprises(500, seed=7), generate.enterprises(500, seed=7)
    assert a.equals(b)
    assert a.get_column("rd_ratio").null_count() > 0
    assert (a.get_column("land_mu") == 0).sum() > 0  # divisions by zero occur
    assert generate.clause_sources(5, seed=1) == generate.clause_sources(5, seed=1)


def test_zen_translation_agrees_on_unknowns() -> None:
    pytest.importorskip("zen")
    from haotong.policies.engine.peer_zen import ZenMatcher

    clause = make_clause("k", "not (tax_yuan / land_mu >= 10) or is_startup", "tax_yuan * 0.5", 3.0)
    records = [
        {"tax_yuan": 100.0, "land_mu": 0.0, "is_startup": None},  # unknown → not eligible
        {"tax_yuan": 5.0, "land_mu": 1.0, "is_startup": None},  # not (5 >= 10) → eligible
        {"tax_yuan": None, "land_mu": 1.0, "is_startup": True},
        {"tax_yuan": 100.0, "land_mu": 1.0, "is_startup": False},
    ]
    ours = [truth(clause.rule, normalise_record(r)) for r in records]
    assert ours == [None, True, True, False]
    zen = ZenMatcher([clause]).evaluate_batch(records)
    assert zen == [[], [(0, 2.5)], [(0, None)], []]
