from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from haotong.core.models import OrgUnit, User
from haotong.policies import workflow
from haotong.policies.models import Clause, OutreachTask, Policy


class PolicyForm(forms.ModelForm):  # type: ignore[type-arg]
    """A new policy document; its clauses are added on the policy's page."""

    class Meta:
        model = Policy
        fields = ["title", "issuer", "document_number", "period_start", "period_end", "text"]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
            "text": forms.Textarea(attrs={"rows": 6, "cols": 80}),
        }

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            self.add_error("period_end", _("有效期止不能早于有效期起"))
        return data


class ClauseForm(forms.ModelForm):  # type: ignore[type-arg]
    """Field checks only; the rule itself is checked by the service (engine parser)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(label=_("修改说明"), max_length=200, required=False)

    class Meta:
        model = Clause
        fields = ["code", "title", "rule", "benefit_formula", "cap_yuan", "combinable",
                  "auto_grant", "department"]  # fmt: skip
        widgets = {
            "rule": forms.Textarea(attrs={"rows": 3, "cols": 80, "spellcheck": "false"}),
            "benefit_formula": forms.TextInput(attrs={"size": 60, "spellcheck": "false"}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        dept = self.fields["department"]
        assert isinstance(dept, forms.ModelChoiceField)
        dept.queryset = OrgUnit.objects.filter(kind=OrgUnit.Kind.DEPARTMENT).order_by("name")

    def _post_clean(self) -> None:
        # Model validation runs in the service, with the rule check, all or nothing.
        pass


class OutcomeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("联系结果"), choices=[c for c in OutreachTask.Outcome.choices if c[0]]
    )
    contacted_on = forms.DateField(
        label=_("联系日期"), initial=date.today, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("备注"), max_length=300, required=False)


class TaskForm(forms.Form):
    enterprise = forms.IntegerField(widget=forms.HiddenInput)
    clause = forms.IntegerField(widget=forms.HiddenInput)
    assignee = forms.ModelChoiceField(
        label=_("经办人"), queryset=User.objects.none(), required=False
    )


class GrantStepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    to = forms.ChoiceField(label=_("下一步"), choices=list(workflow.LABELS.items()))
    amount_yuan = forms.DecimalField(
        label=_("拨付金额（元）"), max_digits=16, decimal_places=2, required=False
    )
    paid_on = forms.DateField(
        label=_("拨付日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class OpenGrantForm(forms.Form):
    enterprise = forms.IntegerField(widget=forms.HiddenInput)
    clause = forms.IntegerField(widget=forms.HiddenInput)
