"""Duplicate pursuit (pure: no Django): two teams chasing the same investor or project.

Names are normalised (legal forms, place prefixes and generic words removed) and then
compared with rapidfuzz: a similarity ratio at or above ``THRESHOLD``, or one name
wholly contained in the other (康源电子 / 康源电子高端IC载板). Matches are reported,
never merged: people settle them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

THRESHOLD = 88
# Project names share long generic tails (集成电路产业园), so one differing character in
# the distinctive part still scores ~89; they must agree more closely to count.
PROJECT_THRESHOLD = 94
MIN_CONTAINED = 4  # a shorter name must have this many characters to count as contained

_BRACKETS = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
_PLACES = (
    "中国",
    "江苏省",
    "江苏",
    "浙江省",
    "浙江",
    "广东省",
    "广东",
    "安徽",
    "四川",
    "上海市",
    "上海",
    "北京市",
    "北京",
    "天津",
    "重庆",
    "深圳市",
    "深圳",
    "广州",
    "东莞",
    "苏州",
    "无锡",
    "常州",
    "南京",
    "杭州",
    "宁波",
    "合肥",
    "成都",
    "武汉",
    "西安",
    "南通市",
    "南通",
    "通州区",
    "通州",
    "香港",
)
_LEGAL = ("有限责任公司", "股份有限公司", "有限公司", "集团公司", "集团", "股份", "公司")
# Generic words dropped only while a distinctive name of 3+ characters remains
# (康源电子科技 → 康源电子, but 鸿睿科技 stays: 鸿睿科技 and 鸿睿实业 are not one firm).
_GENERIC = ("科技", "实业", "发展", "投资", "国际", "控股", "企业")
_PROJECT_WORDS = ("项目", "年产", "新建", "扩建", "技改", "一期", "二期", "三期", "四期")
_PUNCT = re.compile(r"[\s·・,，.。、\-—_/&]+")


def normalise_company(name: str) -> str:
    """康源电子(南通)股份有限公司 → 康源电子."""
    text = _BRACKETS.sub("", name.strip())
    for word in _LEGAL:
        text = text.replace(word, "")
    for place in _PLACES:
        if text.startswith(place) and len(text) > len(place) + 1:
            text = text[len(place) :]
    for word in _GENERIC:
        if len(text.replace(word, "")) >= 3:
            text = text.replace(word, "")
    return _PUNCT.sub("", text).upper()


def normalise_project(name: str) -> str:
    """南通康源电子年产86万平方米封装载板项目（一期） → 康源电子86万平方米封装载板."""
    text = normalise_company(name)
    for word in _PROJECT_WORDS:
        text = text.replace(word, "")
    return text


def similarity(a: str, b: str) -> float:
    """0–100: how alike two normalised names are; containment counts as 100."""
    if not a or not b:
        return 0.0
    short, long = sorted((a, b), key=len)
    if len(short) >= MIN_CONTAINED and short in long:
        return 100.0
    return float(fuzz.ratio(a, b))


@dataclass(frozen=True)
class Item:
    """One lead as the matcher sees it."""

    id: int
    team_id: int
    investor_key: str
    project_key: str


@dataclass(frozen=True)
class Match:
    a: int  # the smaller id
    b: int
    field: str  # "investor" or "project"
    score: float


def find_matches(items: Sequence[Item], *, threshold: float = THRESHOLD) -> list[Match]:
    """Every pair of items of different teams whose investor or project names match."""
    out: dict[tuple[int, int], Match] = {}
    for x, item in enumerate(items):
        for match in _matches(item, items[x + 1 :], threshold):
            pair = (match.a, match.b)
            if pair not in out or out[pair].score < match.score:
                out[pair] = match
    return sorted(out.values(), key=lambda m: (m.a, m.b))


def matches_for(item: Item, others: Sequence[Item], *, threshold: float = THRESHOLD) -> list[Match]:
    """Matches of one (new or edited) lead against the others: one pass over them."""
    best: dict[int, Match] = {}
    for match in _matches(item, others, threshold):
        other = match.b if match.a == item.id else match.a
        if other not in best or best[other].score < match.score:
            best[other] = match
    return sorted(best.values(), key=lambda m: (m.a, m.b))


def _matches(item: Item, others: Sequence[Item], threshold: float) -> list[Match]:
    out = []
    for field in ("investor", "project"):
        cutoff = max(threshold, PROJECT_THRESHOLD) if field == "project" else threshold
        key = getattr(item, f"{field}_key")
        keys = [getattr(o, f"{field}_key") for o in others]
        for idx in _similar(key, keys, cutoff):
            other = others[idx]
            if other.team_id != item.team_id:
                a, b = sorted((item.id, other.id))
                out.append(Match(a, b, field, similarity(key, keys[idx])))
    return out


def _similar(key: str, keys: Sequence[str], cutoff: float) -> set[int]:
    """Indexes of ``keys`` like ``key``: rapidfuzz (C) for near-misses, plus containment."""
    if not key:
        return set()
    hits = {
        idx
        for _, _, idx in process.extract(
            key, keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
        )
    }
    long_enough = len(key) >= MIN_CONTAINED
    hits.update(
        idx
        for idx, other in enumerate(keys)
        if (long_enough and key in other) or (len(other) >= MIN_CONTAINED and other in key)
    )
    return hits
