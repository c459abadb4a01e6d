"""The downloadable import template: the headers, one example row, and notes."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from haotong.imports.columns import canonical_headers
from haotong.imports.parsing import MAX_ROWS
from haotong.ledger import stages

EXAMPLE_ROW = [
    "示例：高端电子材料项目", "五接镇", "50亿元", "C3985", "电子专用材料",
    "示例电子材料有限公司", "91320612MA1M9H4K3Y", "开工", "2023年2月11日", 300,
    "年产电子材料10万吨", "重大招商、科创", "是", "五接镇招商队伍", "40亿元", "80亿元",
    "5亿元", "", "",
]  # fmt: skip


def _notes() -> list[tuple[str, str]]:
    stage_words = "、".join(stages.STAGE_LABELS.values())
    return [
        ("项目名称", _("必填。同一镇街/园区内不能重名（表内和台账中均不能重复）。")),
        ("所在镇街/园区", _("必填。填写系统中已有的镇街或园区名称，见右侧列表。")),
        ("总投资", _("必填。可写 50亿元、8000万元、1.2亿、近125亿元，或只写数字。"
                    "表头写成「总投资（万元）」或「总投资（亿元）」时，纯数字按该单位理解，否则按元。")),
        ("行业代码", _("国民经济行业分类代码（GB/T 4754-2017），如 C3982。")),
        ("产业链环节", _("如 封装载板、电子专用材料。")),
        ("投资主体", _("企业全称；多个主体用顿号（、）分隔。系统中没有的企业会自动新建。")),
        ("统一社会信用代码", _("18位，校验位须正确；多个主体时用顿号分隔并与投资主体一一对应。")),
        ("当前阶段", _("可填：%(s)s；也可写「在建」「已投产」。") % {"s": stage_words}),
        ("阶段日期", _("当前阶段发生的日期，如 2023年2月11日、2023.2.11 或日期格式单元格；不能晚于今天。")),
        ("签约日期 … 达产日期", _("可选：每个阶段一列（如「开工日期」「投产时间」），系统按日期先后登记，"
                              "不符合项目阶段顺序的会被拒绝。")),
        ("用地（亩）", _("亩数，如 300。")),
        ("产能", _("如 年产封装载板86万平方米。")),
        ("项目类型", _("重大招商、科创、人才，可多选，用顿号分隔。")),
        ("先进制造业", _("是 / 否。")),
        ("招引队伍", _("填写系统中已有的招商队伍名称，见右侧列表。")),
        (_("其他"), _("表头可在前10行内；合计行和以「示例：」开头的行会被跳过；每次最多%(n)s行。导入时任何一行有错，"
                     "整批都不会保存。") % {"n": MAX_ROWS}),
    ]  # fmt: skip


def build_template(*, towns: Iterable[str], teams: Iterable[str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("项目清单")
    headers = canonical_headers()
    sheet.append(headers)
    sheet.append(EXAMPLE_ROW)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        sheet.column_dimensions[cell.column_letter].width = max(12, len(str(cell.value)) * 2 + 4)
    sheet.column_dimensions["A"].width = 40
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(_("填写说明"))
    notes.append([_("列"), _("填写要求"), "", _("可选的镇街/园区"), _("可选的招引队伍")])
    for cell in notes[1]:
        cell.font = bold
    rows = _notes()
    town_list, team_list = list(towns), list(teams)
    for index in range(max(len(rows), len(town_list), len(team_list))):
        column, text = rows[index] if index < len(rows) else ("", "")
        notes.append([
            column, text, "",
            town_list[index] if index < len(town_list) else "",
            team_list[index] if index < len(team_list) else "",
        ])  # fmt: skip
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 90
    notes.column_dimensions["D"].width = 20
    notes.column_dimensions["E"].width = 24
    for row in notes.iter_rows(min_row=2, max_col=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
