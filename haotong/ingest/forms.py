from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haotong.core.amounts import Amount, ParseError, parse_amount, parse_cn_date
from haotong.core.models import OrgUnit
from haotong.ingest.models import FACT_STAGE_LABELS

_MONTH = re.compile(r"^(\d{4})\s*(?:年|[-./])\s*(\d{1,2})\s*月?$")


def parse_fact_date(raw: str) -> str:
    """``2023-02-11`` / ``2023年2月11日`` → "2023-02-11"; ``2023年2月`` / ``2023-02`` → "2023-02"."""
    raw = raw.strip()
    if not raw:
        return ""
    m = _MONTH.match(raw)
    if m:
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise ParseError(f"月份「{raw}」不存在")
        return f"{year:04d}-{month:02d}"
    return parse_cn_date(raw).isoformat()


def _towns() -> Any:
    kinds = [OrgUnit.Kind.DISTRICT, OrgUnit.Kind.TOWN, OrgUnit.Kind.PARK]
    return OrgUnit.objects.filter(kind__in=kinds)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("文件（.txt 等纯文本，UTF-8/GBK/Big5）"), required=False)
    text = forms.CharField(
        label=_("或粘贴文本"), required=False, strip=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    name = forms.CharField(
        label=_("来源名称"), required=False, max_length=200,
        help_text=_("如：现代快报 2023-03-03 第A12版；留空则用文件名"),
    )  # fmt: skip
    published_on = forms.DateField(
        label=_("发布日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("留空则从原文中查找"),
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_file, has_text = bool(data.get("file")), bool((data.get("text") or "").strip())
        if has_file == has_text:
            raise forms.ValidationError(_("请上传一个文件，或粘贴一段文本（二选一）"))
        return data


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class EditForm(VersionForm):
    name = forms.CharField(label=_("项目名称"), max_length=200)
    town = forms.ModelChoiceField(label=_("所在镇街/园区"), queryset=_towns(), required=False)
    amount = forms.CharField(label=_("总投资"), required=False, max_length=40)
    stage = forms.ChoiceField(
        label=_("阶段"), required=False, choices=[("", "—"), *FACT_STAGE_LABELS.items()]
    )
    date = forms.CharField(label=_("日期"), required=False, max_length=20)

    def clean_amount(self) -> Amount | None:
        raw = self.cleaned_data.get("amount") or ""
        if not raw.strip() or raw.strip() == "未披露":
            return None
        try:
            return parse_amount(raw)
        except ParseError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_date(self) -> str:
        try:
            return parse_fact_date(self.cleaned_data.get("date") or "")
        except ParseError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def fields_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        amount: Amount | None = data["amount"]
        return {
            "name": data["name"].strip(),
            "town": data["town"],
            "investment_yuan": amount.yuan if amount else None,
            "investment_qualifier": amount.qualifier if amount else "",
            "stage": data["stage"],
            "fact_date": data["date"],
        }


class AcceptForm(VersionForm):
    # "new" or the id of an existing project (the view re-checks it is visible).
    target = forms.RegexField(
        regex=r"^(new|\d{1,12})$", error_messages={"invalid": _("请选择项目")}
    )
    town = forms.ModelChoiceField(queryset=_towns(), required=False)
    # The page offers one checkbox per matched project whose amount differs, valued
    # with that project's id: it counts only for the project chosen as ``target``.
    update_investment = forms.Field(required=False, widget=forms.MultipleHiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        checked = data.get("update_investment") or []
        target = data.get("target")
        data["update_investment"] = target not in (None, "new") and target in checked
        return data


class RejectForm(VersionForm):
    reason = forms.CharField(label=_("驳回理由"), max_length=300)
