"""Length-preserving normalisation for analysis: traditional → simplified, full-width → ASCII.

Every mapping is one character to one character, so offset *i* in the analysis text
is offset *i* in the input. Phrase-level conversions of OpenCC are deliberately not
used: they can change length and would break the offset map.
"""

from __future__ import annotations

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


def to_analysis(text: str) -> str:
    """Simplified, half-width copy of ``text`` with exactly the same length."""
    return text.translate(_table())
