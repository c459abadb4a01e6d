from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from haotong.attraction import stages
from haotong.attraction.models import ChainLink, Lead, LeadActivity
from haotong.core.amounts import ParseError, parse_amount
from haotong.core.models import OrgUnit, Team
from haotong.ledger.models import Enterprise

_blank = [("", "—")]
_date = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AmountField(forms.CharField):
    """An amount as people write it (50亿元, 8000万元, 1.2亿); bare numbers are 万元."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_amount(text, default_unit="万元").yuan
        except ParseError as exc:
            raise forms.ValidationError(str(exc)) from exc


class LeadFilterForm(forms.Form):
    q = forms.CharField(label=_("项目/投资方"), required=False, max_length=100)
    stage = forms.ChoiceField(
        label=_("阶段"),
        required=False,
        choices=[*_blank, ("open", "跟进中"), *stages.STAGE_LABELS.items()],
    )
    team = forms.ModelChoiceField(label=_("队伍"), required=False, queryset=Team.objects.all())
    source = forms.ChoiceField(
        label=_("来源"), required=False, choices=[*_blank, *Lead.Source.choices]
    )
    chain_link = forms.ModelChoiceField(
        label=_("产业链环节"), required=False, queryset=ChainLink.objects.all()
    )
    stale = forms.BooleanField(label=_("久未跟进"), required=False)
    synthetic = forms.ChoiceField(
        label=_("数据"), required=False, choices=[*_blank, ("0", "真实"), ("1", "演示生成")]
    )

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class LeadForm(forms.Form):
    project_name = forms.CharField(label=_("项目名称"), max_length=200)
    investor_name = forms.CharField(label=_("投资方"), max_length=200)
    source = forms.ChoiceField(label=_("线索来源"), choices=Lead.Source.choices)
    team = forms.ModelChoiceField(label=_("跟进队伍"), queryset=Team.objects.none())
    intended_investment_yuan = AmountField(
        label=_("意向投资"), required=False, help_text=_("如 5亿元、8000万元；只写数字按万元计")
    )
    industry_code = forms.CharField(label=_("行业代码"), required=False, max_length=5)
    chain_link = forms.ModelChoiceField(
        label=_("产业链环节"), required=False, queryset=ChainLink.objects.select_related("chain")
    )
    acquired_on = forms.DateField(label=_("获取日期"), widget=_date)
    next_action = forms.CharField(label=_("下一步"), required=False, max_length=200)
    next_action_on = forms.DateField(label=_("下一步日期"), required=False, widget=_date)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(pk__in=[t.pk for t in teams])  # type: ignore[attr-defined]

    def clean_industry_code(self) -> str:
        return str(self.cleaned_data.get("industry_code") or "").strip().upper()

    def lead_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class StageForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("新阶段"),
        choices=[(k, v) for k, v in stages.STAGE_LABELS.items() if k != stages.SIGNED],
    )
    on = forms.DateField(label=_("日期"), widget=_date)
    reason = forms.CharField(label=_("原因/说明"), required=False, max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def offer_only(self, allowed: list[str]) -> StageForm:
        """Offer the stages the machine allows next (the service still checks any POST)."""
        field = self.fields["stage"]
        field.widget.choices = [(k, v) for k, v in field.choices if k in allowed]  # type: ignore[attr-defined]
        return self


class SignForm(forms.Form):
    on = forms.DateField(label=_("签约日期"), widget=_date)
    town = forms.ModelChoiceField(
        label=_("项目所在镇街/园区"),
        queryset=OrgUnit.objects.filter(kind__in=["town", "park", "district", "center"]),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("方式"), choices=LeadActivity.Kind.choices)
    on = forms.DateField(label=_("日期"), widget=_date)
    who = forms.CharField(label=_("参与人"), max_length=100)
    note = forms.CharField(
        label=_("情况"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SettleForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("裁定"), choices=[("a", "归属甲方队伍"), ("b", "归属乙方队伍"), ("none", "非重复")]
    )
    note = forms.CharField(label=_("裁定说明"), max_length=300)


class TargetsForm(forms.Form):
    names = forms.CharField(
        label=_("目标企业（每行一家）"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TargetsToLeadsForm(forms.Form):
    team = forms.ModelChoiceField(label=_("交由队伍"), queryset=Team.objects.all())


# --- Chain structure editor (产业链编辑) -----------------------------------------
# Every editor form carries the chain's version as read; the service refuses a stale one.

_CANDIDATES_SHOWN = 5


class ChainVersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ChainCreateForm(forms.Form):
    name = forms.CharField(label=_("产业链名称"), max_length=100)
    description = forms.CharField(label=_("说明"), required=False, max_length=300)
    links = forms.CharField(
        label=_("环节（每行一个，从上游到下游）"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("可先留空，建好后在编辑页逐个添加"),
    )

    def link_names(self) -> list[str]:
        return str(self.cleaned_data.get("links") or "").splitlines()


class ChainEditForm(ChainVersionForm):
    name = forms.CharField(label=_("产业链名称"), max_length=100)
    description = forms.CharField(label=_("说明"), required=False, max_length=300)


class ChainLinkForm(ChainVersionForm):
    name = forms.CharField(label=_("环节名称"), max_length=100)
    industry_codes = forms.CharField(
        label=_("对应行业代码"),
        required=False,
        max_length=200,
        help_text=_("用逗号分隔，如 C3973,C3985"),
    )


class ChainLinkAddForm(ChainLinkForm):
    position = forms.IntegerField(
        label=_("插入为第几位"), required=False, min_value=1, help_text=_("留空则加在最下游")
    )


class ChainLinkMoveForm(ChainVersionForm):
    direction = forms.ChoiceField(
        label=_("移动"), required=False, choices=[("up", _("上移")), ("down", _("下移"))]
    )
    position = forms.IntegerField(label=_("移到第几位"), required=False, min_value=1)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("direction") and data.get("position") is None:
            raise forms.ValidationError(gettext("请选择上移、下移，或填写要移到第几位"))
        return data

    def target(self, current: int) -> int:
        """The 0-based position asked for, given the link's current one."""
        direction = self.cleaned_data.get("direction")
        if direction == "up":
            return current - 1
        if direction == "down":
            return current + 1
        return int(self.cleaned_data["position"]) - 1


class ChainAnchorForm(ChainVersionForm):
    is_anchor = forms.TypedChoiceField(
        label=_("链主"),
        choices=[("1", _("标为链主")), ("0", _("取消链主"))],
        coerce=lambda value: value == "1",
    )


class ChainFirmForm(ChainVersionForm):
    """An enterprise from the ledger, given by its credit code or its name."""

    enterprise = forms.CharField(label=_("企业（统一社会信用代码或名称）"), max_length=200)
    is_anchor = forms.BooleanField(label=_("链主"), required=False)

    def __init__(self, *args: Any, enterprises: QuerySet[Enterprise], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enterprises = enterprises

    def clean_enterprise(self) -> Enterprise:
        text = str(self.cleaned_data.get("enterprise") or "").strip()
        exact = list(self.enterprises.filter(Q(credit_code=text.upper()) | Q(name=text))[:2])
        if len(exact) == 1:
            return exact[0]
        found = list(
            self.enterprises.filter(name__icontains=text).order_by("name")[: _CANDIDATES_SHOWN + 1]
        )
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(
                gettext("企业台账中没有统一社会信用代码或名称为「%(text)s」的企业") % {"text": text}
            )
        names = "、".join(e.name for e in found[:_CANDIDATES_SHOWN])
        more = gettext("等") if len(found) > _CANDIDATES_SHOWN else ""
        raise forms.ValidationError(
            gettext("「%(text)s」对应多家企业：%(names)s%(more)s，请填写完整名称或统一社会信用代码")
            % {"text": text, "names": names, "more": more}
        )
