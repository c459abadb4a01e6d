"""Importing a project list: stage the upload, preview it, commit it all-or-nothing.

The preview is a dry run of the commit: every row goes through the ledger's own
services (create_enterprise, create_project, record_stage_event) inside a
transaction that is then rolled back, so the preview refuses exactly what the
commit would refuse — permissions, the stage machine, duplicates in the ledger —
and names the row and column. The commit runs the same code and keeps the work
only if no row failed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haotong.core.models import OrgUnit, Team, User
from haotong.imports.models import PendingImport
from haotong.imports.parsing import CellError, ParsedRow, ParsedSheet, read_workbook
from haotong.imports.safety import check_upload
from haotong.ledger import services as ledger
from haotong.ledger.models import Enterprise, Project

SOURCE = "import"
PENDING_LIFETIME = timedelta(days=1)

# Model field (as named in a ValidationError) → the import column it came from.
_FIELD_COLUMNS = {
    "name": "name", "town": "town", "investment_yuan": "investment",
    "investment_qualifier": "qualifier", "industry_code": "industry_code",
    "chain_link": "chain_link", "land_mu": "land_mu", "capacity_text": "capacity",
    "owner_team": "team", "leader_in_charge": "leader", "aliases": "aliases",
    "source_note": "note", "fixed_asset_yuan": "fixed_asset",
    "planned_output_yuan": "planned_output", "planned_tax_yuan": "planned_tax",
    "credit_code": "credit_codes",
}  # fmt: skip


@dataclass
class ImportResult:
    file_name: str
    sheet: ParsedSheet
    errors: list[CellError] = field(default_factory=list)
    created: list[Project] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rows(self) -> list[ParsedRow]:
        return self.sheet.rows


class _RowFailed(Exception):
    def __init__(self, errors: list[CellError]) -> None:
        super().__init__(errors)
        self.errors = errors


class _Rollback(Exception):
    pass


def check_can_import(actor: User) -> None:
    if not actor.can_edit_ledger:
        raise PermissionDenied(_("您的角色不能导入项目台账"))


@transaction.atomic
def stage_upload(*, actor: User, file_name: str, content: bytes, size: int) -> PendingImport:
    """Check the file and keep it for preview; raises UploadRefused for a bad file."""
    check_can_import(actor)
    check_upload(
        file_name=file_name, size=size, content=content, max_bytes=settings.HAOTONG_MAX_UPLOAD_BYTES
    )
    read_workbook(content, today=timezone.localdate())  # refuse unreadable files now
    # Expired uploads are nobody's business any more; sweep them here rather than in a job.
    PendingImport.objects.filter(created_at__lt=timezone.now() - PENDING_LIFETIME).delete()
    return PendingImport.objects.create(
        token=secrets.token_urlsafe(32), owner=actor, file_name=file_name[:200], content=content
    )


def access_pending(*, actor: User, token: str) -> PendingImport:
    """The uploader's own, unexpired upload; DoesNotExist for anyone else's."""
    return PendingImport.objects.get(
        token=token, owner=actor, created_at__gte=timezone.now() - PENDING_LIFETIME
    )


def preview_import(
    *, actor: User, pending: PendingImport, today: date | None = None
) -> ImportResult:
    return _run(actor=actor, pending=pending, today=today, dry_run=True)


def commit_import(
    *, actor: User, pending: PendingImport, today: date | None = None
) -> ImportResult:
    """Create every row or nothing; on success the staged upload is removed."""
    result = _run(actor=actor, pending=pending, today=today, dry_run=False)
    if result.ok:
        pending.delete()
    return result


def _run(*, actor: User, pending: PendingImport, today: date | None, dry_run: bool) -> ImportResult:
    check_can_import(actor)
    today = today or timezone.localdate()
    sheet = read_workbook(bytes(pending.content), today=today)
    result = ImportResult(file_name=pending.file_name, sheet=sheet)
    if not sheet.errors:
        try:
            with transaction.atomic():
                failed = _apply_rows(actor, sheet, pending.file_name, today, result.created)
                if dry_run or failed:
                    raise _Rollback
        except _Rollback:
            result.created = []  # nothing was kept
    result.errors = sorted(sheet.all_errors, key=lambda e: (e.row or 0, e.column))
    return result


def _apply_rows(
    actor: User, sheet: ParsedSheet, file_name: str, today: date, created: list[Project]
) -> bool:
    """Create each row in its own savepoint; True if any row failed."""
    failed = False
    for row in sheet.rows:
        if row.errors:
            # Still name the towns and teams the ledger lacks, so one pass shows everything.
            for resolve in (_resolve_town, _resolve_team):
                try:
                    resolve(row, sheet)
                except _RowFailed as failure:
                    row.errors.extend(failure.errors)
            failed = True
            continue
        try:
            with (
                transaction.atomic()
            ):  # a failed row rolls back alone; later rows are still checked
                created.append(_create_row(actor, row, sheet, file_name, today))
        except _RowFailed as failure:
            row.errors.extend(failure.errors)
            failed = True
    return failed


def _create_row(
    actor: User, row: ParsedRow, sheet: ParsedSheet, file_name: str, today: date
) -> Project:
    values = row.values
    detail = _("%(file)s 第%(row)s行") % {"file": file_name, "row": row.number}
    town = _resolve_town(row, sheet)
    team = _resolve_team(row, sheet)
    investors = _resolve_investors(actor, row, sheet, town, detail)
    amount = values["investment"]
    fields: dict[str, Any] = {
        "name": values["name"], "town": town, "investment_yuan": amount.yuan,
        "investment_qualifier": values.get("qualifier", amount.qualifier),
        "industry_code": values.get("industry_code", ""), "chain_link": values.get("chain_link", ""),
        "land_mu": values.get("land_mu"), "capacity_text": values.get("capacity", ""),
        "advanced_manufacturing": values.get("advanced_manufacturing", False),
        "owner_team": team, "leader_in_charge": values.get("leader", ""),
        "aliases": values.get("aliases", ""),
        "source_note": (_("导入：%(d)s") % {"d": detail} + " " + values.get("note", "")).strip()[:300],
        **values.get("tags", {}),
    }  # fmt: skip
    for key in ("fixed_asset", "planned_output", "planned_tax"):
        if key in values:
            fields[f"{key}_yuan"] = values[key].yuan
    try:
        project = ledger.create_project(
            actor=actor, fields=fields, investors=investors, source=SOURCE, source_detail=detail
        )
    except PermissionDenied as exc:
        raise _RowFailed([_cell(row, sheet, "town", str(exc))]) from exc
    except ValidationError as exc:
        raise _RowFailed(_validation_errors(row, sheet, exc)) from exc
    for stage, on, column in row.events:
        try:
            ledger.record_stage_event(
                actor=actor, project=project, stage=stage, on=on, source=SOURCE,
                source_detail=detail, today=today,
            )  # fmt: skip
        except ValidationError as exc:
            messages = [
                m for ms in getattr(exc, "message_dict", {"": exc.messages}).values() for m in ms
            ]
            raise _RowFailed([_cell(row, sheet, column.field, m) for m in messages]) from exc
    return project


def _cell(row: ParsedRow, sheet: ParsedSheet, key: str, message: str) -> CellError:
    column = sheet.columns.get(key)
    if column is None:
        return CellError(row.number, "", "", message)
    return CellError(row.number, column.letter, column.header, message)


def _validation_errors(row: ParsedRow, sheet: ParsedSheet, exc: ValidationError) -> list[CellError]:
    if not hasattr(exc, "error_dict"):
        return [_cell(row, sheet, "", m) for m in exc.messages]
    return [
        _cell(row, sheet, _FIELD_COLUMNS.get(name, ""), message)
        for name, messages in exc.message_dict.items()
        for message in messages
    ]


def _resolve_town(row: ParsedRow, sheet: ParsedSheet) -> OrgUnit:
    name = row.values.get("town")
    if not name:
        raise _RowFailed([])  # already reported as blank
    units = OrgUnit.objects.filter(kind__in=[OrgUnit.Kind.TOWN, OrgUnit.Kind.PARK])
    for candidate in (name, f"{name}镇", f"{name}街道"):
        found = list(units.filter(name=candidate)[:2])
        if len(found) == 1:
            return found[0]
    raise _RowFailed([_cell(row, sheet, "town", _("找不到镇街/园区「%(v)s」") % {"v": name})])


def _resolve_team(row: ParsedRow, sheet: ParsedSheet) -> Team | None:
    name = row.values.get("team")
    if not name:
        return None
    team = Team.objects.filter(name=name).first()
    if team is None:
        raise _RowFailed([_cell(row, sheet, "team", _("找不到招引队伍「%(v)s」") % {"v": name})])
    return team


def _resolve_investors(
    actor: User, row: ParsedRow, sheet: ParsedSheet, town: OrgUnit, detail: str
) -> list[Enterprise]:
    names: list[str] = row.values.get("investors", [])
    codes: list[str] = row.values.get("credit_codes", [])
    if codes and len(codes) != len(names):
        raise _RowFailed([_cell(row, sheet, "credit_codes", _(
            "信用代码个数（%(c)s）与投资主体个数（%(n)s）不一致；多个主体请用顿号分隔并一一对应"
        ) % {"c": len(codes), "n": len(names)})])  # fmt: skip
    investors = []
    for index, name in enumerate(names):
        code = codes[index] if codes else None
        investors.append(_enterprise(actor, row, sheet, name, code, town, detail))
    return investors


def _enterprise(
    actor: User, row: ParsedRow, sheet: ParsedSheet, name: str, code: str | None,
    town: OrgUnit, detail: str,
) -> Enterprise:  # fmt: skip
    by_code = Enterprise.objects.filter(credit_code=code).first() if code else None
    by_name = Enterprise.objects.filter(name=name).first()
    # A sheet may shorten a registered name (康辉新材料 for 康辉新材料科技有限公司), but a
    # code registered to an unrelated name is a typing error, not a link to make.
    unrelated = by_code is not None and name not in by_code.name and by_code.name not in name
    if by_code is not None and (unrelated or (by_name is not None and by_code != by_name)):
        raise _RowFailed([_cell(row, sheet, "credit_codes", _(
            "统一社会信用代码「%(c)s」已登记为另一家企业，与投资主体「%(n)s」不符"
        ) % {"c": code, "n": name})])  # fmt: skip
    if by_name is not None and code and by_name.credit_code and by_name.credit_code != code:
        raise _RowFailed([_cell(row, sheet, "credit_codes", _(
            "企业「%(n)s」已登记的统一社会信用代码与表中「%(c)s」不一致"
        ) % {"c": code, "n": name})])  # fmt: skip
    existing = by_code or by_name
    if existing is not None:
        return existing
    try:
        return ledger.create_enterprise(
            actor=actor, fields={"name": name, "credit_code": code, "town": town},
            source=SOURCE, source_detail=detail,
        )  # fmt: skip
    except PermissionDenied as exc:
        raise _RowFailed([_cell(row, sheet, "investors", str(exc))]) from exc
    except ValidationError as exc:
        # The enterprise's "name" is the 投资主体 column, not 项目名称.
        fields = {"name": "investors", "credit_code": "credit_codes"}
        messages = getattr(exc, "message_dict", {"": exc.messages})
        raise _RowFailed([
            _cell(row, sheet, fields.get(key, "investors"), message)
            for key, ms in messages.items() for message in ms
        ]) from exc  # fmt: skip
