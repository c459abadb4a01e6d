"""/api/v1/ingest: upload a document (file or text) and read its candidate facts.

Review (accept/edit/reject) stays a person's act in the web UI; the API gives the
same intake and the same scoping (404 for documents outside the caller's scope).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.responses import Status

from haotong.api.auth import caller, caller_label
from haotong.core.models import User
from haotong.ingest import services
from haotong.ingest.models import Candidate, Document

router = Router(tags=["文档入库"])


class CandidateOut(Schema):
    id: int
    position: int
    name: str
    company: str
    place: str
    town_id: int | None
    town: str | None
    investment_yuan: str | None
    investment_qualifier: str
    stage: str = Field(description="在谈 negotiating / signed / started / under_construction / …")
    date: str = Field(description="YYYY-MM-DD 或 YYYY-MM，原文未给出时为空")
    capacity: str
    evidence: list[int] = Field(description="依据在原文中的 [起, 止) 字符位置")
    evidence_text: str
    status: str
    reason: str
    project_id: int | None

    @staticmethod
    def resolve_town(obj: Candidate) -> str | None:
        return obj.town.name if obj.town else None

    @staticmethod
    def resolve_investment_yuan(obj: Candidate) -> str | None:
        return None if obj.investment_yuan is None else str(obj.investment_yuan)

    @staticmethod
    def resolve_date(obj: Candidate) -> str:
        return obj.fact_date

    @staticmethod
    def resolve_evidence(obj: Candidate) -> list[int]:
        return [obj.evidence_start, obj.evidence_end]

    @staticmethod
    def resolve_evidence_text(obj: Candidate) -> str:
        return obj.evidence


class DocumentOut(Schema):
    id: int
    name: str
    encoding: str
    sha256: str
    size_bytes: int
    origin: str
    published_on: date | None
    date_found: bool
    uploaded_by: str | None
    uploaded_at: datetime
    candidates: list[CandidateOut]
    aggregates: list[dict[str, Any]]
    people: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    note: str


class ErrorOut(Schema):
    detail: str
    errors: Any = None


def _out(document: Document, user: User) -> dict[str, Any]:
    candidates = list(
        Candidate.objects.visible_to(user).filter(document=document).select_related("town")
        .order_by("position")
    )  # fmt: skip
    extras = document.extras or {}
    return {
        "id": document.pk, "name": document.name, "encoding": document.encoding,
        "sha256": document.sha256, "size_bytes": document.size_bytes, "origin": document.origin,
        "published_on": document.published_on, "date_found": document.date_found,
        "uploaded_by": document.uploaded_by.username if document.uploaded_by else None,
        "uploaded_at": document.uploaded_at, "candidates": candidates,
        "aggregates": extras.get("aggregates", []), "people": extras.get("people", []),
        "quotes": extras.get("quotes", []),
        "note": "" if candidates else _("原文中没有找到项目事实，审核队列为空"),
    }  # fmt: skip


def _check_reader(user: User) -> None:
    if not (user.can_edit_ledger or user.is_district_wide):
        raise PermissionDenied(_("您的角色不能查看文档入库"))


@router.post(
    "/documents",
    response={201: DocumentOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="上传文档（文件或文本）并抽取候选事实",
)
def upload_document(
    request: HttpRequest,
    file: UploadedFile | None = File(None),  # noqa: B008
    text: str = Form(""),
    name: str = Form(""),
    published_on: date | None = Form(None),  # noqa: B008
) -> Status[dict[str, Any]]:
    """multipart/form-data：`file`（纯文本，UTF-8/GBK/Big5）或 `text` 二选一；
    `name` 来源名称；`published_on` 发布日期（留空则从原文中查找）。
    同一文本重复上传返回 409；二进制、空文件、超限、无法识别的编码返回 422。"""
    user = caller(request)
    services.check_can_review(user)
    if (file is None) == (not text.strip()):
        raise HttpError(422, _("请上传一个文件，或提供一段文本（二选一）"))
    common: dict[str, Any] = {
        "actor": user, "published_on": published_on, "source": "api", "origin": "api",
    }  # fmt: skip
    try:
        if file is not None:
            max_bytes = settings.HAOTONG_MAX_UPLOAD_BYTES
            if file.size is not None and file.size > max_bytes:
                services.check_size(file.size)
            document = services.ingest_document(
                name=name or file.name or caller_label(request), data=file.read(max_bytes + 1),
                **common,
            )  # fmt: skip
        else:
            document = services.ingest_document(
                name=name or caller_label(request), text=text, **common
            )
    except services.DuplicateDocument as exc:
        raise HttpError(409, exc.messages[0]) from exc
    return Status(201, _out(document, user))


@router.get(
    "/documents/{int:document_id}",
    response={200: DocumentOut, 403: ErrorOut, 404: ErrorOut},
    summary="文档及其候选事实",
)
def get_document(request: HttpRequest, document_id: int) -> dict[str, Any]:
    user = caller(request)
    _check_reader(user)
    document = get_object_or_404(
        Document.objects.visible_to(user).select_related("uploaded_by"), pk=document_id
    )
    return _out(document, user)
