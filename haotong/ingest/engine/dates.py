"""Date expressions in news text, resolved against the article's reference date.

``2月11日``, ``2023年2月11日``, ``去年10月``, a bare ``7月``, ``当天`` (the last
date mentioned before it) and ``昨天`` (the publication date minus one) become
``YYYY-MM-DD`` or ``YYYY-MM``; an expression that cannot be anchored is ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

DATE_RE = re.compile(
    r"(?:(?P<y>\d{4})\s*年|(?P<ry>去年|今年|前年|明年|上年))?(?<![\d.个])(?P<range>(?:\d{1,2}\s*月?\s*(?:至|到|—|-|~|－)\s*))?(?P<m>\d{1,2})\s*月"
    r"(?:\s*(?P<d>\d{1,2})\s*[日号])?|(?P<rel>当天|当日|同日|同一天|今天|今日|昨天|昨日|前天|上个?月|本月)"
    r"|(?P<yo>\d{4})\s*年(?=[初底末内])"
    r"|(?P<lastend>去年|上年)[底末](?!前)"
)
_YEAR_RE = re.compile(r"(?<!\d)(20[0-4]\d|19[89]\d)(?=\s*年|全国|\D)")
_ANY_DATE = re.compile(
    r"月|当天|当日|同日|同一天|今天|今日|昨天|昨日|前天|年[初底末内]"
)  # 去年底 too
_PLAN_BEFORE = re.compile(r"计划|预计|力争|争取|到|至|确保|有望|将于|将在")
_PLAN_AFTER = re.compile(
    r"\s*年(?:底前?|前|内|上半年|下半年)?(?:全面)?(?:建成|投产|竣工|完成|实现|达产|达到)"
)
_GLUED_ITEM = re.compile(r"^\s*\d{1,2}[.．、](?=\d{1,2}\s*月)")
_REL_YEAR = {"去年": -1, "上年": -1, "今年": 0, "前年": -2, "明年": 1}


@dataclass(frozen=True)
class Ref:
    """What a date is resolved against: the publication date, or only a year."""

    year: int | None
    day: date | None = None

    @classmethod
    def of(cls, when: date | None, text_year: int | None = None) -> Ref:
        return cls(when.year, when) if when else cls(text_year)


def infer_year(text: str) -> int | None:
    """The latest plausible year written in ``text`` (a page's own year), or ``None``.

    Years of plans (``计划2025年建成``, ``到2030年``) are not the page's year."""
    head = text[:200_000]
    years = [
        int(m.group(1))
        for m in _YEAR_RE.finditer(head)
        if not _PLAN_BEFORE.search(head, max(0, m.start() - 4), m.start())
        and not _PLAN_AFTER.match(head, m.end())
    ]
    return max(years) if years else None


def _fmt(y: int, m: int, d: int | None) -> str | None:
    try:
        return date(y, m, d).isoformat() if d else f"{y:04d}-{m:02d}" if 1 <= m <= 12 else None
    except ValueError:
        return None


def resolve(m: re.Match[str], ref: Ref, last: str | None) -> str | None:
    """Value of one ``DATE_RE`` match; ``last`` is the previous resolved date (for 当天)."""
    rel = m.group("rel")
    if rel:
        if rel in ("今天", "今日"):
            return ref.day.isoformat() if ref.day else last
        if rel in ("上月", "上个月", "本月"):  # "上月底": a month, not a day
            if ref.day is None:
                return None
            previous = ref.day.replace(day=1) - timedelta(days=1)
            return f"{previous:%Y-%m}" if rel != "本月" else f"{ref.day:%Y-%m}"
        if rel in ("昨天", "昨日", "前天"):
            back = 1 if rel != "前天" else 2
            return (ref.day - timedelta(days=back)).isoformat() if ref.day else None
        return last
    if m.group("yo"):
        return None
    if m.group("lastend"):  # "去年底": last December (a past month, never a plan)
        return f"{ref.year - 1:04d}-12" if ref.year is not None else None
    if m.group("range"):  # "1至5月": a period, not a date
        return None
    month = int(m.group("m"))
    day = int(m.group("d")) if m.group("d") else None
    if m.group("y"):
        return _fmt(int(m.group("y")), month, day)
    if ref.year is None:
        return None
    year = ref.year + _REL_YEAR.get(m.group("ry") or "", 0)
    if (
        not m.group("ry")
        and ref.day is not None
        and date(year, month, 1) > ref.day + timedelta(days=62)
    ):
        year -= 1  # "12月28日" in a January paper is last December
    return _fmt(year, month, day)


def find_dates(text: str, ref: Ref, last: str | None) -> list[tuple[int, int, str | None]]:
    """All date expressions in ``text`` as (start, end, value), resolving 当天 in order."""
    found: list[tuple[int, int, str | None]] = []
    if not _ANY_DATE.search(text):
        return found
    glued = _GLUED_ITEM.match(text)
    if glued:  # "1.12月12日，…": the item number is not part of the date
        text = " " * glued.end() + text[glued.end() :]
    for m in DATE_RE.finditer(text):
        value = resolve(m, ref, last)
        if value and len(value) == 10:
            last = value
        found.append((m.start(), m.end(), value))
    return found
