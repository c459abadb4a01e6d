"""Read a project list workbook into rows of typed values and cell-level errors.

No database here: names of towns, teams and enterprises stay text and are
resolved by ``haotong.imports.services``, which also runs every row through the
ledger services. Amounts and dates are read by ``haotong.core.amounts``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from haotong.core.amounts import QUALIFIER_WORDS, ParseError, parse_amount, parse_cn_date
from haotong.imports import cells
from haotong.imports.columns import AMOUNT_FIELDS, FIELDS, REQUIRED, Column, match_header
from haotong.imports.safety import UploadRefused
from haotong.ledger import stages

MAX_ROWS = 5000
MAX_COLUMNS = 60
_HEADER_SEARCH_ROWS = 10
# Totals rows and the template's example row are not projects.
_SKIPPED_ROW = re.compile(r"^(合计|总计|小计|共计|示例[:：])")


@dataclass(frozen=True)
class CellError:
    row: int | None  # spreadsheet row number, None for the whole file
    column: str  # letter, "" for the whole row/file
    header: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if not self.column:
            return _("第%(row)s行：%(msg)s") % {"row": self.row, "msg": self.message}
        return _("第%(row)s行 %(col)s列「%(header)s」：%(msg)s") % {
            "row": self.row, "col": self.column, "header": self.header, "msg": self.message,
        }  # fmt: skip


@dataclass
class ParsedRow:
    number: int
    values: dict[str, Any]
    # (stage code, date, column) in the order they happened
    events: list[tuple[str, date, Column]] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    def error(self, column: Column | None, message: str) -> None:
        col, header = (column.letter, column.header) if column else ("", "")
        self.errors.append(CellError(self.number, col, header, message))


@dataclass
class ParsedSheet:
    columns: dict[str, Column]
    rows: list[ParsedRow]
    errors: list[CellError]  # file-level
    notices: list[str]

    @property
    def all_errors(self) -> list[CellError]:
        return [*self.errors, *(e for row in self.rows for e in row.errors)]


def read_workbook(content: bytes, *, today: date) -> ParsedSheet:
    """Parse the first sheet that has a recognisable header row."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise UploadRefused(_("无法读取该 Excel 文件：文件已损坏或格式不受支持")) from exc
    try:
        for sheet in workbook.worksheets:
            grid = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
            found = _find_header(grid)
            if found is not None:
                header_row, header_cells = found
                return _read_rows(grid, header_row, header_cells, today=today)
    finally:
        workbook.close()
    raise UploadRefused(_("找不到表头：工作表的前10行中应有「项目名称」列。请使用导入模板"))


def _find_header(grid: Any) -> tuple[int, tuple[Any, ...]] | None:
    for number, values in enumerate(grid, start=1):
        if any(match_header(v)[0] == "name" for v in values):
            return number, values
        if number >= _HEADER_SEARCH_ROWS:
            return None
    return None


def _columns(header_cells: tuple[Any, ...]) -> tuple[dict[str, Column], list[str]]:
    columns: dict[str, Column] = {}
    notices = []
    for index, raw in enumerate(header_cells):
        header = str(raw or "").strip()
        key, unit = match_header(raw)
        letter = get_column_letter(index + 1)
        if key is None:
            if header:
                notices.append(
                    _("%(col)s列「%(header)s」无法识别，已忽略") % {"col": letter, "header": header}
                )
        elif key and key in columns:
            notices.append(
                _("%(col)s列「%(header)s」与%(first)s列重复，已忽略")
                % {"col": letter, "header": header, "first": columns[key].letter}
            )
        elif key:
            columns[key] = Column(key, index, letter, header, unit)
    return columns, notices


def _read_rows(
    grid: Any, header_row: int, header_cells: tuple[Any, ...], *, today: date
) -> ParsedSheet:
    columns, notices = _columns(header_cells)
    sheet = ParsedSheet(columns=columns, rows=[], errors=[], notices=notices)
    missing = [FIELDS[key][0] for key in REQUIRED if key not in columns]
    if missing:
        sheet.errors.append(
            CellError(None, "", "", _("缺少必需的列：%(cols)s") % {"cols": "、".join(missing)})
        )
        return sheet
    seen: dict[tuple[str, str], int] = {}
    for number, values in enumerate(grid, start=header_row + 1):
        cells_by_field = {
            key: (values[c.index] if c.index < len(values) else None) for key, c in columns.items()
        }
        if all(cells.is_blank(v) for v in cells_by_field.values()):
            continue
        if _SKIPPED_ROW.match(str(cells_by_field["name"] or "").strip()):
            continue
        if len(sheet.rows) >= MAX_ROWS:
            sheet.errors.append(
                CellError(None, "", "", _("数据超过%(max)s行，请分批导入") % {"max": MAX_ROWS})
            )
            break
        row = parse_row(number, cells_by_field, columns, today=today)
        key = (str(row.values.get("town", "")), str(row.values.get("name", "")))
        if all(key) and key in seen:
            row.error(
                columns["name"],
                _("与第%(row)s行重复：同一镇街/园区不能有同名项目") % {"row": seen[key]},
            )
        elif all(key):
            seen[key] = number
        sheet.rows.append(row)
    if not sheet.rows and not sheet.errors:
        sheet.errors.append(CellError(None, "", "", _("表中没有项目数据")))
    return sheet


def parse_row(
    number: int, raw: dict[str, Any], columns: dict[str, Column], *, today: date
) -> ParsedRow:
    row = ParsedRow(number=number, values={})
    for key, column in columns.items():
        value = raw.get(key)
        if cells.is_blank(value):
            if key in REQUIRED:
                row.error(column, _("不能为空"))
            continue
        try:
            row.values[key] = _parse_cell(key, value, column)
        except ParseError as exc:
            row.error(column, str(exc))
    _collect_events(row, columns, today=today)
    return row


def _parse_cell(key: str, value: Any, column: Column) -> Any:
    if key in AMOUNT_FIELDS:
        return parse_amount(value, default_unit=column.unit or "元")
    if key == "stage_date" or key.startswith("date:"):
        return parse_cn_date(value)
    parsers = {
        "qualifier": _qualifier,
        "industry_code": cells.industry_code,
        "investors": cells.split_list,
        "credit_codes": cells.credit_codes,
        "stage": cells.stage,
        "land_mu": _land,
        "tags": cells.tags,
        "advanced_manufacturing": cells.yes_no,
    }
    if key in parsers:
        return parsers[key](value)
    return cells.text(value)


def _qualifier(value: Any) -> str:
    text = cells.text(value)
    if text in QUALIFIER_WORDS:
        return QUALIFIER_WORDS[text]
    if text in set(QUALIFIER_WORDS.values()):
        return text
    raise ParseError(_("无法识别的金额限定「%(v)s」，应为 近、约、超 或 计划") % {"v": text})


def _land(value: Any) -> Decimal:
    text = re.sub(r"\s+|亩$", "", str(value)).replace(",", "")
    try:
        mu = Decimal(text)
    except InvalidOperation as exc:
        raise ParseError(_("无法识别的用地面积「%(v)s」，应填亩数，如 120") % {"v": value}) from exc
    if mu < 0 or mu > 100_000:
        raise ParseError(_("用地面积「%(v)s」亩不合理（应在0到10万亩之间）") % {"v": value})
    return mu.quantize(Decimal("0.01"))


def _collect_events(row: ParsedRow, columns: dict[str, Column], *, today: date) -> None:
    """Turn 当前阶段/阶段日期 and per-stage date columns into dated events."""
    # stage → (date, column the stage machine's verdict belongs to, column of the date)
    events: dict[str, tuple[date, Column, Column]] = {}
    for key, column in columns.items():
        if key.startswith("date:") and key in row.values:
            events[key.removeprefix("date:")] = (row.values[key], column, column)
    stage = row.values.get("stage")
    if stage:
        on = row.values.get("stage_date")
        if on is not None:
            if stage in events and events[stage][0] != on:
                row.error(
                    columns["stage_date"],
                    _("与「%(h)s」列的日期不一致") % {"h": events[stage][1].header},
                )
            events[stage] = (on, columns["stage"], columns["stage_date"])
        elif stage not in events:
            row.error(
                columns.get("stage_date") or columns["stage"], _("填写了当前阶段，但没有阶段日期")
            )
    elif "stage_date" in row.values:
        row.error(columns["stage_date"], _("填写了阶段日期，但没有当前阶段"))
    for code, (on, _column, date_column) in events.items():
        if on > today:
            row.error(
                date_column,
                _("「%(stage)s」日期 %(d)s 晚于今天：只能登记已经发生的事件")
                % {"stage": stages.STAGE_LABELS[code], "d": on.isoformat()},
            )
    order = {code: i for i, code in enumerate(stages.STAGES)}
    row.events = sorted(
        ((code, on, column) for code, (on, column, _date_column) in events.items()),
        key=lambda e: (e[1], order[e[0]]),
    )
    if stage and row.events and row.events[-1][0] != stage:
        last = row.events[-1]
        row.error(
            columns["stage"],
            _("当前阶段「%(stage)s」与「%(h)s」（%(d)s）矛盾")
            % {"stage": stages.STAGE_LABELS[stage], "h": last[2].header, "d": last[1].isoformat()},
        )
