"""Attraction pages: dashboard, leads, conflicts. Each view parses, fetches with a
permission check (404 for what the user may not see), calls one service, renders."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from haotong.attraction import conflicts, queries, services, stages
from haotong.attraction.forms import (
    ActivityForm,
    LeadFilterForm,
    LeadForm,
    SettleForm,
    SignForm,
    StageForm,
)
from haotong.attraction.models import Lead, LeadConflict
from haotong.core import audit
from haotong.core.models import Role, User
from haotong.ledger.models import ledger_as_of

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    if request.user.role == Role.ENTERPRISE:
        raise Http404  # attraction is the government's side of the table
    return request.user


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _form_errors(form: object) -> str:
    return "；".join(
        f"{form.fields[f].label if f in form.fields else ''}：{' '.join(str(m) for m in e)}"  # type: ignore[attr-defined]
        for f, e in form.errors.items()  # type: ignore[attr-defined]
    )


def access_lead(user: User, pk: int) -> Lead:
    """The lead if ``user`` may see it; 404 otherwise (never reveal it exists)."""
    qs = Lead.objects.visible_to(user).select_related(
        "team__org_unit", "investor", "chain_link__chain", "project"
    )
    return get_object_or_404(qs, pk=pk)


def access_lead_for_work(user: User, pk: int) -> Lead:
    lead = access_lead(user, pk)
    if not services.can_work_team(user, lead.team):
        raise PermissionDenied("您的角色只能查看线索")
    return lead


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    data = queries.dashboard(user, as_of=ledger_as_of(), days=services.stale_days())
    return render(
        request,
        "attraction/dashboard.html",
        {**data, "as_of": ledger_as_of(), "days": services.stale_days()},
    )


@login_required
def lead_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = LeadFilterForm(request.GET or None, teams=services.visible_teams(user))
    qs: QuerySet[Lead] = Lead.objects.visible_to(user)
    days = services.stale_days()
    if form.is_bound and form.is_valid():
        qs = queries.filter_leads(qs, form.cleaned_data, as_of=ledger_as_of(), days=days)
    elif form.is_bound:
        qs = qs.none()
    qs = queries.with_last_follow_up(qs.select_related("team", "chain_link")).order_by(
        "-acquired_on", "-id"
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    template = (
        "attraction/lead_list.html#results"
        if request.headers.get("HX-Request")
        else "attraction/lead_list.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "query": params.urlencode(),
            "days": days,
            "stale_before": ledger_as_of() - timedelta(days=days),
            "can_create": bool(services.teams_for(user)),
        },
    )


@login_required
def lead_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    teams = services.teams_for(user)
    if not teams:
        raise PermissionDenied("您的角色不能登记线索")
    form = LeadForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        try:
            lead = services.create_lead(
                actor=user, fields=form.lead_fields(), source="user", source_detail="网页登记"
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, f"已登记线索「{lead.project_name}」")
            return redirect(lead)
    return render(request, "attraction/lead_form.html", {"form": form, "lead": None})


@login_required
def lead_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    lead = access_lead_for_work(user, pk)
    initial = {f: getattr(lead, f) for f in LeadForm.base_fields if f != "version"}
    initial |= {"version": lead.version, "intended_investment_yuan": _amount_text(lead)}
    form = LeadForm(request.POST or None, initial=initial, teams=services.teams_for(user))
    if request.method == "POST" and form.is_valid():
        try:
            lead = services.update_lead(
                actor=user,
                lead=lead,
                expected_version=form.cleaned_data["version"] or 0,
                fields=form.lead_fields(),
                source="user",
                source_detail="网页修改",
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, "已保存")
            return redirect(lead)
    return render(request, "attraction/lead_form.html", {"form": form, "lead": lead})


def _amount_text(lead: Lead) -> str:
    if lead.intended_investment_yuan is None:
        return ""
    return f"{lead.intended_investment_yuan.normalize():f}元"


@login_required
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    lead = access_lead(user, pk)
    today = timezone.localdate()
    pair = Q(lead_a=lead) | Q(lead_b=lead)
    lead_conflicts = LeadConflict.objects.filter(pair).select_related(
        "lead_a__team", "lead_b__team", "owner_team"
    )
    return render(
        request,
        "attraction/lead_detail.html",
        {
            "lead": lead,
            "changes": lead.stage_changes.select_related("recorded_by"),
            "activities": lead.activities.select_related("recorded_by"),
            "conflicts": lead_conflicts if user.is_district_wide else None,
            "open_conflict": lead_conflicts.filter(status=LeadConflict.Status.OPEN).exists(),
            "can_edit": services.can_work_team(user, lead.team),
            "stage_form": StageForm(initial={"version": lead.version, "on": today}).offer_only(
                stages.allowed_next(lead.stage)
            ),
            "sign_form": SignForm(
                initial={"version": lead.version, "on": today, "town": lead.team.org_unit}
            ),
            "activity_form": ActivityForm(initial={"on": today, "who": user.first_name or user}),
            "audit_entries": audit.entries_for(lead)[:30],
        },
    )


@login_required
@require_POST
def lead_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    lead = access_lead_for_work(user, pk)
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(lead)
    try:
        services.move_lead(
            actor=user,
            lead=lead,
            stage=form.cleaned_data["stage"],
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
            source="user",
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, f"线索已进入「{lead.stage_label}」")
    return redirect(lead)


@login_required
@require_POST
def lead_sign(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    lead = access_lead_for_work(user, pk)
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(lead)
    try:
        project = services.sign_lead(
            actor=user,
            lead=lead,
            on=form.cleaned_data["on"],
            town=form.cleaned_data["town"],
            expected_version=form.cleaned_data["version"],
            source="user",
        )
    except ValidationError as exc:
        # The ledger's own refusals (e.g. a major project without a passed review) as is.
        messages.error(request, _errors(exc))
    else:
        messages.success(request, f"已签约，项目「{project.name}」已进入项目台账")
    return redirect(lead)


@login_required
@require_POST
def lead_activity(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    lead = access_lead_for_work(user, pk)
    form = ActivityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(lead)
    try:
        services.log_activity(actor=user, lead=lead, source="user", **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "已记录跟进")
    return redirect(lead)


@login_required
def conflict_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.is_district_wide:
        raise Http404
    status = request.GET.get("status", LeadConflict.Status.OPEN)
    qs = LeadConflict.objects.select_related(
        "lead_a__team", "lead_b__team", "owner_team", "settled_by"
    )
    if status in LeadConflict.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "attraction/conflict_list.html",
        {
            "page": page,
            "status": status,
            "statuses": LeadConflict.Status.choices,
            "can_settle": services.can_settle(user),
            "form": SettleForm(),
        },
    )


@login_required
@require_POST
def conflict_settle(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    if not user.is_district_wide:
        raise Http404
    conflict = get_object_or_404(
        LeadConflict.objects.select_related("lead_a__team", "lead_b__team"), pk=pk
    )
    form = SettleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("attraction:conflict_list")
    decision = form.cleaned_data["decision"]
    owner = {"a": conflict.lead_a.team, "b": conflict.lead_b.team}.get(decision)
    try:
        conflicts.settle_conflict(
            actor=user,
            conflict=conflict,
            owner_team=owner,
            note=form.cleaned_data["note"],
            source="user",
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "已裁定" + (f"：由{owner}跟进" if owner else "：非重复"))
    return redirect("attraction:conflict_list")
