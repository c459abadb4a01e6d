from datetime import date
from decimal import Decimal
from typing import Any

from django import template

from haotong.core import labels

register = template.Library()


@register.filter
def yuan(value: Decimal | None) -> str:
    """Amounts in 亿元/万元 as officials read them (billion/million yuan in English)."""
    return labels.amount(value)


@register.filter
def pct(value: Decimal | float | None) -> str:
    if value is None:
        return "—"
    return f"{Decimal(str(value)) * 100:.1f}%"


@register.filter
def t(value: object) -> str:
    """A Chinese label held as data (a stage, an industry) in the current language."""
    return labels.label(str(value)) if value is not None else ""


@register.filter
def day(value: date | None) -> str:
    """2023年2月11日 in Chinese, 2023-02-11 in English."""
    return labels.day(value)


@register.filter
def joinlabels(values: list[Any]) -> str:
    """Labels joined with 、 in Chinese and ", " in English, each translated."""
    return labels.join([str(v) for v in values])


@register.simple_tag
def list_sep() -> str:
    return labels.list_separator()


@register.filter
def chart_labels(chart: dict[str, Any]) -> dict[str, Any]:
    """The dashboard's chart series with their stage and industry labels translated
    (the view builds them from the pure modules' Chinese labels)."""
    translated = dict(chart)
    for key in ("stages", "industries"):
        translated[key] = [[labels.label(row[0]), *row[1:]] for row in chart.get(key, [])]
    return translated
