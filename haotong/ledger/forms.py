from __future__ import annotations

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from haotong.core import labels
from haotong.core.models import OrgUnit, Team
from haotong.ledger.models import StageEvent
from haotong.ledger.queries import AMOUNT_BANDS, TAG_FIELDS, UNSET

_blank = [("", "—")]


def _lazy(text: str) -> Promise:
    """A label from queries' plain data, marked in haotong.core.labels."""
    return gettext_lazy(text)


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("项目名称"), required=False, max_length=100)
    stage = forms.ChoiceField(
        label=_("阶段"),
        required=False,
        choices=[*_blank, *labels.STATE_CHOICES, (UNSET, _("未登记"))],
    )
    town = forms.ModelChoiceField(
        label=_("镇街/园区"),
        required=False,
        queryset=OrgUnit.objects.filter(kind__in=["town", "park", "district"]).order_by(
            "kind", "name"
        ),
    )
    industry = forms.RegexField(
        label=_("行业代码"), required=False, regex=r"^(?:[A-Ta-t]\d{0,4}|none)$", max_length=5
    )
    team = forms.ModelChoiceField(label=_("招引队伍"), required=False, queryset=Team.objects.all())
    band = forms.ChoiceField(
        label=_("投资规模"),
        required=False,
        choices=[*_blank, *[(k, _lazy(v[2])) for k, v in AMOUNT_BANDS.items()]],
    )
    tag = forms.ChoiceField(
        label=_("项目类型"),
        required=False,
        choices=[*_blank, *zip(TAG_FIELDS, [_("重大招商"), _("科创"), _("人才")], strict=True)],
    )
    event = forms.ChoiceField(
        required=False, choices=[*_blank, *labels.STAGE_CHOICES], widget=forms.HiddenInput
    )
    month = forms.DateField(required=False, input_formats=["%Y-%m"], widget=forms.HiddenInput)
    overdue = forms.ChoiceField(
        label=_("逾期"),
        required=False,
        choices=[
            *_blank,
            ("not_started", _("签约超半年未开工")),
            ("no_report", _("在建超一季度未报投资")),
        ],
    )
    synthetic = forms.ChoiceField(
        label=_("数据"),
        required=False,
        choices=[*_blank, ("0", _("真实（报道）")), ("1", _("演示生成"))],
    )

    def clean_industry(self) -> str:
        value = self.cleaned_data.get("industry") or ""
        return value if value == UNSET else value.upper()


class StageEventForm(forms.Form):
    stage = forms.ChoiceField(label=_("阶段"), choices=labels.STAGE_CHOICES)
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    precision = forms.ChoiceField(
        label=_("日期精度"), choices=StageEvent.Precision.choices, initial="day"
    )
    evidence = forms.CharField(
        label=_("依据"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
