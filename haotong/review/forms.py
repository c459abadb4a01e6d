"""Forms parse and type the input; the services judge it (ranges, rules, permissions)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haotong.core.models import OrgUnit
from haotong.review.models import Criterion, ReviewPolicy


class StartReviewForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        label=_("邀请部门"),
        queryset=OrgUnit.objects.filter(kind=OrgUnit.Kind.DEPARTMENT).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少邀请一个部门参加会商")},
    )
    deadline = forms.DateField(
        label=_("意见截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空则按规则的工作日期限计算"),
    )
    note = forms.CharField(
        label=_("会商说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class OpinionForm(forms.Form):
    """One decimal field per criterion of the review's policy, plus comments."""

    comments = forms.CharField(label=_("部门意见"), widget=forms.Textarea(attrs={"rows": 4}))
    conditions = forms.CharField(
        label=_("建议条件"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"score_{c.code}"] = forms.DecimalField(
                label=f"{c.name}（{c.min_score.normalize():f}–{c.max_score.normalize():f}）",
                max_digits=6,
                decimal_places=2,
                help_text=c.measure,
            )
        self.order_fields([f"score_{c.code}" for c in criteria])

    def scores(self) -> dict[str, Decimal]:
        return {c.code: self.cleaned_data[f"score_{c.code}"] for c in self.criteria}


class VerdictForm(forms.Form):
    conditions = forms.CharField(
        label=_("通过条件"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("有条件通过时必填；各部门提出的条件会一并列入"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class PolicyForm(forms.ModelForm):  # type: ignore[type-arg]
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ReviewPolicy
        fields = [
            "min_investment_yuan",
            "manufacturing_min_yuan",
            "manufacturing_sections",
            "pass_score",
            "conditional_score",
            "opinion_working_days",
            "note",
        ]


class CriterionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Criterion
        fields = [
            "code",
            "name",
            "measure",
            "min_score",
            "max_score",
            "weight",
            "veto",
            "veto_below",
        ]


CriterionFormSet = forms.formset_factory(CriterionForm, extra=1, can_delete=True)
