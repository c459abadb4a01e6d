"""/api/v1/ingest: upload a document (file or text), read its candidate facts with
the ledger projects each may be, and review them (accept / edit / reject).

Review goes through the same services as the web queue (``haotong.ingest.services``)
with the same scoping: 404 for documents, candidates and projects outside the caller's
scope, 403 for a role that may not review, 409 when ``expected_version`` is stale,
422 with the reason when the services or the ledger's stage machine refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.responses import Status

from haotong.api.auth import caller, caller_label
from haotong.core.amounts import ParseError
from haotong.core.models import AuditEntry, OrgUnit, User
from haotong.ingest import queries, services
from haotong.ingest.forms import parse_fact_date
from haotong.ingest.models import Candidate, Document
from haotong.ingest.queries import Match
from haotong.ledger.models import Project, StageEvent
from haotong.ledger.queries import access_project
from haotong.ledger.services import ConflictError

router = Router(tags=["文档入库"])


class MatchOut(Schema):
    project_id: int
    name: str
    town: str
    investment_yuan: str | None = Field(description="台账中的总投资（元）；null 为未披露")
    investment_qualifier: str = Field(description="台账金额限定：'' near about over planned")
    investment_differs: bool = Field(
        description="台账与本文都有总投资且不同：采纳时须 update_investment=true 才会以本文金额更新"
    )
    stage: str = Field(description="项目台账中的当前阶段代码")
    score: int = Field(description="综合匹配分（0–100）；网页上 80 及以上标为强匹配")
    name_score: int
    place_score: int | None
    amount_score: int | None


class CandidateOut(Schema):
    id: int
    position: int
    version: int = Field(description="审核操作须以 expected_version 回传此版本号")
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
    note: str = Field(description="采纳时的处理说明")
    project_id: int | None
    stage_event_id: int | None
    decided_by: str | None
    decided_at: datetime | None
    matches: list[MatchOut] = Field(
        description="待审核候选在您权限范围内的已有项目匹配，按分数排序"
    )
    ledger_preview: str = Field(description="采纳后将登记的阶段事件，如「竣工 2023年2月20日」")
    problem: str = Field(description="按现有内容不能采纳的原因（需先修改或驳回）；可采纳时为空")


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


class AcceptIn(Schema):
    expected_version: int = Field(description="读取候选时的 version")
    project_id: int | None = Field(
        None, description="采纳到该已有项目（须在您的权限范围内）；不填则新建项目"
    )
    town_id: int | None = Field(
        None, description="新建项目的所在镇街/园区；不填则用候选的所在地。采纳到已有项目时忽略"
    )
    update_investment: bool = Field(
        False,
        description=(
            "采纳到已有项目、且台账总投资与本文不同时，以本文金额更新台账；默认不更新"
            "（处理说明中记下差异）。台账未披露总投资时总会以本文金额补充"
        ),
    )


class EditIn(Schema):
    """Only the fields given are changed; the others keep their current values."""

    expected_version: int = Field(description="读取候选时的 version")
    name: str | None = Field(None, max_length=200, description="项目名称")
    town_id: int | None = Field(None, description="所在镇街/园区；null 表示清空")
    investment_yuan: Decimal | None = Field(None, description="总投资（元）；null 表示未披露")
    investment_qualifier: str | None = Field(
        None, description="金额限定：'' near about over planned"
    )
    stage: str | None = Field(None, description="阶段代码；'' 表示无阶段")
    date: str | None = Field(None, max_length=20, description="YYYY-MM-DD、YYYY-MM 或 2023年2月")


class RejectIn(Schema):
    expected_version: int = Field(description="读取候选时的 version")
    reason: str = Field(max_length=300, description="驳回理由")


def _yuan(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


def _match_out(match: Match, candidate: Candidate) -> dict[str, Any]:
    project = match.project
    return {
        "project_id": project.pk, "name": project.name, "town": project.town.name,
        "investment_yuan": _yuan(project.investment_yuan),
        "investment_qualifier": project.investment_qualifier,
        "investment_differs": services.investment_differs(project, candidate),
        "stage": project.stage,
        "score": match.score, "name_score": match.name_score,
        "place_score": match.place_score, "amount_score": match.amount_score,
    }  # fmt: skip


def _preview(candidate: Candidate, published_on: date | None) -> tuple[str, str]:
    """(the stage event accepting would record, why accepting would be refused)."""
    if not candidate.is_open:
        return "", ""
    try:
        event = services.ledger_event(candidate, published_on)
    except ValidationError as exc:
        return "", " ".join(exc.messages)
    if event is None:
        return "", ""
    stage, on, precision = event
    probe = StageEvent(stage=stage, date=on, date_precision=precision)
    return f"{probe.stage_label} {probe.date_label}", ""


def _candidates_out(
    candidates: list[Candidate], user: User, document: Document
) -> list[dict[str, Any]]:
    """Candidates as the review page shows them: matches among the projects the user
    may see, for the open ones and only for a user who may review (as the web page)."""
    open_ = [c for c in candidates if c.is_open]
    found = (
        queries.matches_for(open_, Project.objects.visible_to(user))
        if open_ and user.can_edit_ledger
        else {}
    )
    out = []
    for c in candidates:
        preview, problem = _preview(c, document.published_on)
        out.append({
            "id": c.pk, "position": c.position, "version": c.version, "name": c.name,
            "company": c.company, "place": c.place, "town_id": c.town_id,
            "town": c.town.name if c.town else None,
            "investment_yuan": _yuan(c.investment_yuan),
            "investment_qualifier": c.investment_qualifier, "stage": c.stage,
            "date": c.fact_date, "capacity": c.capacity,
            "evidence": [c.evidence_start, c.evidence_end], "evidence_text": c.evidence,
            "status": c.status, "reason": c.reason, "note": c.note,
            "project_id": c.project_id, "stage_event_id": c.stage_event_id,
            "decided_by": c.decided_by.username if c.decided_by else None,
            "decided_at": c.decided_at,
            "matches": [_match_out(m, c) for m in found.get(c.pk, [])],
            "ledger_preview": preview, "problem": problem,
        })  # fmt: skip
    return out


def _visible_candidates(user: User, document: Document) -> list[Candidate]:
    return list(Candidate.objects.visible_to(user).filter(document=document).for_review())


def _out(document: Document, user: User) -> dict[str, Any]:
    candidates = _visible_candidates(user, document)
    extras = document.extras or {}
    return {
        "id": document.pk, "name": document.name, "encoding": document.encoding,
        "sha256": document.sha256, "size_bytes": document.size_bytes, "origin": document.origin,
        "published_on": document.published_on, "date_found": document.date_found,
        "uploaded_by": document.uploaded_by.username if document.uploaded_by else None,
        "uploaded_at": document.uploaded_at,
        "candidates": _candidates_out(candidates, user, document),
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


@router.get(
    "/documents/{int:document_id}/candidates",
    response={200: list[CandidateOut], 403: ErrorOut, 404: ErrorOut},
    summary="文档的候选事实（含已有项目匹配建议）",
)
def list_candidates(request: HttpRequest, document_id: int) -> list[dict[str, Any]]:
    """与文档详情中的 `candidates` 相同：每条带 `version`（审核时回传）、
    `matches`（您权限范围内最可能的已有项目）、`ledger_preview` 与 `problem`。"""
    user = caller(request)
    _check_reader(user)
    document = get_object_or_404(Document.objects.visible_to(user), pk=document_id)
    return _candidates_out(_visible_candidates(user, document), user, document)


# --- review: the same services as the web queue, audited with source "api" ---

_ACTION_ERRORS = {200: CandidateOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _reviewable(
    request: HttpRequest, document_id: int, candidate_id: int
) -> tuple[User, Candidate]:
    """The caller (403 unless their role may review) and the candidate (404 unless the
    caller may see it and it belongs to the document)."""
    user = caller(request)
    services.check_can_review(user)
    candidate = get_object_or_404(
        Candidate.objects.visible_to(user).select_related("document"),
        pk=candidate_id, document_id=document_id,
    )  # fmt: skip
    return user, candidate


def _review(
    request: HttpRequest, user: User, action: Callable[..., Candidate], **kwargs: Any
) -> dict[str, Any]:
    """Run one review service; a stale version is a 409, not a refusal (422)."""
    try:
        done = action(actor=user, source=AuditEntry.Source.API, via=caller_label(request), **kwargs)
    except ConflictError as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    fresh = Candidate.objects.for_review().get(pk=done.pk)
    return _candidates_out([fresh], user, done.document)[0]


def _review_town(town_id: int) -> OrgUnit:
    town = next((t for t in queries.review_towns() if t.pk == town_id), None)
    if town is None:
        raise ValidationError(
            {"town": [_("所在地（组织单元 %(id)s）不存在，或不是区、镇街或园区") % {"id": town_id}]}
        )
    return town


@router.post(
    "/documents/{int:document_id}/candidates/{int:candidate_id}/accept",
    response=_ACTION_ERRORS,
    summary="采纳候选事实（到已有项目或新建项目）",
)
def accept_candidate(
    request: HttpRequest, document_id: int, candidate_id: int, body: AcceptIn
) -> dict[str, Any]:
    """`project_id` 为空时按候选新建项目（所在地取 `town_id` 或候选的所在地）。
    阶段事件经台账阶段状态机校验，来源记为该文档；被拒绝时什么也不保存（422）。
    采纳到已有项目时：名称不同于项目名称和各别名的加入别名；台账未披露总投资的以本文补充；
    金额不同的仅在 `update_investment` 为 true 时更新。`note` 说明做了什么。"""
    user, candidate = _reviewable(request, document_id, candidate_id)
    project = None if body.project_id is None else access_project(user, body.project_id)
    town = None if body.town_id is None else _review_town(body.town_id)
    return _review(
        request, user, services.accept_candidate, candidate=candidate,
        expected_version=body.expected_version, project=project, town=town,
        update_investment=body.update_investment,
    )  # fmt: skip


def _edited_fields(body: EditIn) -> dict[str, Any]:
    """The service's fields from what the body gives (the service checks their values)."""
    given = body.model_fields_set - {"expected_version"}
    if not given:
        raise ValidationError(_("没有要修改的字段"))
    fields: dict[str, Any] = {}
    if "name" in given:
        fields["name"] = (body.name or "").strip()
    if "town_id" in given:
        fields["town"] = None if body.town_id is None else _review_town(body.town_id)
    if "investment_qualifier" in given:
        fields["investment_qualifier"] = body.investment_qualifier or ""
    if "investment_yuan" in given:
        fields["investment_yuan"] = body.investment_yuan
        if body.investment_yuan is None:  # 未披露 has no qualifier
            fields["investment_qualifier"] = ""
    if "stage" in given:
        fields["stage"] = body.stage or ""
    if "date" in given:
        try:
            fields["fact_date"] = parse_fact_date(body.date or "")
        except ParseError as exc:
            raise ValidationError({"fact_date": [str(exc)]}) from exc
    return fields


@router.post(
    "/documents/{int:document_id}/candidates/{int:candidate_id}/edit",
    response=_ACTION_ERRORS,
    summary="修改候选事实（采纳前核对）",
)
def edit_candidate(
    request: HttpRequest, document_id: int, candidate_id: int, body: EditIn
) -> dict[str, Any]:
    """只修改请求中给出的字段；修改后状态为「已修改待确认」，仍须采纳或驳回。"""
    user, candidate = _reviewable(request, document_id, candidate_id)
    return _review(
        request, user, services.edit_candidate, candidate=candidate,
        expected_version=body.expected_version, fields=_edited_fields(body),
    )  # fmt: skip


@router.post(
    "/documents/{int:document_id}/candidates/{int:candidate_id}/reject",
    response=_ACTION_ERRORS,
    summary="驳回候选事实",
)
def reject_candidate(
    request: HttpRequest, document_id: int, candidate_id: int, body: RejectIn
) -> dict[str, Any]:
    user, candidate = _reviewable(request, document_id, candidate_id)
    return _review(
        request, user, services.reject_candidate, candidate=candidate,
        expected_version=body.expected_version, reason=body.reason,
    )  # fmt: skip
