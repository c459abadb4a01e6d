"""Score extraction against the hand-annotated gold set: precision / recall / F1 per field."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from haotong.ingest.engine.decode import decode_bytes
from haotong.ingest.engine.pipeline import extract_text

GOLD_DIR = Path(__file__).resolve().parent.parent / "gold"
_FIGURE = re.compile(
    r"\d+(?:\.\d+)?(?:万|亿)?(?:平方米|立方米|吨|辆|台|套|片|GWh|GW|吉瓦时|吉瓦|千瓦|件|只|块|米)"
)
PROJECT_FIELDS = ("name", "investment", "stage", "date", "location", "company", "capacity")


@dataclass
class Tally:
    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    def add(self, tp: int, n_pred: int, n_gold: int) -> None:
        self.tp, self.n_pred, self.n_gold = self.tp + tp, self.n_pred + n_pred, self.n_gold + n_gold

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    docs: int = 0
    fields: dict[str, Tally] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def tally(self, name: str) -> Tally:
        return self.fields.setdefault(name, Tally())


def norm_name(name: str | None) -> str:
    text = re.sub(r"\s+", "", name or "").replace("（", "(").replace("）", ")")
    return re.sub(r"(项目|工程)$", "", text)


def _value(project: dict[str, Any], fld: str) -> Any:
    if fld == "investment":
        yuan = project.get("investment_yuan")
        return (
            None
            if yuan is None
            else (round(float(yuan)), project.get("investment_qualifier") or "")
        )
    if fld == "name":
        return norm_name(project.get("name"))
    if fld == "location":
        loc = {k: v for k, v in (project.get("location") or {}).items() if v}
        return tuple(sorted(loc.items())) or None
    if fld == "capacity":  # compared by its figure: "年产封装载板86万平方米" → "86万平方米"
        m = _FIGURE.search(re.sub(r"\s+", "", project.get("capacity") or ""))
        return m.group(0).replace("吉瓦时", "GWh") if m else None
    return project.get(fld) or None


def match_projects(pred: list[dict], gold: list[dict]) -> list[tuple[dict, dict]]:
    """One-to-one pairs, exact normalised names first, then fuzzy (ratio ≥ 70)."""
    pairs: list[tuple[dict, dict]] = []
    free = list(pred)
    for exact in (True, False):
        for g in gold:
            if any(g is pg for _, pg in pairs):
                continue
            gn = norm_name(g["name"])
            best = max(free, key=lambda p: fuzz.ratio(norm_name(p["name"]), gn), default=None)
            if best is None:
                continue
            score = fuzz.ratio(norm_name(best["name"]), gn)
            if (exact and score == 100) or (not exact and score >= 70):
                pairs.append((best, g))
                free.remove(best)
    return pairs


def score_projects(report: Report, pred: list[dict], gold: list[dict], doc: str) -> None:
    pairs = match_projects(pred, gold)
    for fld in PROJECT_FIELDS:
        tp = sum(
            1 for p, g in pairs if _value(g, fld) is not None and _value(p, fld) == _value(g, fld)
        )
        n_pred = sum(1 for p in pred if _value(p, fld) is not None)
        report.tally(f"project.{fld}").add(
            tp, n_pred, sum(1 for g in gold if _value(g, fld) is not None)
        )
    triple = [
        p
        for p, g in pairs
        if all(_value(p, f) == _value(g, f) for f in ("name", "investment", "stage"))
    ]
    report.tally("project (name+investment+stage)").add(len(triple), len(pred), len(gold))
    for g in gold:
        if not any(g is pg and p in triple for p, pg in pairs):
            report.misses.append(
                f"{doc}: gold {g['name']} {g.get('investment_yuan')} {g.get('stage')}"
            )
    for p in pred:
        if not any(p is pp for pp, _ in pairs):
            report.misses.append(
                f"{doc}: extra {p['name']} {p.get('investment_yuan')} {p.get('stage')}"
            )


def _multiset_f1(report: Report, key: str, pred: list[Any], gold: list[Any]) -> None:
    cp, cg = Counter(pred), Counter(gold)
    report.tally(key).add(sum((cp & cg).values()), sum(cp.values()), sum(cg.values()))


def score_doc(report: Report, result: dict[str, Any], gold: dict[str, Any], doc: str) -> None:
    report.docs += 1
    score_projects(report, result["projects"], gold["projects"], doc)

    def agg(a: dict) -> tuple:
        return (
            a["count"],
            a.get("investment_yuan") and round(float(a["investment_yuan"])),
            a["stage"],
            a["date"],
        )

    _multiset_f1(
        report,
        "aggregate (count+amount+stage+date)",
        [agg(a) for a in result["aggregates"]],
        [agg(a) for a in gold["aggregates"]],
    )
    _multiset_f1(
        report,
        "person.name",
        [p["name"] for p in result["people"]],
        [p["name"] for p in gold["people"]],
    )
    pos = lambda ps: [(p["name"], x) for p in ps for x in p["positions"]]  # noqa: E731
    _multiset_f1(report, "person.position", pos(result["people"]), pos(gold["people"]))
    qt = lambda qs: [(q["speaker"], re.sub(r"\W", "", q["text"])[:12]) for q in qs]  # noqa: E731
    _multiset_f1(report, "quote (speaker+text)", qt(result["quotes"]), qt(gold["quotes"]))
    title = lambda arts: [re.sub(r"\s+", "", a["title"] or "") for a in arts if a.get("title")]  # noqa: E731
    _multiset_f1(report, "article.title", title(result["articles"]), title(gold["articles"]))
    paras = lambda arts: [re.sub(r"\s+", "", p) for a in arts for p in a["paragraphs"]]  # noqa: E731
    _multiset_f1(report, "article.paragraph", paras(result["articles"]), paras(gold["articles"]))


def splits(gold_dir: Path) -> list[str]:
    """The split names ``score --split`` accepts: those in split.json, plus test and all."""
    spec = json.loads((gold_dir / "split.json").read_text(encoding="utf-8"))
    return [k for k in spec if isinstance(spec[k], list)] + ["test", "all"]


def load_split(gold_dir: Path, split: str) -> list[str]:
    """Document names of ``split``; ``test`` is whichever split ``held_out`` names.

    ``all`` is dev + the held-out split (``test1``, the retired first test split, is
    already part of dev).
    """
    spec = json.loads((gold_dir / "split.json").read_text(encoding="utf-8"))
    held_out = spec.get("held_out", "test")
    if split == "all":
        return list(dict.fromkeys(spec["dev"] + spec[held_out]))
    name = held_out if split == "test" else split
    if not isinstance(spec.get(name), list):
        raise ValueError(f"unknown split {split!r}: choose from {', '.join(splits(gold_dir))}")
    return list(spec[name])


def score_split(gold_dir: Path, split: str) -> Report:
    report = Report()
    for name in load_split(gold_dir, split):
        gold = json.loads((gold_dir / f"{name}.json").read_text(encoding="utf-8"))
        text = decode_bytes((gold_dir / f"{name}.txt").read_bytes())
        given = gold.get("given_date")
        result = extract_text(text, when=date.fromisoformat(given) if given else None, source=name)
        score_doc(report, result, gold, name)
    return report


def score_probes(path: Path) -> Report:
    """Phrasing probes: one JSON object per line, ``{"id", "date", "text", "projects"}``.

    Each probe is one short paragraph with the projects it names (often none); the
    projects are scored like a gold document's, the other fields are not annotated."""
    report = Report()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            probe = json.loads(line)
            when = date.fromisoformat(probe["date"]) if probe.get("date") else None
            text, gold = probe["text"], probe["projects"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a probe ({exc})") from exc
        # a paragraph under a neutral masthead and headline, as it would reach the engine
        result = extract_text(f"要闻\n\n{text}\n", when=when, source=probe.get("id"))
        report.docs += 1
        score_projects(report, result["projects"], gold, probe.get("id") or f"line {number}")
    return report


def format_report(report: Report, split: str, misses: bool = False) -> str:
    lines = [
        f"split={split} documents={report.docs}",
        f"{'field':40} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'pred':>5} {'gold':>5}",
    ]
    for name, t in report.fields.items():
        lines.append(
            f"{name:40} {t.precision:6.3f} {t.recall:6.3f} {t.f1:6.3f} {t.tp:5d} {t.n_pred:5d} {t.n_gold:5d}"
        )
    if misses:
        lines += ["", "misses (name+investment+stage):", *report.misses]
    return "\n".join(lines) + "\n"
