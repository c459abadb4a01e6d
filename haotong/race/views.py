"""Race pages. Everyone with a district or team role reads every team's standings
(the race is public inside the government); the drill-down lists only the project
rows the reader may see (``Project.objects.visible_to``); only district roles
edit the rule or recompute a monthly report."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from haotong.core import audit
from haotong.core.models import AuditEntry, Team, User
from haotong.ledger.models import Project, ledger_as_of
from haotong.race import queries, rules, services
from haotong.race.forms import BoardForm, RuleForm
from haotong.race.models import RaceReport, RaceRule
from haotong.race.table import SIGNED, STARTED

KIND_LABELS = dict(Team.Kind.choices)
EVENT_LABELS = {SIGNED: "签约", STARTED: "开工", "investment": "月度完成投资"}


def _reader(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not services.can_read_race(user):
        raise PermissionDenied("赛马排名仅对区级部门和招商队伍开放")
    return user


def _board_context(form: BoardForm) -> dict[str, Any]:
    period, as_of, kind = form.resolved(ledger_as_of())
    try:
        board = queries.board(period, as_of, kind=kind or None)
    except queries.NoRuleError as exc:
        return {"form": form, "period": period, "as_of": as_of, "kind": kind, "error": str(exc)}
    ranked = len(board.ranked)
    rows = [(s, rules.flag_for(s.rank, ranked), KIND_LABELS.get(s.kind)) for s in board.standings]
    rule = board.rule.to_rule()
    return {
        "form": form,
        "board": board,
        "rows": rows,
        "period": period,
        "as_of": as_of,
        "kind": kind,
        "kind_label": KIND_LABELS.get(kind, ""),
        "per_staff": rule.per_staff,
        "fairness": rules.fairness_note(rule),
        "query": f"period={period.code}&as_of={as_of.isoformat()}",
    }


@login_required
def board(request: HttpRequest) -> HttpResponse:
    _reader(request)
    context = _board_context(BoardForm(request.GET or None))
    context["chart"] = queries.history(context["kind"] or None)
    template = "race/board.html#results" if request.headers.get("HX-Request") else "race/board.html"
    return render(request, template, context)


@login_required
def team_events(request: HttpRequest, pk: int) -> HttpResponse:
    user = _reader(request)
    team = get_object_or_404(Team, pk=pk)
    period, as_of, _kind = BoardForm(request.GET or None).resolved(ledger_as_of())
    try:
        record = queries.rule_in_effect(as_of)
    except queries.NoRuleError as exc:
        raise PermissionDenied(str(exc)) from None
    scored = queries.team_events(team, period, as_of, record.to_rule())
    names = queries.project_names(
        scored["project_id"].unique().to_list(), Project.objects.visible_to(user)
    )
    shown, hidden_count, hidden_points = [], 0, 0
    for ev in scored.iter_rows(named=True):
        if ev["project_id"] in names:
            shown.append(_event_row(ev, names[ev["project_id"]]))
        else:
            hidden_count += 1
            hidden_points += ev["points_milli"]
    context = {
        "team": team,
        "period": period,
        "as_of": as_of,
        "rule": record,
        "events": shown,
        "total": Decimal(sum(scored["points_milli"].to_list())) / 1000,
        "hidden_count": hidden_count,
        "hidden_points": Decimal(hidden_points) / 1000,
        "board_url": reverse("race:board") + f"?period={period.code}&as_of={as_of.isoformat()}",
    }
    return render(request, "race/team_events.html", context)


def _event_row(ev: dict[str, Any], name: str) -> dict[str, Any]:
    fen = ev["investment_fen"]
    return {
        **ev,
        "name": name,
        "label": EVENT_LABELS[ev["kind"]],
        "points": Decimal(ev["points_milli"]) / 1000,
        "investment_yi": None if fen is None else Decimal(fen) / 10_000_000_000,
        "completed_wan": Decimal(ev["completed_fen"]) / 1_000_000,
    }


@login_required
def report(request: HttpRequest, month: str | None = None) -> HttpResponse:
    user = _reader(request)
    reports = list(RaceReport.objects.select_related("rule").order_by("-month"))
    if month is None:
        chosen = reports[0] if reports else None
    else:
        chosen = next((r for r in reports if r.code == month), None)
        if chosen is None:
            return render(
                request, "race/report.html", {"reports": reports, "missing": month}, status=404
            )
    context = {
        "reports": reports,
        "report": chosen,
        "rows": queries.report_rows(chosen) if chosen else [],
        "can_recompute": services.can_edit_rules(user),
        "audit_entries": audit.entries_for(chosen)[:10] if chosen else [],
    }
    return render(request, "race/report.html", context)


@login_required
@require_POST
def report_recompute(request: HttpRequest, month: str) -> HttpResponse:
    user = _reader(request)
    services.check_can_edit_rules(user)
    try:
        period = rules.parse_period(month)
        services.snapshot_month(actor=user, month=period.start, source="user")
    except (rules.PeriodError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, f"已重算 {month} 赛马月报")
    return redirect("race:report_month", month=month)


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    versions = list(RaceRule.objects.select_related("created_by"))
    latest = versions[0] if versions else None
    form = None
    if services.can_edit_rules(user):
        if request.method == "POST":
            form = RuleForm(request.POST)
            if form.is_valid() and _save_rule(request, user, form):
                return redirect("race:rules")
        else:
            weights = latest.weights if latest else rules.DEFAULT_WEIGHTS
            form = RuleForm(
                initial=RuleForm.initial_for(
                    weights, latest.version if latest else None, date.today()
                )
            )
    elif request.method == "POST":
        raise PermissionDenied("只有区领导、发改委分析员和系统管理员可以修改赛马计分规则")
    context = {
        "versions": versions,
        "form": form,
        "audit_entries": AuditEntry.objects.filter(model=RaceRule._meta.label_lower).select_related(
            "actor"
        )[:20],
    }
    return render(request, "race/rules.html", context)


def _save_rule(request: HttpRequest, user: User, form: RuleForm) -> bool:
    data = form.cleaned_data
    try:
        rule = services.create_rule_version(
            actor=user,
            weights=data["weights"],
            effective_from=data["effective_from"],
            note=data["note"],
            expected_version=data["expected_version"],
            source="user",
        )
    except ValidationError as exc:
        for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
            form.add_error(field if field in form.fields else None, errors)
        return False
    messages.success(request, f"已保存计分规则 v{rule.version}（{rule.effective_from} 起生效）")
    return True
