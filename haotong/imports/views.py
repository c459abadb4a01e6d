"""Upload → preview (every error by row and column) → all-or-nothing commit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from haotong.core.models import OrgUnit, Team
from haotong.imports import services
from haotong.imports.models import PendingImport
from haotong.imports.parsing import ParsedRow
from haotong.imports.safety import UploadRefused
from haotong.imports.template import build_template
from haotong.ledger import stages

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("项目清单（.xlsx）"))


def _check_importer(request: HttpRequest) -> None:
    try:
        services.check_can_import(request.user)  # type: ignore[arg-type]
    except PermissionDenied:
        raise PermissionDenied(_("您的角色不能导入项目台账")) from None


def _access_pending(request: HttpRequest, token: str) -> PendingImport:
    _check_importer(request)
    try:
        return services.access_pending(actor=request.user, token=token)  # type: ignore[arg-type]
    except PendingImport.DoesNotExist:
        raise Http404(_("该导入不存在、已提交或已过期，请重新上传")) from None


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    _check_importer(request)
    max_bytes = settings.HAOTONG_MAX_UPLOAD_BYTES
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            # Read at most one byte past the limit: enough to refuse, never the whole file.
            content = b"" if upload_file.size > max_bytes else upload_file.read(max_bytes + 1)
            pending = services.stage_upload(
                actor=request.user, file_name=upload_file.name, content=content,  # type: ignore[arg-type]
                size=upload_file.size,
            )  # fmt: skip
        except UploadRefused as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("imports:preview", token=pending.token)
    if request.method == "POST":
        status = 400
    context = {"form": form, "max_mb": max_bytes / 1048576}
    return render(request, "imports/upload.html", context, status=status)


def _row_view(row: ParsedRow) -> dict[str, Any]:
    values = row.values
    amount = values.get("investment")
    last = row.events[-1] if row.events else None
    return {
        "number": row.number,
        "name": values.get("name", ""),
        "town": values.get("town", ""),
        "investment": amount.label() if amount else "",
        "stage": stages.STATE_LABELS[last[0]] if last else "",
        "stage_date": last[1] if last else None,
        "investors": "、".join(values.get("investors", [])),
        "team": values.get("team", ""),
        "errors": [str(e) for e in row.errors],
    }


def _render_result(
    request: HttpRequest, pending: PendingImport, result: services.ImportResult, status: int = 200
) -> HttpResponse:
    context = {
        "pending": pending,
        "result": result,
        "rows": [_row_view(row) for row in result.rows],
        "errors": [str(e) for e in result.errors],
        "ok_count": sum(1 for row in result.rows if not row.errors),
    }
    return render(request, "imports/preview.html", context, status=status)


@login_required
def preview(request: HttpRequest, token: str) -> HttpResponse:
    pending = _access_pending(request, token)
    try:
        result = services.preview_import(actor=request.user, pending=pending)  # type: ignore[arg-type]
    except UploadRefused as exc:
        pending.delete()
        form = UploadForm()
        form.add_error(None, str(exc))
        return render(request, "imports/upload.html", {"form": form}, status=400)
    return _render_result(request, pending, result)


@login_required
@require_POST
def commit(request: HttpRequest, token: str) -> HttpResponse:
    pending = _access_pending(request, token)
    result = services.commit_import(actor=request.user, pending=pending)  # type: ignore[arg-type]
    if not result.ok:
        return _render_result(request, pending, result, status=400)
    context = {"file_name": pending.file_name, "projects": result.created}
    return render(request, "imports/done.html", context)


@login_required
def template(request: HttpRequest) -> HttpResponse:
    _check_importer(request)
    towns = OrgUnit.objects.filter(kind__in=[OrgUnit.Kind.TOWN, OrgUnit.Kind.PARK]).values_list(
        "name", flat=True
    )
    teams = Team.objects.values_list("name", flat=True)
    response = HttpResponse(build_template(towns=towns, teams=teams), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, _("项目导入模板.xlsx"))
    return response
