"""Ledger pages. Each view: parse, fetch with a permission check, call one
service or query, render. Scoping is server-side through ``visible_to``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from haotong.core import audit
from haotong.core.masking import mask_phone
from haotong.core.models import User
from haotong.ledger import exports, queries, services
from haotong.ledger.forms import ProjectFilterForm, StageEventForm
from haotong.ledger.models import Enterprise, Groundbreaking, Project, ledger_as_of

PAGE_SIZE = 50


def healthz(request: HttpRequest) -> HttpResponse:
    """Trivial view: the benchmarks' baseline for server time."""
    return HttpResponse("ok", content_type="text/plain")


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    as_of = ledger_as_of()
    visible = Project.objects.visible_to(user)
    data = queries.dashboard(visible, as_of=as_of)
    batches = queries.groundbreaking_totals(visible)
    chart = {
        "stages": [[b.label, b.count, b.query] for b in data["by_stage"]],
        "industries": [
            [b.label, float(b.investment_yuan) / 1e8, b.query] for b in data["by_industry"][:10]
        ],
        "towns": [[b.label, float(b.investment_yuan) / 1e8, b.query] for b in data["by_town"]],
        "months": [m.strftime("%Y-%m") for m in data["months"]],
        "started": list(data["monthly"]["started"].values()),
        "production": list(data["monthly"]["production"].values()),
    }
    return render(request, "ledger/dashboard.html", {**data, "chart": chart, "batches": batches})


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ProjectFilterForm(request.GET or None)
    qs: QuerySet[Project] = Project.objects.visible_to(user)
    if form.is_bound and form.is_valid():
        flt = queries.ProjectFilter.from_form(form.cleaned_data, as_of=ledger_as_of())
        qs = queries.filter_projects(qs, flt)
    elif form.is_bound:
        qs = qs.none()
    if request.GET.get("export") in {"xlsx", "csv"}:
        return exports.export_projects_response(request, qs, fmt=request.GET["export"])
    qs = qs.select_related("town", "owner_team")
    totals = qs.aggregate(n=Count("id"), total=Sum("investment_yuan"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("export", None)
    template = (
        "ledger/project_list.html#results"
        if request.headers.get("HX-Request")
        else "ledger/project_list.html"
    )
    return render(
        request,
        template,
        {"form": form, "page": page, "totals": totals, "query": params.urlencode()},
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    project = queries.access_project(user, pk)
    events = list(project.events.select_related("recorded_by").order_by("date", "id"))
    reports = project.investment_reports.order_by("month")
    context = {
        "project": project,
        "events": events,
        "reports": reports,
        "reported_total": reports.aggregate(s=Sum("completed_yuan"))["s"],
        "investors": project.investors.all(),
        "batches": project.groundbreakings.all(),
        "audit_entries": audit.entries_for(project)[:50],
        "can_edit": _can_edit(user, project),
        "event_form": StageEventForm(initial={"version": project.version}),
    }
    return render(request, "ledger/project_detail.html", context)


def _can_edit(user: User, project: Project) -> bool:
    try:
        services.check_can_edit_project(user, project)
    except PermissionDenied:
        return False
    return True


@login_required
@require_POST
def project_record_event(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    project = queries.access_project(user, pk)
    form = StageEventForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "；".join(
                f"{form.fields[f].label}：{' '.join(str(m) for m in e)}"
                for f, e in form.errors.items()
            ),
        )
        return redirect(project)
    if form.cleaned_data["version"] != project.version:
        messages.error(request, "该项目在您打开页面后已被他人修改，请核对最新时间轴后再登记。")
        return redirect(project)
    try:
        services.record_stage_event(
            actor=user, project=project, stage=form.cleaned_data["stage"], on=form.cleaned_data["date"],
            precision=form.cleaned_data["precision"], evidence=form.cleaned_data["evidence"],
            source="user", source_detail="网页登记",
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"已登记「{project.stage_label}」")
    return redirect(project)


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    qs = Enterprise.objects.visible_to(user).select_related("town")
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(credit_code=q.upper())
    if request.GET.get("chain") == "1":
        qs = qs.exclude(chain_link="")
    if request.GET.get("synthetic") in {"0", "1"}:
        qs = qs.filter(synthetic=request.GET["synthetic"] == "1")
    page = Paginator(qs.order_by("name"), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request, "ledger/enterprise_list.html", {"page": page, "q": q, "query": params.urlencode()}
    )


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    enterprise = get_object_or_404(
        Enterprise.objects.visible_to(user).select_related("town"), pk=pk
    )
    phone = (
        enterprise.contact_phone
        if user.sees_personal_data
        else mask_phone(enterprise.contact_phone)
    )
    projects = Project.objects.visible_to(user).filter(investors=enterprise).select_related("town")
    return render(request, "ledger/enterprise_detail.html", {
        "enterprise": enterprise, "phone": phone, "projects": projects,
        "audit_entries": audit.entries_for(enterprise)[:20],
    })  # fmt: skip


@login_required
def groundbreaking_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    visible = (
        Project.objects.visible_to(user).select_related("town").order_by("-investment_yuan", "id")
    )
    batches = (
        Groundbreaking.objects.filter(projects__in=visible)
        .distinct()
        .prefetch_related(Prefetch("projects", queryset=visible))
    )
    summaries = [queries.groundbreaking_summary(b) for b in batches]
    return render(request, "ledger/groundbreaking_list.html", {"summaries": summaries})
