"""The 研判规则 page: thresholds, verdict rule and rubric, published as a new version."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from haotong.core.models import User
from haotong.review import gate, services
from haotong.review.forms import CriterionFormSet, PolicyForm
from haotong.review.models import ReviewPolicy, can_manage_reviews
from haotong.review.views import _require_manager, _user


@login_required
def policy(request: HttpRequest) -> HttpResponse:
    user: User = _user(request)
    _require_manager(user)
    current = gate.current_policy()
    if request.method == "POST":
        form = PolicyForm(request.POST)
        formset = CriterionFormSet(request.POST, prefix="c")
        if form.is_valid() and formset.is_valid():
            try:
                published = services.publish_policy(
                    actor=user, fields=_fields(form), criteria=_criteria(formset),
                    expected_version=form.cleaned_data["expected_version"], source="user",
                )  # fmt: skip
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, f"已发布研判规则第{published.version}版")
                return redirect("review:policy")
        else:
            messages.error(request, "规则未发布：" + "；".join(_form_errors(form, formset)))
    else:
        form = PolicyForm(
            initial=model_to_dict(current) | {"expected_version": current.version, "note": ""}
        )
        initial = [model_to_dict(c) for c in current.criteria.all()] if current.pk else []
        formset = CriterionFormSet(initial=initial or _defaults(), prefix="c")
    return render(request, "review/policy.html", {
        "form": form, "formset": formset, "current": current,
        "versions": ReviewPolicy.objects.select_related("created_by")[:20],
        "since": gate.required_since(), "can_manage": can_manage_reviews(user),
    })  # fmt: skip


def _form_errors(form: PolicyForm, formset: Any) -> list[str]:
    found = [
        f"{form.fields[name].label if name in form.fields else ''}{' '.join(str(m) for m in errs)}"
        for name, errs in form.errors.items()
    ]
    for i, f in enumerate(formset.forms, start=1):
        for name, errs in f.errors.items():
            label = f.fields[name].label if name in f.fields else ""
            found.append(f"评分细则第{i}行「{label}」：{' '.join(str(m) for m in errs)}")
    return found + [str(m) for m in formset.non_form_errors()]


def _fields(form: PolicyForm) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if k != "expected_version"}


def _criteria(formset: Any) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


def _defaults() -> list[dict[str, Any]]:
    from haotong.review.defaults import DEFAULT_CRITERIA

    return [dict(c) for c in DEFAULT_CRITERIA]
