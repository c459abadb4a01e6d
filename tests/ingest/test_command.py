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
