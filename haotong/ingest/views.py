"""Document intake pages: upload or paste, then review each candidate fact against
its evidence in the original text. Views parse, fetch with a permission check
(404 for what the user may not see), call one service and render."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haotong.core import labels
from haotong.core.amounts import format_yuan
from haotong.core.models import User
from haotong.ingest import queries, services
from haotong.ingest.forms import AcceptForm, EditForm, RejectForm, UploadForm
from haotong.ingest.highlight import Span, highlight
from haotong.ingest.models import FACT_STAGE_LABELS, Candidate, Document
from haotong.ingest.queries import Match
from haotong.ledger.models import Project, StageEvent
from haotong.ledger.queries import access_project

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    user = request.user
    if not (user.can_edit_ledger or user.is_district_wide):
        raise PermissionDenied(_("您的角色不能查看文档入库"))
    return user


def access_document(user: User, pk: int) -> Document:
    """The document if ``user`` may see it; 404 otherwise."""
    return get_object_or_404(Document.objects.visible_to(user).select_related("uploaded_by"), pk=pk)


def access_candidate(user: User, pk: int) -> Candidate:
    return get_object_or_404(Candidate.objects.visible_to(user).select_related("document"), pk=pk)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    duplicate: Document | None = None
    if request.method == "POST" and form.is_valid():
        try:
            document = _ingest(user, form.cleaned_data)
        except services.DuplicateDocument as exc:
            duplicate = exc.existing
            form.add_error(None, exc.messages[0])
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            count = document.candidates.count()
            if count:
                messages.success(
                    request, _("已读取，抽取到 %(n)d 条项目事实，待审核") % {"n": count}
                )
            else:
                messages.info(request, _("已读取，但原文中没有找到项目事实：审核队列为空"))
            return redirect("ingest:document", pk=document.pk)
    documents = queries.document_summaries(Document.objects.visible_to(user))
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    can_see_duplicate = (
        duplicate is not None and Document.objects.visible_to(user).filter(pk=duplicate.pk).exists()
    )
    context = {
        "form": form,
        "page": page,
        "duplicate": duplicate if can_see_duplicate else None,
        "max_mb": settings.HAOTONG_MAX_UPLOAD_BYTES / 1048576,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "ingest/index.html", context, status=status)


def _ingest(user: User, data: dict[str, Any]) -> Document:
    upload = data["file"]
    common = {"actor": user, "published_on": data["published_on"], "source": "user"}
    if upload is not None:
        max_bytes = settings.HAOTONG_MAX_UPLOAD_BYTES
        if upload.size > max_bytes:
            services.check_size(upload.size)
        name = data["name"] or upload.name
        content = upload.read(max_bytes + 1)  # never more than one byte past the limit
        return services.ingest_document(name=name, data=content, origin="upload", **common)
    name = data["name"] or _("粘贴文本")
    return services.ingest_document(name=name, text=data["text"], origin="paste", **common)


@dataclass(frozen=True)
class Option:
    """A ledger project the fact may be, with how its amount compares to the text's."""

    match: Match
    amount_differs: bool


@dataclass
class Row:
    candidate: Candidate
    matches: list[Match] = field(default_factory=list)
    preview: str = ""
    problem: str = ""
    strong: bool = False

    @property
    def amount_label(self) -> str:
        """The document's amount, in the reader's language."""
        c = self.candidate
        return (
            _("未披露")
            if c.investment_yuan is None
            else labels.amount(c.investment_yuan, c.investment_qualifier)
        )

    @property
    def options(self) -> list[Option]:
        """The matches with their amount comparison (read from the matched projects
        already loaded: no query per match)."""
        return [
            Option(m, services.investment_differs(m.project, self.candidate)) for m in self.matches
        ]


@login_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    doc = access_document(user, pk)
    candidates = list(Candidate.objects.visible_to(user).filter(document=doc).for_review())
    open_ = [c for c in candidates if c.is_open]
    found = (
        queries.matches_for(open_, Project.objects.visible_to(user))
        if open_ and user.can_edit_ledger
        else {}
    )
    rows = [_row(c, found.get(c.pk, []), doc) for c in candidates]
    context = {
        "document": doc,
        "rows": rows,
        "source": highlight(doc.text, _spans(candidates)),
        "towns": queries.review_towns() if open_ and user.can_edit_ledger else [],
        "can_act": user.can_edit_ledger,
        "extras": doc.extras,
        "aggregates": [_aggregate(a) for a in doc.extras.get("aggregates") or []],
        "stage_choices": list(FACT_STAGE_LABELS.items()),
    }
    return render(request, "ingest/document.html", context)


def _aggregate(fact: dict[str, Any]) -> dict[str, Any]:
    amount = fact.get("investment_yuan")
    bracket = fact.get("bracket_min_yuan")
    label = format_yuan(Decimal(str(amount))) if amount is not None else "—"
    if bracket is not None:
        label = _("每个 %(v)s 以上") % {"v": format_yuan(Decimal(str(bracket)))}
    return {
        "count": fact.get("count"),
        "amount": label,
        "stage": FACT_STAGE_LABELS.get(fact.get("stage") or "", "—"),
        "date": fact.get("date") or "",
    }


def _row(candidate: Candidate, matches: list[Match], doc: Document) -> Row:
    row = Row(candidate, matches, strong=bool(matches) and matches[0].score >= 80)
    if not candidate.is_open:
        return row
    try:
        event = services.ledger_event(candidate, doc.published_on)
    except ValidationError as exc:
        row.problem = " ".join(exc.messages)
        return row
    if event is not None:
        stage, on, precision = event
        probe = StageEvent(stage=stage, date=on, date_precision=precision)
        row.preview = f"{probe.stage_label} {probe.date_label}"
    return row


def _spans(candidates: list[Candidate]) -> list[Span]:
    spans = []
    for c in candidates:
        spans.append(Span(c.evidence_start, c.evidence_end, c.pk, main=True))
        for event in c.original.get("events") or []:
            start, end = [*(event.get("evidence") or []), 0, 0][:2]
            if (start, end) != (c.evidence_start, c.evidence_end):
                spans.append(Span(int(start), int(end), c.pk, main=False))
    return spans


def _back(candidate: Candidate) -> HttpResponse:
    url = reverse("ingest:document", args=[candidate.document_id])
    return redirect(f"{url}#cand-{candidate.pk}")


def _refused(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text or _("您无权执行此操作"))


def _form_errors(request: HttpRequest, form: Any) -> None:
    messages.error(
        request, "；".join(" ".join(str(m) for m in errors) for errors in form.errors.values())
    )


@login_required
@require_POST
def candidate_accept(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    candidate = access_candidate(user, pk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(candidate)
    target = form.cleaned_data["target"]
    project = None if target == "new" else access_project(user, int(target))
    try:
        done = services.accept_candidate(
            actor=user, candidate=candidate, expected_version=form.cleaned_data["version"],
            project=project, town=form.cleaned_data["town"],
            update_investment=form.cleaned_data["update_investment"],
        )  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(
            request, _("已采纳「%(name)s」：%(note)s") % {"name": done.name, "note": done.note}
        )
    return _back(candidate)


@login_required
@require_POST
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    candidate = access_candidate(user, pk)
    form = EditForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(candidate)
    try:
        services.edit_candidate(
            actor=user, candidate=candidate, expected_version=form.cleaned_data["version"],
            fields=form.fields_for_service(),
        )  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已修改，请核对后采纳"))
    return _back(candidate)


@login_required
@require_POST
def candidate_reject(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    candidate = access_candidate(user, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(candidate)
    try:
        services.reject_candidate(
            actor=user, candidate=candidate, expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已驳回"))
    return _back(candidate)
