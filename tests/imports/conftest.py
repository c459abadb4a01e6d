"""Real .xlsx files built with openpyxl, the way a town office would fill them in."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pytest
from openpyxl import Workbook

HEADERS = [
    "序号", "项目名称", "所在镇街/园区", "总投资", "行业代码", "投资主体", "统一社会信用代码",
    "当前阶段", "阶段日期", "用地（亩）", "项目类型", "招引队伍",
]  # fmt: skip
GOOD_CODE = "91320612MA1M9H4K3Y"
OTHER_CODE = "91320612MA1N2P3T4B"


def xlsx(
    rows: Sequence[Sequence[Any]], headers: Sequence[str] = HEADERS, title: str | None = None
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def good_rows() -> list[list[Any]]:
    return [
        [1, "高德新型电子元件项目", "五接镇", "50亿元", "C3989", "高德电子有限公司", GOOD_CODE,
         "开工", "2023年2月11日", 300, "重大招商、科创", "五接镇招商队伍"],
        [2, "康源电路IC载板项目", "五接镇", "8000万元", "C3982", "康源电路有限公司", OTHER_CODE,
         "签约", "2023.2.11", "", "人才", ""],
        [3, "近海材料项目", "五接镇", "近125亿元", "C2651", "", "", "", "", None, "", ""],
    ]  # fmt: skip


@pytest.fixture
def good_file() -> bytes:
    return xlsx(good_rows())
