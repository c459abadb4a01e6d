from __future__ import annotations

import json
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haotong.core.models import Team
from haotong.race.rules import Period, PeriodError, parse_period


class BoardForm(forms.Form):
    period = forms.CharField(
        label=_("期间"), max_length=7, help_text=_("YYYY、YYYY-MM 或 YYYY-Qn"), required=False
    )
    as_of = forms.DateField(label=_("截至日期"), required=False)
    kind = forms.ChoiceField(
        label=_("队伍类型"), required=False, choices=[("", _("全部")), *Team.Kind.choices]
    )

    def clean_period(self) -> Period | None:
        text = self.cleaned_data["period"]
        if not text:
            return None
        try:
            return parse_period(text)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None

    def resolved(self, default_as_of: date) -> tuple[Period, date, str]:
        """Period (default: the as-of month), as-of date and kind, after is_valid()."""
        data: dict[str, Any] = self.cleaned_data if self.is_valid() else {}
        as_of = data.get("as_of") or default_as_of
        period = data.get("period") or parse_period(f"{as_of:%Y-%m}")
        return period, as_of, data.get("kind") or ""


class RuleForm(forms.Form):
    weights = forms.CharField(
        label=_("权重（JSON）"), widget=forms.Textarea(attrs={"rows": 18, "cols": 70})
    )
    effective_from = forms.DateField(label=_("生效日期"))
    note = forms.CharField(label=_("修改说明"), max_length=200, required=False)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @staticmethod
    def initial_for(weights: dict[str, Any], version: int | None, today: date) -> dict[str, Any]:
        return {
            "weights": json.dumps(weights, ensure_ascii=False, indent=2),
            "effective_from": today,
            "expected_version": version,
        }
