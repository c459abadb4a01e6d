"""Attraction pages: dashboard, leads, conflicts. Each view parses, fetches with a
permission check (404 for what the user may not see), calls one service, renders."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from haotong.attraction import chains, conflicts, queries, services, stages
from haotong.attraction.forms import (
    ActivityForm,
    ChainAnchorForm,
    ChainCreateForm,
    ChainEditForm,
    ChainFirmForm,
    ChainLinkAddForm,
    ChainLinkForm,
    ChainLinkMoveForm,
    ChainVersionForm,
    LeadFilterForm,
    LeadForm,
    SettleForm,
    SignForm,
    StageForm,
)
from haotong.attraction.models import Chain, ChainFirm, ChainLink, Lead, LeadConflict
from haotong.core import audit
from haotong.core.models import Role, User
from haotong.ledger.models import Enterprise, Project, ledger_as_of

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


# --- Chain structure editor (产业链编辑) -----------------------------------------
# Anyone in government may view the map (chain_views); only the district roles that
# keep it (services.can_edit_chains) may open the editor or post to it: 403 otherwise,
# 404 for enterprise users and for chains, links or firms that do not exist.


def _chain_editor(request: HttpRequest) -> User:
    user = _user(request)
    chains.check_can_edit_chains(user)
    return user


def _to_editor(chain_id: int, anchor: str = "") -> HttpResponse:
    return redirect(reverse("attraction:chain_edit", args=[chain_id]) + anchor)


def _link(pk: int) -> ChainLink:
    return get_object_or_404(ChainLink.objects.select_related("chain"), pk=pk)


def _firm(pk: int) -> ChainFirm:
    return get_object_or_404(ChainFirm.objects.select_related("link__chain", "enterprise"), pk=pk)


@login_required
def chain_create(request: HttpRequest) -> HttpResponse:
    user = _chain_editor(request)
    form = ChainCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            chain = services.new_chain(
                actor=user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                links=form.link_names(),
                source="user",
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, gettext("已新建产业链「%(name)s」") % {"name": chain.name})
            return _to_editor(chain.pk)
    return render(request, "attraction/chain_create.html", {"form": form})


@login_required
def chain_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor: the chain's name, its links in order, each link's firms, history.
    A POST here renames the chain or changes its description."""
    user = _chain_editor(request)
    chain = get_object_or_404(Chain, pk=pk)
    form = ChainEditForm(
        request.POST or None,
        initial={"name": chain.name, "description": chain.description, "version": chain.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_chain(
                actor=user,
                chain=chain,
                expected_version=form.cleaned_data["version"],
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                source="user",
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, gettext("已保存"))
            return _to_editor(chain.pk)
    firms = ChainFirm.objects.select_related("enterprise").order_by(
        "-is_anchor", "enterprise__name"
    )
    links = list(
        chain.links.annotate(
            n_leads=Count("leads", distinct=True), n_targets=Count("targets", distinct=True)
        )
        .prefetch_related(Prefetch("firms", queryset=firms))
        .order_by("position")
    )
    names = [link.name for link in links]
    # Enterprises whose register names a link of this chain but are not on the chain yet.
    suggestions = (
        Enterprise.objects.visible_to(user)
        .filter(chain_link__in=names)
        .exclude(chain_memberships__link__chain=chain)
        .order_by("name")
        .values_list("name", "chain_link")[:200]
    )
    projects = dict(
        Project.objects.live()
        .filter(chain_link__in=names)
        .values("chain_link")
        .annotate(n=Count("id"))
        .values_list("chain_link", "n")
    )
    return render(
        request,
        "attraction/chain_edit.html",
        {
            "chain": chain,
            "form": form,
            "rows": [{"link": link, "projects": projects.get(link.name, 0)} for link in links],
            "suggestions": suggestions,
            "add_form": ChainLinkAddForm(initial={"version": chain.version}),
            "history": _chain_history(chain),
        },
    )


_CHAIN_ACTIONS = {
    "create": gettext_lazy("新建"),
    "update": gettext_lazy("修改名称或说明"),
    "chain_link_add": gettext_lazy("添加环节"),
    "chain_link_update": gettext_lazy("修改环节"),
    "chain_link_move": gettext_lazy("调整次序"),
    "chain_link_remove": gettext_lazy("删除环节"),
    "chain_firm_add": gettext_lazy("列入企业"),
    "chain_firm_anchor": gettext_lazy("链主变更"),
    "chain_firm_remove": gettext_lazy("移出企业"),
}


def _chain_history(chain: Chain) -> list[dict[str, object]]:
    """The chain's audit trail, newest first, each entry with a one-line summary."""
    rows: list[dict[str, object]] = []
    for entry in audit.entries_for(chain)[:30]:
        before, after = entry.before or {}, entry.after or {}
        summary = ""
        if entry.action == "chain_link_move":
            summary = " → ".join(after.get("order", []))
        elif entry.action.startswith("chain_link_"):
            old, new = before.get("link") or {}, after.get("link") or {}
            names = [n for n in (old.get("name"), new.get("name")) if n]
            summary = " → ".join(dict.fromkeys(names))
        elif entry.action.startswith("chain_firm_"):
            state = after or before
            summary = f"{state.get('enterprise', '')}（{state.get('link', '')}）"
            if entry.action == "chain_firm_anchor":
                summary += " " + (
                    gettext("标为链主") if after.get("is_anchor") else gettext("取消链主")
                )
        elif entry.action in {"create", "update"}:
            summary = str(after.get("name", ""))
        rows.append(
            {
                "entry": entry,
                "label": _CHAIN_ACTIONS.get(entry.action, entry.action),
                "summary": summary,
            }
        )
    return rows


def _run_chain_edit(request: HttpRequest, done: str, action: Callable[[], object]) -> None:
    """Call one service; its refusal (bad input, stale form) becomes an error message."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, done)


@login_required
@require_POST
def chain_link_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _chain_editor(request)
    chain = get_object_or_404(Chain, pk=pk)
    form = ChainLinkAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _to_editor(chain.pk, "#add-link")
    data = form.cleaned_data
    position = data["position"] - 1 if data["position"] is not None else None
    _run_chain_edit(
        request,
        gettext("已添加环节「%(name)s」") % {"name": data["name"].strip()},
        lambda: services.add_chain_link(
            actor=user,
            chain=chain,
            expected_version=data["version"],
            name=data["name"],
            industry_codes=data["industry_codes"],
            position=position,
            source="user",
        ),
    )
    return _to_editor(chain.pk, "#add-link")


@login_required
@require_POST
def chain_link_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = _chain_editor(request)
    link = _link(pk)
    form = ChainLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _to_editor(link.chain_id, f"#edit-link-{link.pk}")
    data, old_name = form.cleaned_data, link.name
    _run_chain_edit(
        request,
        gettext("已保存环节「%(name)s」") % {"name": data["name"].strip()},
        lambda: services.update_chain_link(
            actor=user,
            link=link,
            expected_version=data["version"],
            name=data["name"],
            industry_codes=data["industry_codes"],
            source="user",
        ),
    )
    # Projects and enterprises name their link in a text field: say who still uses the old name.
    link.refresh_from_db(fields=["name"])
    if link.name != old_name:
        left = Project.objects.live().filter(chain_link=old_name).count()
        if left:
            messages.warning(
                request,
                gettext(
                    "项目台账中仍有%(n)d个项目的产业链环节填写为「%(old)s」，"
                    "改为「%(new)s」后才计入该环节"
                )
                % {"n": left, "old": old_name, "new": link.name},
            )
    return _to_editor(link.chain_id, f"#edit-link-{link.pk}")


@login_required
@require_POST
def chain_link_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = _chain_editor(request)
    link = _link(pk)
    form = ChainLinkMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _to_editor(link.chain_id, f"#edit-link-{link.pk}")
    _run_chain_edit(
        request,
        gettext("已调整环节「%(name)s」的次序") % {"name": link.name},
        lambda: services.move_chain_link(
            actor=user,
            link=link,
            expected_version=form.cleaned_data["version"],
            position=form.target(link.position),
            source="user",
        ),
    )
    return _to_editor(link.chain_id, f"#edit-link-{link.pk}")


@login_required
@require_POST
def chain_link_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = _chain_editor(request)
    link = _link(pk)
    form = ChainVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _to_editor(link.chain_id)
    _run_chain_edit(
        request,
        gettext("已删除环节「%(name)s」") % {"name": link.name},
        lambda: services.remove_chain_link(
            actor=user, link=link, expected_version=form.cleaned_data["version"], source="user"
        ),
    )
    return _to_editor(link.chain_id)


@login_required
@require_POST
def chain_firm_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _chain_editor(request)
    link = _link(pk)
    form = ChainFirmForm(request.POST, enterprises=Enterprise.objects.visible_to(user))
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _to_editor(link.chain_id, f"#edit-link-{link.pk}")
    enterprise = form.cleaned_data["enterprise"]
    _run_chain_edit(
        request,
        gettext("已将「%(firm)s」列入环节「%(link)s」")
        % {"firm": enterprise.name, "link": link.name},
        lambda: services.attach_chain_firm(
            actor=user,
            link=link,
            expected_version=form.cleaned_data["version"],
            enterprise=enterprise,
            is_anchor=form.cleaned_data["is_anchor"],
            source="user",
        ),
    )
    return _to_editor(link.chain_id, f"#edit-link-{link.pk}")


@login_required
@require_POST
def chain_firm_anchor(request: HttpRequest, pk: int) -> HttpResponse:
    user = _chain_editor(request)
    firm = _firm(pk)
    form = ChainAnchorForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _to_editor(firm.link.chain_id, f"#edit-link-{firm.link_id}")
    is_anchor = form.cleaned_data["is_anchor"]
    done = gettext("已将「%(firm)s」标为链主") if is_anchor else gettext("已取消「%(firm)s」的链主")
    _run_chain_edit(
        request,
        done % {"firm": firm.enterprise.name},
        lambda: services.set_chain_anchor(
            actor=user,
            firm=firm,
            expected_version=form.cleaned_data["version"],
            is_anchor=is_anchor,
            source="user",
        ),
    )
    return _to_editor(firm.link.chain_id, f"#edit-link-{firm.link_id}")


@login_required
@require_POST
def chain_firm_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = _chain_editor(request)
    firm = _firm(pk)
    form = ChainVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _to_editor(firm.link.chain_id, f"#edit-link-{firm.link_id}")
    _run_chain_edit(
        request,
        gettext("已将「%(firm)s」移出环节「%(link)s」")
        % {"firm": firm.enterprise.name, "link": firm.link.name},
        lambda: services.detach_chain_firm(
            actor=user, firm=firm, expected_version=form.cleaned_data["version"], source="user"
        ),
    )
    return _to_editor(firm.link.chain_id, f"#edit-link-{firm.link_id}")
