from decimal import Decimal

from django import template

from haotong.core.amounts import format_yuan

register = template.Library()


@register.filter
def yuan(value: Decimal | None) -> str:
    """Amounts in 亿元/万元 as officials read them."""
    return format_yuan(value)


@register.filter
def pct(value: Decimal | float | None) -> str:
    if value is None:
        return "—"
    return f"{Decimal(str(value)) * 100:.1f}%"
