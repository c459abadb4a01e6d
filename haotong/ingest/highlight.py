"""The original text as HTML with evidence spans marked; everything else escaped."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    candidate_id: int
    main: bool  # the fact's main evidence (anchored) or one of its other mentions


def highlight(text: str, spans: Iterable[Span]) -> SafeString:
    """``text`` escaped, each span wrapped in ``<mark>``; a main span starts with an
    anchor ``#ev-<candidate id>`` so a link can scroll to it. Overlaps are split."""
    usable = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in usable), *(s.end for s in usable)})
    starts = {s.start: [] for s in usable if s.main}  # type: dict[int, list[int]]
    for s in usable:
        if s.main:
            starts[s.start].append(s.candidate_id)
    out: list[str] = []
    for left, right in itertools.pairwise(cuts):
        out.extend(f'<span class="anchor" id="ev-{cid}"></span>' for cid in starts.get(left, []))
        piece = escape(text[left:right])
        covering = [s for s in usable if s.start <= left and right <= s.end]
        if not covering:
            out.append(piece)
            continue
        ids = " ".join(sorted({str(s.candidate_id) for s in covering}))
        kind = "main" if any(s.main for s in covering) else "other"
        out.append(f'<mark class="ev {kind}" data-candidates="{ids}">{piece}</mark>')
    return mark_safe("".join(out))  # every piece of text above is escaped
