"""Industry-chain pages: the map with its gaps, target lists and one-click leads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from haotong.attraction import chains
from haotong.attraction.forms import TargetsForm, TargetsToLeadsForm
from haotong.attraction.models import Chain, ChainFirm, ChainLink, ChainTarget
from haotong.attraction.services import can_settle
from haotong.attraction.views import _errors, _form_errors, _user
from haotong.ledger.models import ledger_as_of

BOX_W, BOX_H, GAP_X = 150, 96, 34  # SVG geometry of one link box and the arrow between


@login_required
def chain_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    chains_ = Chain.objects.all()
    if len(chains_) == 1:
        return redirect(chains_[0])
    return render(
        request,
        "attraction/chain_list.html",
        {"chains": chains_, "can_edit": can_settle(user)},
    )


@login_required
def chain_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    chain = get_object_or_404(Chain, pk=pk)
    links, ranked = chains.chain_map(chain)
    firms = ChainFirm.objects.filter(link__chain=chain).select_related("enterprise", "link")
    targets: dict[int, list[ChainTarget]] = {}
    for t in ChainTarget.objects.filter(link__chain=chain).select_related("lead"):
        targets.setdefault(t.link_id, []).append(t)
    boxes = [
        {
            "view": v,
            "targets": targets.get(v.presence.link_id, []),
            "x": 10 + i * (BOX_W + GAP_X),
            "cx": 10 + i * (BOX_W + GAP_X) + BOX_W // 2,
            "arrow_x": 10 + i * (BOX_W + GAP_X) + BOX_W,
        }
        for i, v in enumerate(links)
    ]
    return render(
        request,
        "attraction/chain_detail.html",
        {
            "chain": chain,
            "boxes": boxes,
            "gaps": ranked,
            "firms": firms,
            "svg_w": 20 + len(links) * (BOX_W + GAP_X) - GAP_X,
            "box_w": BOX_W,
            "box_h": BOX_H,
            "gap_x": GAP_X,
            "can_edit": can_settle(user),
            "min_firms": chains.gap_min_firms(),
            "targets_form": TargetsForm(),
            "leads_form": TargetsToLeadsForm(),
        },
    )


@login_required
@require_POST
def link_targets(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    link = get_object_or_404(ChainLink.objects.select_related("chain"), pk=pk)
    form = TargetsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(link.chain)
    try:
        made = chains.add_targets(
            actor=user, link=link, source="user", names=form.cleaned_data["names"].splitlines()
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, f"「{link.name}」新增目标企业{len(made)}家")
    return redirect(f"{link.chain.get_absolute_url()}#link-{link.pk}")


@login_required
@require_POST
def link_to_leads(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    link = get_object_or_404(ChainLink.objects.select_related("chain"), pk=pk)
    form = TargetsToLeadsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(link.chain)
    try:
        leads = chains.targets_to_leads(
            actor=user, link=link, team=form.cleaned_data["team"], on=ledger_as_of(), source="user"
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, f"已生成{len(leads)}条线索，交由{form.cleaned_data['team']}跟进")
    return redirect(f"{link.chain.get_absolute_url()}#link-{link.pk}")
