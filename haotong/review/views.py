"""Review pages. Each view: parse, fetch with a permission check (404 for reviews the
user may not see), call one service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from haotong.core import audit
from haotong.core.models import User
from haotong.ledger.models import Project, ledger_as_of
from haotong.review import gate, queries, services
from haotong.review.forms import OpinionForm, StartReviewForm, VerdictForm
from haotong.review.minutes import build_minutes, minutes_filename
from haotong.review.models import Invitation, Opinion, Review, can_manage_reviews


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def access_review(user: User, pk: int) -> Review:
    """The review if ``user`` may see it; 404 otherwise (never reveal it exists)."""
    qs = Review.objects.visible_to(user).select_related(
        "project__town", "project__owner_team", "policy", "called_by", "decided_by"
    )
    return get_object_or_404(qs, pk=pk)


def _require_manager(user: User) -> None:
    if not can_manage_reviews(user):
        raise PermissionDenied("只有区领导、发改委或管理员可以组织研判会商")


def _refused(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    reviews = queries.reviews_with_progress(Review.objects.visible_to(user), today=ledger_as_of())
    context: dict[str, Any] = {"reviews": reviews, "can_manage": can_manage_reviews(user)}
    if context["can_manage"]:
        context["candidates"] = queries.candidates(gate.current_policy())[:50]
    return render(request, "review/list.html", context)


@login_required
def review_start(request: HttpRequest, project_pk: int) -> HttpResponse:
    user = _user(request)
    _require_manager(user)
    project = get_object_or_404(Project.objects.select_related("town"), pk=project_pk)
    form = StartReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.start_review(
                actor=user, project=project, departments=list(form.cleaned_data["departments"]),
                deadline=form.cleaned_data["deadline"], note=form.cleaned_data["note"],
                source="user",
            )  # fmt: skip
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, f"已发起研判会商，邀请{review.invitations.count()}个部门")
            return redirect(review)
    reason = gate.review_reason(project)
    return render(
        request, "review/start.html", {"project": project, "form": form, "reason": reason}
    )


def _invitations(review: Review) -> list[Invitation]:
    opinions = Opinion.objects.select_related("reviewer").prefetch_related("scores__criterion")
    return list(
        review.invitations.select_related("department")
        .prefetch_related(Prefetch("opinion", queryset=opinions), "reminders__sent_by")
        .order_by("department__name")
    )


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    review = access_review(user, pk)
    invitations = _invitations(review)
    mine = services.invitation_for(user, review)
    context: dict[str, Any] = {
        "review": review,
        "invitations": queries.with_lateness(invitations, today=ledger_as_of()),
        "criteria": list(review.policy.criteria.all()),
        "can_manage": can_manage_reviews(user),
        "mine": mine,
        "audit_entries": audit.entries_for(review)[:100],
    }
    if review.status == Review.Status.OPEN:
        context["preview"] = services.preview_outcome(review)
        context["verdict_form"] = VerdictForm(initial={"version": review.version})
        if mine is not None:
            context["opinion_form"] = _opinion_form(mine, context["criteria"])
    return render(request, "review/detail.html", context)


def _opinion_form(invitation: Invitation, criteria: list[Any]) -> OpinionForm:
    opinion = Opinion.objects.filter(invitation=invitation).first()
    initial: dict[str, Any] = {}
    if opinion is not None:
        initial = {"comments": opinion.comments, "conditions": opinion.conditions,
                   "version": opinion.version}  # fmt: skip
        initial |= {
            f"score_{s.criterion.code}": s.value for s in opinion.scores.select_related("criterion")
        }
    return OpinionForm(initial=initial, criteria=criteria)


@login_required
@require_POST
def review_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    review = access_review(user, pk)
    form = OpinionForm(request.POST, criteria=list(review.policy.criteria.all()))
    if not form.is_valid():
        messages.error(request, "；".join(
            f"{form.fields[f].label if f in form.fields else ''}：{' '.join(str(m) for m in e)}" for f, e in form.errors.items()
        ))  # fmt: skip
        return redirect(review)
    try:
        services.submit_opinion(
            actor=user, review=review, scores=form.scores(), comments=form.cleaned_data["comments"],
            conditions=form.cleaned_data["conditions"], expected_version=form.cleaned_data["version"],
            source="user",
        )  # fmt: skip
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "已提交本部门意见")
    return redirect(review)


@login_required
@require_POST
def review_chase(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    user = _user(request)
    review = access_review(user, pk)
    _require_manager(user)
    invitation = get_object_or_404(
        review.invitations.select_related("department"), pk=invitation_pk
    )
    try:
        services.chase_invitation(
            actor=user,
            invitation=invitation,
            note=request.POST.get("note", "")[:200],
            source="user",
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"已催办{invitation.department}")
    return redirect(review)


@login_required
@require_POST
def review_verdict(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    review = access_review(user, pk)
    _require_manager(user)
    form = VerdictForm(request.POST)
    if not form.is_valid():
        messages.error(request, "表单已过期，请刷新后再作结论")
        return redirect(review)
    try:
        decided = services.record_verdict(
            actor=user, review=review, expected_version=form.cleaned_data["version"],
            conditions=form.cleaned_data["conditions"], source="user",
        )  # fmt: skip
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"研判结论：{decided.get_verdict_display()}")
    return redirect(review)


@login_required
def review_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    review = access_review(_user(request), pk)
    content = build_minutes(review, _invitations(review))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = content_disposition_header(True, minutes_filename(review))
    return response
