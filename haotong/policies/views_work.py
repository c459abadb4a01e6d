"""Outreach and grant pages: who qualifies but has not applied, per responsible
department, with contact tasks; the grant workflow (数据比对 → 意愿确认 → 拨付)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from haotong.core.masking import mask_phone
from haotong.core.models import Role, User
from haotong.ledger.models import Enterprise
from haotong.policies import outreach, queries, workflow
from haotong.policies.access import can_work_clause, outreach_clauses
from haotong.policies.forms import GrantStepForm, OpenGrantForm, OutcomeForm, TaskForm
from haotong.policies.models import Clause, Grant, OutreachTask

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


@login_required
def outreach_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    clauses = outreach_clauses(user)  # 404 unless policy staff or a department's reviewer/clerk
    if request.GET.get("clause", "").isdigit():
        clauses = clauses.filter(pk=int(request.GET["clause"]))
    rows = queries.outreach_rows(queries.visible_eligibility(user), clauses)
    task = request.GET.get("task")
    if task in {"none", "open", "done"}:
        lookup = {"task_id": None} if task == "none" else {"task_status": task}
        rows = rows.filter(**lookup)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        phone = row.enterprise.contact_phone
        row.phone = phone if user.sees_personal_data else mask_phone(phone)  # type: ignore[attr-defined]
    summary = _department_summary(outreach_clauses(user))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "summary": summary, "query": query.urlencode(),
               "outcome_form": OutcomeForm()}  # fmt: skip
    return render(request, "policies/outreach.html", context)


def _department_summary(clauses: QuerySet[Clause]) -> list[dict[str, Any]]:
    """Per responsible department: tasks open and done, and their outcomes."""
    return [
        dict(row)
        for row in OutreachTask.objects.filter(clause__in=clauses)
        .values("department__name")
        .annotate(
            open=Count("id", filter=Q(status="open")),
            done=Count("id", filter=Q(status="done")),
            applied=Count("id", filter=Q(outcome__in=["applied", "will_apply"])),
        )
        .order_by("department__name")
    ]


@login_required
@require_POST
def task_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = TaskForm(request.POST)
    if not form.is_valid():
        raise Http404
    clause = get_object_or_404(outreach_clauses(user), pk=form.cleaned_data["clause"])
    enterprise = get_object_or_404(
        Enterprise.objects.visible_to(user), pk=form.cleaned_data["enterprise"]
    )
    try:
        outreach.create_outreach_task(actor=user, enterprise=enterprise, clause=clause,
                                      assignee=user, source="user")  # fmt: skip
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"已建立告知任务：{enterprise} · {clause.code}")
    return redirect(reverse("policies:outreach") + f"?clause={clause.pk}")


@login_required
@require_POST
def task_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    task = get_object_or_404(OutreachTask.objects.filter(clause__in=outreach_clauses(user)), pk=pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写联系结果和日期")
        return redirect("policies:outreach")
    try:
        outreach.record_outreach_outcome(
            actor=user, task=task, expected_version=form.cleaned_data["version"],
            outcome=form.cleaned_data["outcome"], contacted_on=form.cleaned_data["contacted_on"],
            note=form.cleaned_data["note"], source="user",
        )  # fmt: skip
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "已登记联系结果")
    return redirect(reverse("policies:outreach") + f"?clause={task.clause_id}")


@login_required
@require_POST
def grant_open(request: HttpRequest) -> HttpResponse:
    """数据比对 (免申即享) or record an application, for an eligible pair."""
    user = _user(request)
    form = OpenGrantForm(request.POST)
    if not form.is_valid():
        raise Http404
    clause = get_object_or_404(outreach_clauses(user), pk=form.cleaned_data["clause"])
    enterprise = get_object_or_404(
        Enterprise.objects.visible_to(user), pk=form.cleaned_data["enterprise"]
    )
    opener = outreach.start_auto_grant if clause.auto_grant else outreach.record_application
    try:
        grant = opener(actor=user, enterprise=enterprise, clause=clause, source="user")
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(reverse("policies:outreach") + f"?clause={clause.pk}")
    messages.success(request, f"已登记「{grant.get_status_display()}」")
    return redirect("policies:grant", pk=grant.pk)


def access_grant(user: User, pk: int) -> Grant:
    if user.role == Role.ENTERPRISE and not user.is_superuser:
        qs = Grant.objects.filter(enterprise__pk=user.enterprise_id or 0)
    else:
        qs = queries.visible_grants(user)
    return get_object_or_404(qs.select_related("enterprise", "clause__policy",
                                               "clause__department"), pk=pk)  # fmt: skip


def _may_step(user: User, grant: Grant) -> bool:
    own = user.role == Role.ENTERPRISE and user.enterprise_id == grant.enterprise_id
    return own or can_work_clause(user, grant.clause)


@login_required
def grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    grant = access_grant(user, pk)
    steps = workflow.next_steps(grant.status) if _may_step(user, grant) else []
    if user.role == Role.ENTERPRISE:
        steps = [s for s in steps if s in workflow.ENTERPRISE_STEPS]
    context = {
        "grant": grant,
        "events": grant.events.select_related("actor"),
        "steps": [(s, workflow.LABELS[s]) for s in steps],
        "form": GrantStepForm(
            initial={"version": grant.version, "amount_yuan": grant.expected_yuan}
        ),
    }
    return render(request, "policies/grant_detail.html", context)


@login_required
@require_POST
def grant_step(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    grant = access_grant(user, pk)
    form = GrantStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[f].label}：{' '.join(str(m) for m in e)}"
                                         for f, e in form.errors.items()))  # fmt: skip
        return redirect("policies:grant", pk=pk)
    data = form.cleaned_data
    try:
        outreach.advance_grant(
            actor=user, grant=grant, expected_version=data["version"], to=data["to"],
            amount_yuan=data["amount_yuan"], paid_on=data["paid_on"], note=data["note"],
            source="user",
        )  # fmt: skip
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"已登记「{workflow.LABELS[data['to']]}」")
    return redirect("policies:grant", pk=pk)
