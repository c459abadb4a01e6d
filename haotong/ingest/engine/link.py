"""Link mentions of the same project (签约 then 开工) into one project with all its events."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from rapidfuzz import fuzz, process

from haotong.ingest.engine.facts import Mention, StageEvent
from haotong.ingest.engine.places import Location
from haotong.ingest.engine.stages import STAGE_ORDER, SUFFIX_RE


@dataclass
class Project:
    mentions: list[Mention] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # original spans, one per mention

    @property
    def events(self) -> list[tuple[StageEvent, tuple[int, int]]]:
        return [
            (e, o)
            for m, sp in zip(self.mentions, self.event_spans, strict=True)
            for e, o in zip(m.events, sp, strict=True)
        ]

    event_spans: list[list[tuple[int, int]]] = field(default_factory=list)
    distinct: dict[str, Mention] = field(default_factory=dict)  # one mention per distinct core name


@lru_cache(maxsize=65536)
def core(name: str) -> str:
    return re.sub(r"[()（）\s]", "", SUFFIX_RE.sub("", name))


_PHASE = re.compile(r"([一二三四五六七八九十\d]+)期")


@lru_cache(maxsize=65536)
def _phases(name: str) -> list[str]:
    return _PHASE.findall(name)


def same_project(a: Mention, b: Mention) -> bool:
    pa, pb = _phases(a.name), _phases(b.name)
    if pa and pb and pa != pb:
        return False  # 一期 and 二期 of one base are two projects
    ca, cb = core(a.name), core(b.name)
    if ca == cb:
        return True
    if fuzz.ratio(ca, cb) >= 85:
        return True
    short, long_ = sorted((ca, cb), key=len)
    if len(short) >= 4 and long_.endswith(short) and len(long_) - len(short) <= 2:
        return True  # "陶瓷装备项目" in a headline, "高端陶瓷装备项目" in the text
    both = a.investment is not None and a.investment == b.investment
    return both and ca[:2] == cb[:2] and fuzz.partial_ratio(ca, cb) >= 50


RECENT = 200  # bounds linking on a 200 MB file: fuzzy matches only among the last projects


def link(mentions: list[tuple[Mention, tuple[int, int], list[tuple[int, int]]]]) -> list[Project]:
    """Group ``(mention, original span, original event spans)`` into projects, in order."""
    projects: list[Project] = []
    by_core: dict[str, Project] = {}
    recent: list[Project] = []  # the projects met last: fuzzy matches are looked for there
    # the distinct names of the projects in ``recent``, flat, for one C-speed fuzzy pass
    names: list[str] = []
    owners: list[tuple[Mention, Project]] = []
    listed: set[int] = set()  # ids of the projects whose names are in ``names``
    for mention, span, event_spans in mentions:
        key = core(mention.name)
        target = by_core.get(key) or _recent_match(mention, key, names, owners, recent)
        if target is None:
            target = Project()
            projects.append(target)
        if not recent or recent[-1] is not target:
            recent.append(target)
            if len(recent) > 2 * RECENT:
                del recent[:RECENT]  # a name spelled differently is linked within a document
                listed &= {id(p) for p in recent}
                kept = [(n, o) for n, o in zip(names, owners, strict=True) if id(o[1]) in listed]
                names[:] = [n for n, _ in kept]
                owners[:] = [o for _, o in kept]
        by_core[key] = target
        if key not in target.distinct:
            target.distinct[key] = mention
            if id(target) in listed:
                names.append(key)
                owners.append((mention, target))
        if id(target) not in listed:  # new, or back in ``recent`` after being trimmed
            listed.add(id(target))
            names.extend(target.distinct)
            owners.extend((m, target) for m in target.distinct.values())
        target.mentions.append(mention)
        target.spans.append(span)
        target.event_spans.append(event_spans)
    return projects


def _recent_match(
    mention: Mention,
    key: str,
    names: list[str],
    owners: list[tuple[Mention, Project]],
    recent: list[Project],
) -> Project | None:
    """The most recent project one of whose names is ``same_project`` as ``mention``.

    Same answer as testing every recent name in turn, but the names that could match
    (fuzzy ratio ≥ 85, or the same first two characters for the amount rule) are found
    first in one pass."""
    if not names:
        return None
    close = {
        i for _, _, i in process.extract(key, names, scorer=fuzz.ratio, score_cutoff=85, limit=None)
    }
    if mention.investment is not None:
        close.update(i for i, n in enumerate(names) if n[:2] == key[:2])
    if len(key) >= 4:  # one name the other with a word in front ("高端陶瓷装备" / "陶瓷装备")
        close.update(i for i, n in enumerate(names) if n.endswith(key) or key.endswith(n))
    hits = {id(owners[i][1]) for i in close if same_project(owners[i][0], mention)}
    return next((p for p in reversed(recent) if id(p) in hits), None)


def primary(project: Project) -> tuple[StageEvent, tuple[int, int]] | None:
    """The event that gives the project its stage: dated first, then the most advanced."""
    events = project.events
    if not events:
        return None
    return max(events, key=lambda eo: (eo[0].date is not None, STAGE_ORDER.index(eo[0].stage)))


def merged_value(project: Project, attr: str) -> object:
    for m in project.mentions:
        value = getattr(m, attr)
        if value not in (None, ""):
            return value
    return None


def merged_location(project: Project) -> Location:
    loc = Location()
    for m in project.mentions:
        for level in ("province", "city", "district", "town"):
            if getattr(loc, level) is None:
                setattr(loc, level, getattr(m.location, level))
    return loc


def investment(project: Project) -> tuple[Decimal | None, str]:
    for m in project.mentions:
        if m.investment is not None:
            return m.investment, m.qualifier
    return None, ""
