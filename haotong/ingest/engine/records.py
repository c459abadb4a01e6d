"""Projects listed as records: a numbered name line, then "键：值" field lines.

Government notices and 公示 lists give projects as records, not sentences::

    一、新开工项目
    1．年产10万吨α-烯烃项目
    建设地点：龙凤区　　建设单位：大庆龙华化工有限公司
    总投资：46亿元　　开工时间：2023年7月12日

Each field says one thing (place, company, amount, the date of a stage), so a record is
read field by field; the stage comes from a dated field (开工时间, 竣工投产时间 …) or,
failing one, from the section heading above the records ("二、竣工投产项目").
The reader works on lines of the analysis text (same length as the original), so every
span is an offset into the original.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from haotong.ingest.engine.amounts import parse_money
from haotong.ingest.engine.dates import Ref, find_dates
from haotong.ingest.engine.places import Gazette, Location, locate
from haotong.ingest.engine.stages import is_specific, stage_hits

_ITEM = re.compile(
    r"(?:\d{1,2}\s*[.．、]|[（(][一二三四五六七八九十\d]{1,3}[）)])\s*"
    r"(?P<name>[^，。；：:\s]{2,40}?(?:项目|工程)(?:\([^()]{1,8}\))?)\s*$"
)
_KEYS = {
    "建设地点": "place", "项目地点": "place", "项目选址": "place", "所在地": "place",
    "建设单位": "company", "项目单位": "company", "业主单位": "company", "投资主体": "company",
    "实施主体": "company", "投资方": "company",
    "总投资": "money", "计划总投资": "planned_money", "投资额": "money", "协议投资": "money",
    "项目总投资": "money", "投资总额": "money",
    "建设内容": "content", "建设规模": "content",
    "签约时间": "signed", "开工时间": "started", "竣工时间": "completed",
    "投产时间": "production", "竣工投产时间": "production", "建成投产时间": "production",
    "达产时间": "capacity",
}  # fmt: skip
_FIELD = re.compile("(" + "|".join(sorted(_KEYS, key=len, reverse=True)) + r")\s*[：:]\s*")
_SECTION = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)])\s*"
    r"(?:新)?((?:签约|开工|竣工投产|竣工|投产|在建|在谈|洽谈)(?:的)?(?:重点|重大|产业)?(?:\S{0,6})?项目)"
)
_CAPACITY = re.compile(
    r"年产[^，。；]{1,20}?\d+(?:\.\d+)?(?:万|亿)?(?:吨|辆|台|套|片|GWh|GW|件|只)"
)


@dataclass(slots=True)
class Record:
    name: str
    name_span: tuple[int, int]
    location: Location
    company: str | None
    investment: object  # Decimal | None
    qualifier: str
    capacity: str | None
    events: list[tuple[str, str | None, tuple[int, int]]]  # (stage, date, span)


def _lines(text: str, base: int) -> Iterator[tuple[str, int]]:
    pos = 0
    for raw in text.split("\n"):
        lead = len(raw) - len(raw.lstrip(" \t\r\u3000\u00a0"))
        yield raw.strip(" \t\r\u3000\u00a0"), base + pos + lead
        pos += len(raw) + 1


def _fields(line: str) -> list[tuple[str, str, int]]:
    """(kind, value, offset of the value in the line) of every "键：值" in ``line``."""
    found = list(_FIELD.finditer(line))
    out = []
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(line)
        out.append((_KEYS[m.group(1)], line[m.end() : end].strip(" \u3000；;，,"), m.end()))
    return out


def find_records(text: str, base: int, ref: Ref, gazette: Gazette) -> list[Record]:
    """Records in ``text`` (an analysis text), spans offset by ``base``."""
    if "：" not in text and ":" not in text:
        return []
    out: list[Record] = []
    section: str | None = None
    current: Record | None = None
    for line, start in _lines(text, base):
        heading = _SECTION.match(line)
        if heading:
            hits = stage_hits(heading.group(1))
            section = hits[0][2] if hits else None
            current = None
            continue
        item = _ITEM.match(line)
        if item and is_specific(item.group("name")):
            name_start = start + item.start("name")
            current = Record(
                name=item.group("name"),
                name_span=(name_start, name_start + len(item.group("name"))),
                location=Location(),
                company=None,
                investment=None,
                qualifier="",
                capacity=None,
                events=[],
            )
            out.append(current)
            if section:
                current.events.append((section, None, current.name_span))
            continue
        fields = _fields(line) if current is not None else []
        if not fields:
            if line:
                current = None if not _FIELD.search(line) else current
            continue
        assert current is not None
        for kind, value, offset in fields:
            _apply(current, kind, value, start + offset, ref, gazette)
    return [r for r in out if r.investment is not None or r.company or len(r.events) > 0]


def _apply(record: Record, kind: str, value: str, at: int, ref: Ref, gazette: Gazette) -> None:
    if kind == "place":
        record.location = locate(value, gazette)
    elif kind == "company":
        record.company = value or None
    elif kind in ("money", "planned_money"):
        parsed = parse_money(value.split("（")[0].split("(")[0])
        if parsed is not None:
            record.investment, record.qualifier = parsed
            if kind == "planned_money" and parsed[0] is not None:
                record.qualifier = "planned"
    elif kind == "content":
        cap = _CAPACITY.search(value)
        record.capacity = cap.group(0) if cap else record.capacity
    else:
        dates = [d for d in find_dates(value, ref, None) if d[2]]
        when = dates[0][2] if dates else None
        span = (at, at + len(value))
        # a dated field outranks the section heading's undated stage
        record.events = [e for e in record.events if e[1] is not None]
        record.events.append((kind, when, span))
