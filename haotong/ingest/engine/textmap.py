"""Length-preserving normalisation for analysis: traditional → simplified, full-width → ASCII.

Every mapping is one character to one character, so offset *i* in the analysis text
is offset *i* in the input. Phrase-level conversions of OpenCC are deliberately not
used: they can change length and would break the offset map.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import opencc

_FULLWIDTH_PAIRS = {chr(0xFF10 + i): str(i) for i in range(10)} | {
    "．": ".",
    "％": "%",
    "　": " ",
    "（": "(",
    "）": ")",
    "\u00a0": " ",
    "\u200b": " ",
    "\ufeff": " ",
    "「": "“",
    "」": "”",
    "『": "‘",
    "』": "’",
}


@lru_cache(maxsize=1)
def _width_table() -> dict[int, str]:
    return {ord(src): dst for src, dst in _FULLWIDTH_PAIRS.items()}


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    path = Path(opencc.__file__).with_name("dictionary") / "TSCharacters.txt"
    table: dict[int, str] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            trad, _, simp = line.rstrip("\n").partition("\t")
            first = simp.split(" ")[0] if simp else ""
            if len(trad) == 1 and len(first) == 1 and trad != first:
                table[ord(trad)] = first
    for src, dst in _FULLWIDTH_PAIRS.items():
        table[ord(src)] = dst
    return table


_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]+")
TRADITIONAL_SHARE = 0.05  # traditional text: ~20–30 % of its characters differ
_SAMPLE = 50_000  # characters looked at: a page's script does not change half-way


@lru_cache(maxsize=1)
def _drop_traditional() -> dict[int, None]:
    return {k: None for k, v in _table().items() if chr(k) not in _FULLWIDTH_PAIRS}


def is_traditional(text: str) -> bool:
    """Whether ``text`` is written in traditional characters.

    Decided on a whole page, not per character: a few characters of OpenCC's table
    are also standard simplified characters in names (华昇, 吉喆), and converting
    them in a simplified page would change the name. A simplified page has almost
    none of the table's characters; a traditional one has them in every sentence.
    """
    cjk = _NOT_CJK.sub("", text[:_SAMPLE])
    if not cjk:
        return False
    hits = len(cjk) - len(cjk.translate(_drop_traditional()))
    return hits >= 3 and hits / len(cjk) >= TRADITIONAL_SHARE


def to_analysis(text: str, *, traditional: bool = True) -> str:
    """Half-width copy of ``text`` with exactly the same length; simplified when
    ``traditional`` (the caller decides per page with :func:`is_traditional`)."""
    return text.translate(_table() if traditional else _width_table())
