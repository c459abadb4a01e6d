"""Amounts and dates as Chinese government spreadsheets and news write them.

Pure module (no Django): ``parse_amount("近125亿元")`` → ``Amount(12500000000, "near")``,
``parse_cn_date("2023年2月11日")`` → ``date(2023, 2, 11)``. Every failure raises
``ParseError`` with a message in Chinese that names what was wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import cn2an


class ParseError(ValueError):
    """A value that cannot be read; ``str(err)`` is a Chinese message for the user."""


# Qualifier codes are stored; the Chinese words are what people write.
QUALIFIER_WORDS: dict[str, str] = {
    "近": "near",
    "将近": "near",
    "接近": "near",
    "约": "about",
    "大约": "about",
    "超": "over",
    "超过": "over",
    "逾": "over",
    "计划": "planned",
    "拟": "planned",
}
QUALIFIER_LABELS: dict[str, str] = {
    "": "",
    "near": "近",
    "about": "约",
    "over": "超",
    "planned": "计划",
}

UNIT_FACTORS: dict[str, Decimal] = {
    "": Decimal(1),
    "元": Decimal(1),
    "万": Decimal(10_000),
    "万元": Decimal(10_000),
    "亿": Decimal(100_000_000),
    "亿元": Decimal(100_000_000),
    "億": Decimal(100_000_000),
    "億元": Decimal(100_000_000),
    "千万": Decimal(10_000_000),
    "千万元": Decimal(10_000_000),
    "百万": Decimal(1_000_000),
    "百万元": Decimal(1_000_000),
}

# The largest single investment a district ledger can plausibly hold (1 万亿元);
# anything above is a typing error, not a project.
MAX_AMOUNT_YUAN = Decimal(10) ** 12

_QUALIFIER_RE = "|".join(sorted(QUALIFIER_WORDS, key=len, reverse=True))
_UNIT_RE = "|".join(sorted((u for u in UNIT_FACTORS if u), key=len, reverse=True))
_AMOUNT_RE = re.compile(
    rf"^(?P<qual>{_QUALIFIER_RE})?\s*(?P<num>[0-9０-９.,，．]+|[零〇一二两三四五六七八九十百千点]+)\s*"
    rf"(?P<unit>{_UNIT_RE})?\s*(?P<tail>以上|多|余)?$"
)
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


@dataclass(frozen=True)
class Amount:
    yuan: Decimal
    qualifier: str = ""  # one of QUALIFIER_LABELS' keys

    def label(self) -> str:
        return QUALIFIER_LABELS[self.qualifier] + format_yuan(self.yuan)


def _to_decimal(num: str) -> Decimal:
    ascii_num = num.translate(_FULLWIDTH).replace(",", "")
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?", ascii_num):
        return Decimal(ascii_num)
    try:
        return Decimal(str(cn2an.cn2an(num, "smart")))
    except (ValueError, KeyError, InvalidOperation) as exc:
        raise ParseError(f"无法识别的数字「{num}」") from exc


def parse_amount(text: object, *, default_unit: str = "元") -> Amount:
    """Read ``50亿元``, ``8000万元``, ``1.2亿``, ``近125亿元``, ``83.2億元`` or a bare number.

    A bare number is taken in ``default_unit`` (a spreadsheet column headed "(万元)"
    passes ``default_unit="万元"``). Negative, zero-width and absurd amounts are refused.
    """
    if isinstance(text, bool):
        raise ParseError("金额不能是是/否值")
    if isinstance(text, int | float | Decimal):
        value = Decimal(str(text)) * UNIT_FACTORS[default_unit]
        return _checked(Amount(value), str(text))
    raw = str(text or "").strip()
    if not raw:
        raise ParseError("金额为空")
    if raw.startswith(("-", "－", "负")):
        raise ParseError(f"金额不能为负数：「{raw}」")
    compact = re.sub(r"\s+", "", raw)
    m = _AMOUNT_RE.match(compact)
    if not m:
        raise ParseError(f"无法识别的金额「{raw}」，应写作如 50亿元、8000万元、1.2亿")
    unit = m.group("unit") or default_unit
    value = _to_decimal(m.group("num")) * UNIT_FACTORS[unit]
    qualifier = QUALIFIER_WORDS.get(m.group("qual") or "", "")
    if not qualifier and m.group("tail"):
        qualifier = "over"
    return _checked(
        Amount(value.normalize() if value == value.to_integral() else value, qualifier), raw
    )


def _checked(amount: Amount, raw: str) -> Amount:
    if amount.yuan < 0:
        raise ParseError(f"金额不能为负数：「{raw}」")
    if amount.yuan > MAX_AMOUNT_YUAN:
        raise ParseError(f"金额「{raw}」超过1万亿元，疑似填写错误")
    return Amount(amount.yuan.quantize(Decimal("0.01")), amount.qualifier)


def format_yuan(yuan: Decimal | int | float | None) -> str:
    """Show an amount the way officials read it: 亿元 above 1亿, 万元 above 1万."""
    if yuan is None:
        return "—"
    value = Decimal(str(yuan))
    if abs(value) >= 100_000_000:
        return f"{(value / 100_000_000).quantize(Decimal('0.01')).normalize():f}亿元"
    if abs(value) >= 10_000:
        return f"{(value / 10_000).quantize(Decimal('0.01')).normalize():f}万元"
    return f"{value.quantize(Decimal('0.01')).normalize():f}元"


_DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?$"),
    re.compile(r"^(?P<y>\d{4})[./\-](?P<m>\d{1,2})[./\-](?P<d>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
)


def parse_cn_date(value: object) -> date:
    """Read ``2023年2月11日``, ``2023.2.11``, ``2023-02-11``, ``2023/2/11`` or a date cell."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = re.sub(r"\s+", "", str(value or "")).translate(_FULLWIDTH)
    if not raw:
        raise ParseError("日期为空")
    for pattern in _DATE_PATTERNS:
        m = pattern.match(raw)
        if m:
            try:
                return date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError as exc:
                raise ParseError(f"日期「{value}」不存在") from exc
    raise ParseError(f"无法识别的日期「{value}」，应写作如 2023年2月11日 或 2023.2.11")
