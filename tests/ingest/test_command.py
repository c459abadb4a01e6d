"""The thin management command: ``haotong ingest extract`` / ``score`` (no database)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

SEED = Path(__file__).resolve().parents[2] / "haotong" / "ingest" / "gold" / "tongzhou-2023.txt"


def test_extract_prints_one_json_line_per_file(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "ingest", "extract", str(SEED), str(SEED), "--date", "2023-03-06", stdout=out, stderr=err
    )
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 2 and "[2/2]" in err.getvalue()
    assert lines[0]["date"] == "2023-03-06"
    assert {"source", "date", "articles", "projects", "aggregates", "people", "quotes"} <= set(
        lines[0]
    )
    assert any(p["name"] == "康源电路项目" for p in lines[0]["projects"])


def test_unreadable_file_fails_with_an_error_line(tmp_path: Path) -> None:
    binary = tmp_path / "x.bin"
    binary.write_bytes(bytes(range(32)) * 64)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", "extract", str(binary), stdout=out, stderr=io.StringIO())
    assert "error" in json.loads(out.getvalue())


def test_score_prints_fields() -> None:
    out = io.StringIO()
    call_command("ingest", "score", "--split", "dev", stdout=out)
    assert "project (name+investment+stage)" in out.getvalue()
    assert "person.position" in out.getvalue()


def test_score_probes_counts_hits_misses_and_extras(tmp_path: Path) -> None:
    probes = tmp_path / "probes.jsonl"
    rows = [
        {  # found exactly
            "id": "a",
            "date": "2024-05-20",
            "text": "5月8日，总投资6亿元的青禾食品加工项目开工。",
            "projects": [
                {"name": "青禾食品加工项目", "investment_yuan": 600000000,
                 "investment_qualifier": "", "stage": "started", "date": "2024-05-08"}
            ],
        },
        {  # the amount annotated differently: a miss and an extra of the triple
            "id": "b",
            "date": "2024-05-20",
            "text": "5月9日，总投资8亿元的远山储能电站项目签约。",
            "projects": [
                {"name": "远山储能电站项目", "investment_yuan": 900000000,
                 "investment_qualifier": "", "stage": "signed", "date": "2024-05-09"}
            ],
        },
        {"id": "c", "date": "2024-05-20", "text": "全市上下要进一步优化营商环境。", "projects": []},
    ]  # fmt: skip
    probes.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    out = io.StringIO()
    call_command("ingest", "score", "--probes", str(probes), "--misses", stdout=out)
    text = out.getvalue()
    assert "documents=3" in text
    triple = next(line for line in text.splitlines() if line.startswith("project (name+"))
    assert triple.split()[-3:] == ["1", "2", "2"]  # tp, predicted, gold
    assert "b: gold 远山储能电站项目 900000000 signed" in text


def test_score_probes_names_the_bad_line(tmp_path: Path) -> None:
    probes = tmp_path / "probes.jsonl"
    probes.write_text('{"id": "a", "text": "x", "projects": []}\n{"id": "b"}\n', "utf-8")
    with pytest.raises(CommandError):
        call_command("ingest", "score", "--probes", str(probes), stdout=io.StringIO(),
                     stderr=(err := io.StringIO()))  # fmt: skip
    assert ":2:" in err.getvalue()
