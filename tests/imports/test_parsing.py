from datetime import date, datetime
from decimal import Decimal

import pytest

from haotong.imports.columns import match_header
from haotong.imports.parsing import read_workbook
from haotong.imports.safety import UploadRefused
from tests.imports.conftest import HEADERS, good_rows, xlsx

TODAY = date(2024, 6, 1)


def messages(sheet) -> list[str]:
    return [str(e) for e in sheet.all_errors]


@pytest.mark.parametrize(
    ("header", "field", "unit"),
    [
        ("总投资（万元）", "investment", "万元"),
        ("计划总投资(亿元)", "investment", "亿元"),
        ("项目总投资/万元", "investment", "万元"),
        ("所在镇（街道）", "town", ""),
        ("开工时间", "date:started", ""),
        ("序号", "", ""),
        ("天气", None, ""),
    ],
)
def test_headers_are_matched_with_synonyms_and_units(header, field, unit):
    assert match_header(header) == (field, unit)


def test_a_good_sheet_reads_amounts_dates_and_lists():
    sheet = read_workbook(xlsx(good_rows()), today=TODAY)
    assert messages(sheet) == []
    first, second, third = sheet.rows
    assert first.values["investment"].yuan == Decimal("5000000000.00")
    assert first.events[0][:2] == ("started", date(2023, 2, 11))
    assert first.values["tags"] == {"tag_major_attraction": True, "tag_tech": True}
    assert second.values["investment"].yuan == Decimal("80000000.00")
    assert third.values["investment"].qualifier == "near"
    assert third.events == []


def test_bare_numbers_take_the_unit_of_the_header_and_date_cells_work():
    headers = ["项目名称", "所在镇街", "总投资（万元）", "开工日期"]
    sheet = read_workbook(
        xlsx([["甲项目", "五接镇", 8000, datetime(2023, 2, 11)]], headers), today=TODAY
    )
    row = sheet.rows[0]
    assert row.values["investment"].yuan == Decimal("80000000.00")
    assert row.events[0][:2] == ("started", date(2023, 2, 11))


def test_the_header_may_sit_below_a_title_and_totals_rows_are_skipped():
    rows = [*good_rows(), ["", "合计", "", "183.8亿元"]]
    sheet = read_workbook(xlsx(rows, title="2023年通州区重大项目清单"), today=TODAY)
    assert messages(sheet) == []
    assert [r.number for r in sheet.rows] == [3, 4, 5]


def test_every_bad_cell_is_named_by_row_and_column():
    rows = good_rows()
    rows[1][3] = "五千万圆"  # row 3, column D
    rows[2][6] = "91320612MA1M9H4K30"  # bad check digit, row 4, column G
    rows[0][8] = "2099年1月1日"  # row 2, column I, in the future
    errors = messages(read_workbook(xlsx(rows), today=TODAY))
    assert (
        "第3行 D列「总投资」：无法识别的金额「五千万圆」，应写作如 50亿元、8000万元、1.2亿"
        in errors
    )
    assert any(
        e.startswith("第4行 G列「统一社会信用代码」：统一社会信用代码「91320612MA1M9H4K30」无效")
        for e in errors
    )
    assert (
        "第2行 I列「阶段日期」：「开工」日期 2099-01-01 晚于今天：只能登记已经发生的事件" in errors
    )


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5亿元", "金额不能为负数"),
        ("5000000亿元", "超过1万亿元"),
        ("", "不能为空"),
        ("很多钱", "无法识别的金额"),
    ],
)
def test_negative_absurd_and_unparseable_amounts_are_refused(amount, message):
    rows = good_rows()
    rows[0][3] = amount
    errors = messages(read_workbook(xlsx(rows), today=TODAY))
    assert len(errors) == 1
    assert errors[0].startswith("第2行 D列「总投资」：")
    assert message in errors[0]


def test_the_same_project_twice_in_one_town_in_the_file_is_refused():
    rows = good_rows()
    rows[2][1] = rows[0][1]
    assert messages(read_workbook(xlsx(rows), today=TODAY)) == [
        "第4行 B列「项目名称」：与第2行重复：同一镇街/园区不能有同名项目"
    ]


def test_stage_date_columns_contradicting_the_current_stage_are_refused():
    headers = ["项目名称", "所在镇街", "总投资", "当前阶段", "阶段日期", "投产日期"]
    rows = [["甲项目", "五接镇", "1亿", "开工", "2023.2.11", "2023.5.1"]]
    errors = messages(read_workbook(xlsx(rows, headers), today=TODAY))
    assert errors == ["第2行 D列「当前阶段」：当前阶段「开工」与「投产日期」（2023-05-01）矛盾"]


def test_missing_required_columns_are_named():
    sheet = read_workbook(xlsx([["甲项目", "五接镇"]], ["项目名称", "所在镇街/园区"]), today=TODAY)
    assert messages(sheet) == ["缺少必需的列：总投资"]


def test_a_sheet_without_a_header_row_is_refused():
    with pytest.raises(UploadRefused, match="找不到表头"):
        read_workbook(xlsx([["a", "b"]], ["甲", "乙"]), today=TODAY)


def test_unknown_columns_are_reported_as_ignored():
    sheet = read_workbook(xlsx([[*good_rows()[0], "晴"]], [*HEADERS, "天气"]), today=TODAY)
    assert messages(sheet) == []
    assert sheet.notices == ["M列「天气」无法识别，已忽略"]
