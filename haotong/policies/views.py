"""Policy pages: catalogue and rule editing, the uptake dashboard and the rows
behind its figures, an enterprise's own page and the explanation of any
enterprise × clause. Each view: parse, fetch with a permission check (404 for
out of scope), call one service or query, render. Outreach and grants: views_work.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haotong.core import audit
from haotong.core.models import Role, User
from haotong.policies import eligibility, queries, services
from haotong.policies.access import access_enterprise, is_policy_staff, sees_policy_dashboard
from haotong.policies.engine import explain as engine_explain
from haotong.policies.engine.schema import ENTERPRISE_SCHEMA
from haotong.policies.forms import ClauseForm, PolicyForm
from haotong.policies.models import Clause, Eligibility, Grant, MatchRun, Policy

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _staff_or_404(user: User) -> None:
    if not sees_policy_dashboard(user):
        raise Http404


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role == Role.ENTERPRISE and not user.is_superuser:
        if user.enterprise_id is None:
            raise Http404
        return redirect("policies:enterprise", pk=user.enterprise_id)
    data = queries.uptake(queries.visible_eligibility(user), queries.visible_grants(user))
    chart = {
        "labels": [b.label for b in data["by_policy"]],
        "due": [float(b.due_yuan) / 1e4 for b in data["by_policy"]],
        "paid": [float(b.paid_yuan) / 1e4 for b in data["by_policy"]],
    }
    context = {**data, "chart": chart, "run": MatchRun.objects.filter(kind="full").first(),
               "can_edit": is_policy_staff(user)}  # fmt: skip
    return render(request, "policies/dashboard.html", context)


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    _staff_or_404(_user(request))
    policies = Policy.objects.annotate(
        n=Count("clauses"), auto=Count("clauses", filter=Q(clauses__auto_grant=True))
    )
    return render(request, "policies/catalogue.html", {"policies": policies})


@login_required
def policy_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not is_policy_staff(user):
        raise Http404
    form = PolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            policy = services.create_policy(actor=user, fields=form.cleaned_data, source="user")
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request, _("已新增政策「%(t)s」，请继续添加条款") % {"t": policy.title}
            )
            return redirect(policy)
    status = 400 if request.method == "POST" else 200
    return render(request, "policies/policy_form.html", {"form": form}, status=status)


@login_required
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    _staff_or_404(user)
    policy = get_object_or_404(Policy, pk=pk)
    clauses = policy.clauses.select_related("department").annotate(
        eligible=Count("eligibilities", filter=Q(eligibilities__status="eligible")),
        unknown=Count("eligibilities", filter=Q(eligibilities__status="unknown")),
    )
    return render(request, "policies/policy_detail.html",
                  {"policy": policy, "clauses": clauses, "can_edit": is_policy_staff(user)})  # fmt: skip


@login_required
def clause_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    _staff_or_404(user)
    clause = get_object_or_404(Clause.objects.select_related("policy", "department"), pk=pk)
    counts = dict(
        clause.eligibilities.values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    context = {
        "clause": clause,
        "counts": counts,
        "versions": clause.versions.select_related("edited_by", "department"),
        "audit_entries": audit.entries_for(clause)[:20],
        "can_edit": is_policy_staff(user),
    }
    return render(request, "policies/clause_detail.html", context)


def _clause_form_context(form: ClauseForm, **extra: Any) -> dict[str, Any]:
    return {"form": form, "schema": ENTERPRISE_SCHEMA.values(), **extra}


@login_required
def clause_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    if not is_policy_staff(user):
        raise Http404
    clause = get_object_or_404(Clause.objects.select_related("policy"), pk=pk)
    if request.method != "POST":
        form = ClauseForm(instance=clause, initial={"version": clause.version})
        return render(request, "policies/clause_form.html",
                      _clause_form_context(form, clause=clause, policy=clause.policy))  # fmt: skip
    form = ClauseForm(request.POST, instance=clause)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"version", "note"}}
        try:
            services.update_clause(
                actor=user, clause=clause, expected_version=form.cleaned_data["version"] or 0,
                fields=data, source="user", note=form.cleaned_data["note"],
            )  # fmt: skip
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已保存条款「{clause.code}」，并已重新匹配全部企业")
            return redirect(clause)
    return render(request, "policies/clause_form.html",
                  _clause_form_context(form, clause=clause, policy=clause.policy), status=400)  # fmt: skip


@login_required
def clause_new(request: HttpRequest, policy_pk: int) -> HttpResponse:
    user = _user(request)
    if not is_policy_staff(user):
        raise Http404
    policy = get_object_or_404(Policy, pk=policy_pk)
    form = ClauseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"version", "note"}}
        try:
            clause = services.create_clause(actor=user, policy=policy, fields=data, source="user")
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已新增条款「{clause.code}」")
            return redirect(clause)
    status = 400 if request.method == "POST" else 200
    return render(request, "policies/clause_form.html",
                  _clause_form_context(form, policy=policy), status=status)  # fmt: skip


def _add_errors(form: ClauseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_POST
def run(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    try:
        result = eligibility.run_match(actor=user, source="user")
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, f"已匹配 {result.enterprises} 家企业 × {result.clauses} 条条款："
                              f"符合 {result.eligible} 对，无法判断 {result.unknown} 对")  # fmt: skip
    return redirect("policies:index")


def _params(request: HttpRequest) -> dict[str, str]:
    return {k: request.GET.get(k, "") for k in queries.FILTERS}


@login_required
def eligible_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _staff_or_404(user)
    params = _params(request)
    rows = queries.eligibility_rows(queries.visible_eligibility(user), params)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "policies/eligible_list.html",
                  {"page": page, "params": params, "query": query.urlencode()})  # fmt: skip


@login_required
def grant_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _staff_or_404(user)
    params = _params(request)
    rows = queries.grant_rows(queries.visible_grants(user), params)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "policies/grant_list.html",
                  {"page": page, "params": params, "query": query.urlencode(),
                   "statuses": Grant.Status.choices})  # fmt: skip


@login_required
def enterprise_page(request: HttpRequest, pk: int) -> HttpResponse:
    """What the enterprise qualifies for and why (stored results + explanations)."""
    user = _user(request)
    enterprise = access_enterprise(user, pk)
    rows = list(
        Eligibility.objects.filter(enterprise=enterprise)
        .select_related("clause__policy", "clause__department")
        .order_by("status", "clause__policy_id", "clause_id")
    )
    record = eligibility.enterprise_record(enterprise)
    items = [(row, engine_explain.explain(eligibility.engine_clause(row.clause), record))
             for row in rows]  # fmt: skip
    grants = Grant.objects.filter(enterprise=enterprise).select_related("clause__policy")
    context = {
        "enterprise": enterprise,
        "items": items,
        "grants": grants,
        "own": user.role == Role.ENTERPRISE,
    }
    return render(request, "policies/enterprise.html", context)


@login_required
def explanation(request: HttpRequest, pk: int, clause_pk: int) -> HttpResponse:
    user = _user(request)
    enterprise = access_enterprise(user, pk)
    clause = get_object_or_404(Clause.objects.select_related("policy", "department"), pk=clause_pk)
    result = eligibility.explain(clause, enterprise)
    stored = Eligibility.objects.filter(enterprise=enterprise, clause=clause).first()
    return render(request, "policies/explanation.html",
                  {"enterprise": enterprise, "clause": clause, "result": result,
                   "stored": stored})  # fmt: skip
