"""Exporting the ledger: ONE column definition for the web export, the command line
and every format (xlsx, csv, json).

``project_rows(queryset)`` yields one dict per project keyed by ``COLUMNS``' keys;
the writers only decide how a value is written (a number cell, ``是``/``否``, a
JSON number). Queries do not grow with the number of rows.

Exports are Chinese documents: the command line writes Chinese whatever language
is active, and the web export is in English only when the user chose English.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from haotong.core import labels
from haotong.core.amounts import QUALIFIER_LABELS
from haotong.ledger import queries
from haotong.ledger.models import Project, major_threshold

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("xlsx", "csv", "json")


@dataclass(frozen=True)
class Column:
    key: str
    header: Any  # lazy Chinese header
    kind: str = "text"  # text | int | yuan | decimal | date | bool | list | qualifier
    width: int = 14


COLUMNS: tuple[Column, ...] = (
    Column("id", _("编号"), "int", 8),
    Column("name", _("项目名称"), width=36),
    Column("town", _("所在镇街/园区")),
    Column("investment_yuan", _("总投资（元）"), "yuan", 20),
    Column("investment_qualifier", _("金额限定"), "qualifier", 10),
    Column("investment_label", _("总投资（文字）"), width=16),
    Column("major", _("重大项目"), "bool", 10),
    Column("stage", _("阶段代码"), width=12),
    Column("stage_label", _("当前阶段"), width=10),
    Column("stage_date", _("阶段日期"), "date", 12),
    Column("industry_code", _("行业代码"), width=10),
    Column("industry", _("行业"), width=24),
    Column("chain_link", _("产业链环节"), width=16),
    Column("tags", _("项目类型"), "list", 16),
    Column("advanced_manufacturing", _("先进制造业"), "bool", 10),
    Column("team", _("招引队伍"), width=18),
    Column("investors", _("投资主体"), "list", 30),
    Column("investor_credit_codes", _("统一社会信用代码"), "list", 22),
    Column("land_mu", _("用地（亩）"), "decimal", 10),
    Column("capacity", _("产能"), width=30),
    Column("fixed_asset_yuan", _("固定资产投资（元）"), "yuan", 20),
    Column("planned_output_yuan", _("预计年产值（元）"), "yuan", 20),
    Column("planned_tax_yuan", _("预计年税收（元）"), "yuan", 20),
    Column("leader_in_charge", _("挂钩领导"), width=12),
    Column("source_note", _("数据来源"), width=30),
    Column("synthetic", _("演示生成"), "bool", 10),
)


def project_rows(queryset: QuerySet[Project]) -> Iterator[dict[str, Any]]:
    """One dict per project, in the queryset's order; three queries in all."""
    threshold = major_threshold()
    projects = queryset.select_related("town", "owner_team").prefetch_related("investors")
    for p in projects.iterator(chunk_size=2000):
        investors = sorted(p.investors.all(), key=lambda e: e.pk)
        yield {
            "id": p.pk,
            "name": p.name,
            "town": p.town.name,
            "investment_yuan": p.investment_yuan,
            "investment_qualifier": p.investment_qualifier,
            "investment_label": p.investment_label,
            "major": p.is_major(threshold),
            "stage": p.stage,
            "stage_label": p.stage_label,
            "stage_date": p.stage_date,
            "industry_code": p.industry_code,
            "industry": p.industry_label,
            "chain_link": p.chain_link,
            "tags": p.tags,
            "advanced_manufacturing": p.advanced_manufacturing,
            "team": p.owner_team.name if p.owner_team else "",
            "investors": [e.name for e in investors],
            "investor_credit_codes": [e.credit_code or "" for e in investors],
            "land_mu": p.land_mu,
            "capacity": p.capacity_text,
            "fixed_asset_yuan": p.fixed_asset_yuan,
            "planned_output_yuan": p.planned_output_yuan,
            "planned_tax_yuan": p.planned_tax_yuan,
            "leader_in_charge": p.leader_in_charge,
            "source_note": p.source_note,
            "synthetic": p.synthetic,
        }


# --- how one value is written -------------------------------------------------


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        # Exact to the fen: amounts are at most 1e12 yuan, well inside a double's 15 digits.
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _text_value(column: Column, value: Any) -> str:
    if value is None:
        return ""
    if column.kind == "bool":
        return gettext("是") if value else gettext("否")
    if column.kind == "list":
        return labels.list_separator().join(v for v in value if v)
    if column.kind == "qualifier":
        return labels.label(QUALIFIER_LABELS.get(value, value))
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _sheet_value(column: Column, value: Any) -> Any:
    if column.kind in {"yuan", "decimal", "int", "date", "share"}:
        return value  # numbers and dates stay real cells
    return _text_value(column, value)


# --- writers ------------------------------------------------------------------


def write_json(rows: Iterable[dict[str, Any]], out: IO[str]) -> None:
    """A JSON array, one object per row, keys as in ``COLUMNS``."""
    objects = [{key: _json_value(value) for key, value in row.items()} for row in rows]
    json.dump(objects, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_csv(
    rows: Iterable[dict[str, Any]], out: IO[str], columns: tuple[Column, ...] = COLUMNS
) -> None:
    """UTF-8 with a byte-order mark (written here) so Excel opens the Chinese text."""
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([str(c.header) for c in columns])
    for row in rows:
        writer.writerow([_text_value(c, row[c.key]) for c in columns])


def write_xlsx(
    rows: Iterable[dict[str, Any]], out: IO[bytes], columns: tuple[Column, ...] = COLUMNS,
    title: str | None = None,
) -> None:  # fmt: skip
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title or gettext("项目台账"))
    for index, column in enumerate(columns):
        sheet.column_dimensions[get_column_letter(index + 1)].width = column.width
    sheet.freeze_panes = "B2"
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    formats = {"yuan": "#,##0.00", "decimal": "0.00", "date": "yyyy-mm-dd", "share": "0.00%"}
    for row in rows:
        cells = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=_sheet_value(column, row[column.key]))
            if column.kind in formats:
                cell.number_format = formats[column.kind]
            cells.append(cell)
        sheet.append(cells)
    workbook.save(out)


def write_projects(
    queryset: QuerySet[Project], fmt: str, out: IO[Any], *, language: str | None = None
) -> None:
    """Write ``queryset`` in ``fmt`` (xlsx wants a binary stream, csv/json text), in
    Chinese unless ``language`` says otherwise."""
    with translation.override(language or settings.LANGUAGE_CODE):
        rows = project_rows(queryset)
        if fmt == "json":
            write_json(rows, out)
        elif fmt == "csv":
            write_csv(rows, out)
        elif fmt == "xlsx":
            write_xlsx(rows, out)
        else:
            raise ValueError(f"unknown export format {fmt!r}")


# --- groundbreakings (集中开工) -------------------------------------------------

GROUNDBREAKING_COLUMNS: tuple[Column, ...] = (
    Column("date", _("日期"), "date", 12),
    Column("name", _("名称"), width=30),
    Column("project_count", _("项目数"), "int", 8),
    Column("total_investment_yuan", _("总投资（元）"), "yuan", 20),
    Column("total_investment_label", _("总投资（文字）"), width=14),
    Column("advanced_manufacturing_share", _("先进制造业占比（按投资）"), "share", 14),
    Column("by_town_text", _("各镇街/园区占比"), width=40),
    Column("by_industry_text", _("各行业占比"), width=40),
)


def _share_dict(share: queries.Share) -> dict[str, Any]:
    return {
        "key": share.key, "label": share.label, "count": share.count,
        "investment_yuan": share.investment_yuan, "share": share.share,
        "count_share": share.count_share,
    }  # fmt: skip


def _shares_text(shares: list[queries.Share]) -> str:
    return labels.list_separator().join(
        f"{labels.label(s.label)} {s.share * 100:.1f}%" for s in shares
    )


def groundbreaking_rows(
    summaries: Iterable[queries.GroundbreakingSummary],
) -> Iterator[dict[str, Any]]:
    for s in summaries:
        yield {
            "id": s.id,
            "date": s.date,
            "name": s.name,
            "project_count": s.project_count,
            "total_investment_yuan": s.total_investment_yuan,
            "total_investment_label": labels.amount(s.total_investment_yuan),
            "advanced_manufacturing_share": s.advanced_manufacturing_share,
            "advanced_manufacturing_count": s.advanced_manufacturing_count,
            "shares": {
                "by_town": [_share_dict(x) for x in s.by_town],
                "by_industry": [_share_dict(x) for x in s.by_industry],
            },
            "by_town_text": _shares_text(s.by_town),
            "by_industry_text": _shares_text(s.by_industry),
            "reported_count": s.reported_count,
            "reported_total_yuan": s.reported_total_yuan,
            "projects": [{"id": p.pk, "name": p.name} for p in s.projects],
        }


def _json_deep(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_deep(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_deep(v) for v in value]
    return _json_value(value)


def write_groundbreakings(fmt: str, out: IO[Any], *, language: str | None = None) -> None:
    with translation.override(language or settings.LANGUAGE_CODE):
        _write_groundbreakings(fmt, out)


def _write_groundbreakings(fmt: str, out: IO[Any]) -> None:
    rows = groundbreaking_rows(queries.groundbreaking_summaries())
    if fmt == "json":
        json.dump([_json_deep(r) for r in rows], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "csv":
        write_csv(rows, out, GROUNDBREAKING_COLUMNS)
    elif fmt == "xlsx":
        write_xlsx(rows, out, GROUNDBREAKING_COLUMNS, title=gettext("集中开工"))
    else:
        raise ValueError(f"unknown export format {fmt!r}")


# --- the web export ---------------------------------------------------------------


def export_projects_response(
    request: HttpRequest, queryset: QuerySet[Project], *, fmt: str = "xlsx",
    filename: str | None = None,
) -> HttpResponse:  # fmt: skip
    """A download of exactly ``queryset``'s rows, narrowed to what the user may see."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    rows_qs = queryset.visible_to(user)  # type: ignore[attr-defined]
    # The language the user chose for the pages (the middleware activated it).
    language = translation.get_language()
    name = f"{filename or gettext('项目台账')}-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "xlsx":
        buffer = io.BytesIO()
        write_projects(rows_qs, fmt, buffer, language=language)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    else:
        text = io.StringIO()
        write_projects(rows_qs, fmt, text, language=language)
        content_type = "text/csv" if fmt == "csv" else "application/json"
        response = HttpResponse(
            text.getvalue().encode(), content_type=f"{content_type}; charset=utf-8"
        )
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def export_projects_xlsx(request: HttpRequest, queryset: QuerySet[Project]) -> HttpResponse:
    """The project list's "导出 Excel": the filtered rows the user sees, as .xlsx."""
    return export_projects_response(request, queryset, fmt="xlsx")
