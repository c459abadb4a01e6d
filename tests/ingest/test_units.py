"""Pure units: dates, amounts, reconstruction offsets, linking, scoring (no database)."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from haotong.ingest.engine import extract_text
from haotong.ingest.engine.amounts import find_money
from haotong.ingest.engine.dates import Ref, find_dates
from haotong.ingest.engine.reconstruct import reconstruct
from haotong.ingest.engine.score import GOLD_DIR, score_split
from haotong.ingest.engine.textmap import to_analysis


def test_dates_resolve_against_the_page() -> None:
    found = find_dates("2月11日开工，当天签约，去年10月，7月，2023年3月5日", Ref(2023), None)
    assert [v for _, _, v in found] == [
        "2023-02-11",
        "2023-02-11",
        "2022-10",
        "2023-07",
        "2023-03-05",
    ]
    january = find_dates("12月28日开工，昨天", Ref.of(date(2023, 1, 5)), None)
    assert [v for _, _, v in january] == ["2022-12-28", "2023-01-04"]


def test_amounts_are_classified() -> None:
    def kinds(text: str) -> list[tuple[int | None, str, bool]]:
        return [
            (int(m.yuan) if m.yuan else None, m.qualifier, m.is_investment)
            for m in find_money(text)
        ]

    assert kinds("总投资 50 亿元") == [(5_000_000_000, "", True)]
    assert kinds("总投资近125亿元") == [(12_500_000_000, "near", True)]
    assert kinds("计划总投资452亿元") == [(45_200_000_000, "planned", True)]
    # found as money, never as investment (their value is not parsed: nothing uses it)
    assert kinds("年产值超60亿元") == [(None, "", False)]
    assert kinds("新增制造业贷款1200亿元") == [(None, "", False)]
    assert kinds("今年已累计完成固定资产投资268亿元") == [(None, "", False)]
    assert kinds("减税降费和退税缓税超50亿元，应税销售50亿元") == [(None, "", False)] * 2
    assert kinds("总投资约100亿美元") == [(None, "about", True)]  # not yuan


def test_traditional_to_simplified_keeps_length() -> None:
    text = "總投資８３.２億元的康輝新材料項目「開工」"
    simple = to_analysis(text)
    assert len(simple) == len(text)
    assert simple == "总投资83.2亿元的康辉新材料项目“开工”"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["通", "过招商引资。", "\n", "\n\n", "吴欣欣 摄", " ", "项目建设", "“好”", "a1"]
        ),
        max_size=40,
    )
)
def test_paragraph_pieces_map_back_to_the_original(parts: list[str]) -> None:
    text = "".join(parts)
    for article in reconstruct(text).articles:
        for para in article.paragraphs:
            assert "".join(text[s:e] for s, e in para.pieces) == para.text
            for i in range(len(para.text)):
                assert text[para.to_original(i)] == para.text[i]


def test_evidence_offsets_survive_traditional_and_column_breaks() -> None:
    text = "要聞\n\n2月11日，總投資50億元的康源電\n\n路項目正式開工建設。\n"
    result = extract_text(text, when=date(2023, 2, 12))
    (p,) = result["projects"]
    assert p["name"] == "康源电路项目"
    start, end = p["evidence"]
    assert text[start:end].startswith("總投資50億元的康源電") and text[start:end].endswith("開工")


def test_future_stages_are_not_facts() -> None:
    text = "总投资30亿元的华峰项目预计明年投产。"
    (p,) = extract_text(text, when=date(2023, 5, 1))["projects"]
    assert p["stage"] is None and p["investment_yuan"] == 3_000_000_000


def test_size_brackets_are_brackets() -> None:
    text = "6月8日，全区21个项目集中开工，总投资126.5亿元，其中50亿元以上项目2个。"
    result = extract_text(text, when=date(2023, 6, 9))
    assert result["projects"] == []
    brackets = [a for a in result["aggregates"] if "bracket_min_yuan" in a]
    assert [(a["count"], a["bracket_min_yuan"]) for a in brackets] == [(2, 5_000_000_000)]


def test_dev_split_scores_at_least_090_on_name_investment_stage() -> None:
    report = score_split(GOLD_DIR, "dev")
    assert report.docs >= 20
    assert report.fields["project (name+investment+stage)"].f1 >= 0.9
