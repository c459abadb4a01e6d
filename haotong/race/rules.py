"""Pure: the race's scoring rule (weights stored as JSON) and its periods.

A rule is data: ``parse_weights`` validates the stored JSON and turns it into a
``Rule`` of integer milli-points, so the vectorised engine and the reference loop
do exact integer arithmetic and always agree. Imports no Django.
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

MILLI = 1000
FEN_PER_YI = 10_000_000_000  # 1亿元 = 1e8 yuan = 1e10 fen
MAX_POINTS = Decimal(10_000)

TAG_KEYS = {"tech": "科创", "talent": "人才", "major_attraction": "重大招商"}
MINIMUM_KEYS = {"signed": "签约", "started": "开工", "events": "签约+开工事件"}
TOP_LEVEL_KEYS = {
    "signed_bands",
    "started",
    "per_yi_completed",
    "tags",
    "per_staff",
    "minimums",
}

DEFAULT_WEIGHTS: dict[str, Any] = {
    "signed_bands": [
        {"min_yi": 50, "points": 30},
        {"min_yi": 10, "points": 15},
        {"min_yi": 1, "points": 5},
    ],
    "started": 10,
    "per_yi_completed": 1,
    "tags": {"tech": 3, "talent": 2, "major_attraction": 5},
    "per_staff": False,
    "minimums": {"signed": 0, "started": 0, "events": 0},
}


class RuleError(ValueError):
    """Weights that do not parse; the message is Chinese and names the key."""


@dataclass(frozen=True)
class Band:
    min_fen: int
    points_milli: int


@dataclass(frozen=True)
class Rule:
    version: int
    bands: tuple[Band, ...]  # highest threshold first
    started_milli: int
    per_yi_milli: int
    tech_milli: int
    talent_milli: int
    major_milli: int
    per_staff: bool = False
    min_signed: int = 0
    min_started: int = 0
    min_events: int = 0


def _number(value: Any, key: str, *, places: int = 3, limit: Decimal = MAX_POINTS) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise RuleError(f"「{key}」必须是数字，收到 {json.dumps(value, ensure_ascii=False)}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise RuleError(
            f"「{key}」必须是数字，收到 {json.dumps(value, ensure_ascii=False)}"
        ) from None
    if not number.is_finite() or number < 0 or number > limit:
        raise RuleError(f"「{key}」必须在 0 到 {limit} 之间，收到 {value}")
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise RuleError(f"「{key}」最多保留{places}位小数，收到 {value}")
    return number


def _count(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 10_000:
        raise RuleError(f"「{key}」必须是 0 到 10000 的整数，收到 {value!r}")
    return value


def _milli(value: Any, key: str) -> int:
    return int(_number(value, key) * MILLI)


def _bands(raw: Any) -> tuple[Band, ...]:
    if not isinstance(raw, list) or not raw:
        raise RuleError('「signed_bands」必须是非空列表，如 [{"min_yi": 50, "points": 30}]')
    bands = []
    for i, item in enumerate(raw):
        key = f"signed_bands[{i}]"
        if not isinstance(item, dict) or set(item) != {"min_yi", "points"}:
            raise RuleError(f"「{key}」必须恰好包含 min_yi（亿元）和 points 两项，收到 {item!r}")
        min_yi = _number(item["min_yi"], f"{key}.min_yi", places=4, limit=Decimal(100_000))
        bands.append(Band(int(min_yi * FEN_PER_YI), _milli(item["points"], f"{key}.points")))
    bands.sort(key=lambda b: -b.min_fen)
    if len({b.min_fen for b in bands}) != len(bands):
        raise RuleError("「signed_bands」中有重复的 min_yi 档位")
    return tuple(bands)


def _keys(raw: Any, allowed: dict[str, str] | set[str], key: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise RuleError(f"「{key}」必须是对象（键值对），收到 {raw!r}")
    unknown = sorted(set(raw) - set(allowed))
    if unknown:
        raise RuleError(f"「{key}」中有未知的键：{'、'.join(unknown)}")
    return raw


def parse_weights(weights: Any, *, version: int = 0) -> Rule:
    """Validate stored weights (a dict, or its JSON text) and return the Rule."""
    if isinstance(weights, str):
        try:
            weights = json.loads(weights)
        except json.JSONDecodeError as exc:
            raise RuleError(
                f"权重不是有效的 JSON：第{exc.lineno}行第{exc.colno}列，{exc.msg}"
            ) from None
    raw = _keys(weights, TOP_LEVEL_KEYS, "权重")
    missing = sorted({"signed_bands", "started", "per_yi_completed", "tags"} - set(raw))
    if missing:
        raise RuleError(f"权重缺少必填的键：{'、'.join(missing)}")
    tags = _keys(raw["tags"], TAG_KEYS, "tags")
    minimums = _keys(raw.get("minimums", {}), MINIMUM_KEYS, "minimums")
    per_staff = raw.get("per_staff", False)
    if not isinstance(per_staff, bool):
        raise RuleError(f"「per_staff」必须是 true 或 false，收到 {per_staff!r}")
    return Rule(
        version=version,
        bands=_bands(raw["signed_bands"]),
        started_milli=_milli(raw["started"], "started"),
        per_yi_milli=_milli(raw["per_yi_completed"], "per_yi_completed"),
        tech_milli=_milli(tags.get("tech", 0), "tags.tech"),
        talent_milli=_milli(tags.get("talent", 0), "tags.talent"),
        major_milli=_milli(tags.get("major_attraction", 0), "tags.major_attraction"),
        per_staff=per_staff,
        min_signed=_count(minimums.get("signed", 0), "minimums.signed"),
        min_started=_count(minimums.get("started", 0), "minimums.started"),
        min_events=_count(minimums.get("events", 0), "minimums.events"),
    )


def investment_milli(completed_fen: int, per_yi_milli: int) -> int:
    """Points (milli) for investment completed, rounded down per report.

    Split so the product never leaves int64 in the vectorised engine."""
    whole, rest = divmod(completed_fen, FEN_PER_YI)
    return whole * per_yi_milli + rest * per_yi_milli // FEN_PER_YI


def fairness_note(rule: Rule) -> list[str]:
    """What the rule's normalisation and minimums imply, in plain words."""
    notes = []
    if rule.per_staff:
        notes.append(
            "按专职人数折算：排名依据“每名专职人员的得分”，人少的队伍不因规模吃亏，"
            "但未登记专职人数的队伍无法排名；总分仍照常显示。"
        )
    else:
        notes.append(
            "未按专职人数折算：排名依据队伍总分，人多、辖区大的队伍天然占优，"
            "比较小镇街时请结合专职人数阅读。"
        )
    minimums = [
        f"{label}不少于{n}个"
        for label, n in (
            ("签约", rule.min_signed),
            ("开工", rule.min_started),
            ("签约+开工事件", rule.min_events),
        )
        if n
    ]
    if minimums:
        notes.append(
            "最低数量：本期"
            + "、".join(minimums)
            + "的队伍才参与排名；未达到的队伍单独列出并说明原因，"
            "不会被评为红旗，也不会被标为末位——少量大项目不会让一支队伍偶然登顶。"
        )
    else:
        notes.append("未设最低数量：所有队伍都参与排名，单个大项目即可显著改变名次。")
    return notes


# ---------------------------------------------------------------- periods

PERIOD_RE = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])))?$")


@dataclass(frozen=True)
class Period:
    code: str
    start: date
    end: date

    @property
    def kind(self) -> str:
        if len(self.code) == 4:
            return "year"
        return "quarter" if "Q" in self.code else "month"


class PeriodError(ValueError):
    pass


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str) -> Period:
    """YYYY, YYYY-MM or YYYY-Qn."""
    match = PERIOD_RE.match(text.strip())
    if not match or not 1900 < int(match.group(1)) < 2200:
        raise PeriodError(
            f"期间「{text}」格式应为 YYYY、YYYY-MM 或 YYYY-Qn（如 2023、2023-03、2023-Q1）"
        )
    year = int(match.group(1))
    if match.group(2):
        m = int(match.group(2))
        return Period(f"{year}-{m:02d}", date(year, m, 1), month_end(year, m))
    if match.group(3):
        q = int(match.group(3))
        return Period(f"{year}-Q{q}", date(year, 3 * q - 2, 1), month_end(year, 3 * q))
    return Period(str(year), date(year, 1, 1), date(year, 12, 31))


def periods_between(first_year: int, last_year: int) -> list[Period]:
    """Every month, quarter and year of the years given (36 + 12 + 3 for three years)."""
    out = []
    for year in range(first_year, last_year + 1):
        out += [parse_period(f"{year}-{m:02d}") for m in range(1, 13)]
        out += [parse_period(f"{year}-Q{q}") for q in range(1, 5)]
        out.append(parse_period(str(year)))
    return out


def flag_for(rank: int | None, ranked: int) -> str:
    """Monthly report marks: top three 红旗 ("red"), bottom three 末位 ("last"),
    never both (with fewer than six ranked teams the top three win)."""
    if rank is None:
        return ""
    if rank <= 3:
        return "red"
    return "last" if rank > ranked - 3 else ""
