"""Bad input: binary, GBK, Big5, unknown bytes, empty, no projects, a large file (no database)."""

from __future__ import annotations

import io
import json
import tracemalloc
from pathlib import Path

import pytest

from haotong.ingest.engine import DecodeError, extract_text
from haotong.ingest.engine.cli import run_extract
from haotong.ingest.engine.decode import decode_bytes, detect_encoding
from haotong.ingest.engine.pipeline import extract_file

SAMPLE = "2月11日，总投资50亿元的康源电路项目正式开工建设。\n"
FILLER = "优质的营商环境是高质量发展的沃土，更是城市“软实力”的体现，通州不断擦亮营商环境品牌。\n\n"


def run(paths: list[Path]) -> tuple[int, list[dict], str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_extract([str(p) for p in paths], None, out, err)
    return code, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_binary_file_gives_an_error_line(tmp_path: Path) -> None:
    binary = tmp_path / "a.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    code, lines, _ = run([binary])
    assert code == 1
    assert lines == [{"source": str(binary), "error": lines[0]["error"]}]
    assert "binary" in lines[0]["error"]


@pytest.mark.parametrize("codec", ["gbk", "gb18030", "utf-8", "utf-8-sig", "utf-16"])
def test_chinese_encodings_are_detected(tmp_path: Path, codec: str) -> None:
    path = tmp_path / f"{codec}.txt"
    path.write_bytes((SAMPLE * 3).encode(codec))
    code, (line,), _ = run([path])
    assert code == 0
    assert [(p["name"], p["investment_yuan"]) for p in line["projects"]] == [
        ("康源电路项目", 5_000_000_000)
    ]


def test_big5_traditional_text_is_read_and_simplified() -> None:
    data = "總投資83.2億元的康輝新材料項目在五接鎮開工建設。\n".encode("big5")
    assert detect_encoding(data) == "big5hkscs"
    result = extract_text(decode_bytes(data))
    assert [(p["name"], p["investment_yuan"]) for p in result["projects"]] == [
        ("康辉新材料项目", 8_320_000_000)
    ]
    assert result["articles"][0]["paragraphs"][0].startswith(
        "總投資"
    )  # the original stays as written


def test_unknown_bytes_name_the_encodings_tried() -> None:
    with pytest.raises(DecodeError, match=r"GB18030|Big5|UTF-8"):
        decode_bytes(b"ab" + bytes([0x81, 0x30, 0xFF]) * 40)


def test_empty_file_is_an_empty_result(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, (line,), _ = run([empty])
    assert code == 0
    assert line == {
        "source": str(empty),
        "date": None,
        "articles": [],
        "projects": [],
        "aggregates": [],
        "people": [],
        "quotes": [],
    }


def test_text_without_projects() -> None:
    result = extract_text(FILLER * 5 + "减税降费和退税缓税超50亿元，应税销售50亿元。\n")
    assert result["projects"] == [] and result["aggregates"] == []
    assert len(result["articles"]) == 1


def test_many_files_report_progress_on_stderr(tmp_path: Path) -> None:
    paths = []
    for i in range(3):
        paths.append(tmp_path / f"{i}.txt")
        paths[-1].write_text(SAMPLE, encoding="utf-8")
    code, lines, err = run(paths)
    assert code == 0 and len(lines) == 3
    assert "[3/3]" in err


def _peak_memory(path: Path, copies: int) -> tuple[int, dict]:
    with path.open("w", encoding="utf-8") as fh:
        for _ in range(copies):
            fh.write(FILLER)
        fh.write(SAMPLE)
    sink = io.StringIO()
    tracemalloc.start()
    try:
        extract_file(path, _NullSink(sink))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, json.loads(sink.getvalue())


def test_large_file_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    small_peak, _ = _peak_memory(tmp_path / "small.txt", 15_000)  # about 2 MB
    big = tmp_path / "big.txt"
    big_peak, line = _peak_memory(big, 60_000)  # about 8 MB
    assert big.stat().st_size > 7_500_000
    # memory is bounded by the chunk, not by the file: four times the text, about the same peak
    assert big_peak < 1.5 * small_peak, (small_peak, big_peak)
    assert big_peak < 12 << 20, big_peak  # a 200 MB file stays under this too
    assert [p["name"] for p in line["projects"]] == ["康源电路项目"]
    start, end = line["projects"][0]["evidence"]
    assert big.read_text(encoding="utf-8")[start:end].startswith("总投资50亿元")


class _NullSink(io.TextIOBase):
    """Keeps only the facts of the output line, so the test measures the engine, not the sink."""

    def __init__(self, keep: io.StringIO) -> None:
        self.keep, self.parts = keep, ""

    def write(self, s: str) -> int:
        self.parts = (self.parts + s)[-200_000:]
        if s.endswith("\n"):
            head = self.parts[self.parts.index('"projects"') :]
            self.keep.write('{"articles": [], ' + head)
        return len(s)
