"""Glue: text → reconstruction → extraction → the JSON-ready result; files are streamed."""

from __future__ import annotations

import bisect
import dataclasses
import json
import re
import tempfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol, TextIO

from haotong.ingest.engine.dates import Ref, find_dates, infer_year
from haotong.ingest.engine.decode import open_text
from haotong.ingest.engine.facts import Mention, ParagraphReader, StageEvent, company_in
from haotong.ingest.engine.link import investment, link, merged_location, merged_value, primary
from haotong.ingest.engine.people import Person, find_people, find_quotes, sound_bite
from haotong.ingest.engine.places import Gazette, Location
from haotong.ingest.engine.reconstruct import Article, Paragraph, reconstruct
from haotong.ingest.engine.records import find_records, find_table_rows
from haotong.ingest.engine.stages import resolve_anaphor
from haotong.ingest.engine.textmap import is_traditional, to_analysis


class Sink(Protocol):
    def write(self, s: str, /) -> int: ...


_CEREMONY = re.compile(r"集中签约|签约仪式|签约活动|签约大会|集中开工|开工仪式|开工活动|开工大会")
_MASTHEAD_CHARS = 400  # the top of a page, where mastheads and issuing offices stand
CHUNK_CHARS = 1 << 18  # characters per chunk: bounds memory, whatever the file size


def _ceremony_stage(text: str) -> str | None:
    """The stage of the ceremony ``text`` reports ("集中签约" → signed, "开工仪式" → started)."""
    m = _CEREMONY.search(text)
    if m is None:
        return None
    return "signed" if "签约" in m.group(0) else "started"


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class Extractor:
    """Feeds chunks of one document; articles come out per chunk, facts at the end."""

    def __init__(self, when: date | None = None) -> None:
        self.when = when
        self.ref: Ref | None = None
        self.gazette = Gazette()
        self.masthead: Gazette | None = None
        self.mentions: list = []
        self.aggregates: list[dict[str, Any]] = []
        self.people: dict[str, Person] = {}
        self.quotes: list[dict[str, Any]] = []
        self.html: bool | None = None  # decided on the first chunk

    @property
    def date(self) -> str | None:
        return self.when.isoformat() if self.when else None

    def feed(self, chunk: str, base: int = 0) -> list[dict[str, Any]]:
        if self.html is None:
            self.html = bool(_HTML_PAGE.search(chunk, 0, 4000))
        if self.html:  # a saved page's source: its tags become blanks, its blocks lines
            chunk = blank_markup(chunk)
        trad = is_traditional(chunk)
        plain = to_analysis(chunk, traditional=trad)  # once per chunk, same length
        page = reconstruct(chunk, base, plain)
        if self.ref is None:
            if self.when is None and page.dates:
                self.when = date(*page.dates[0])
            self.ref = Ref.of(self.when, infer_year(chunk))
        first_of_chunk = len(self.mentions)

        def analysis_of(p: Paragraph) -> str:
            return "".join(plain[a - base : b - base] for a, b in p.pieces)

        def title_of(a: Article) -> str | None:
            if not (a.title and a.title_span):
                return None
            return plain[a.title_span[0] - base : a.title_span[1] - base]

        analysed = [
            (a, title_of(a), [(p, analysis_of(p)) for p in a.paragraphs]) for a in page.articles
        ]
        if self.masthead is None:  # the page's own place: masthead and furniture at its top
            self.masthead = Gazette()
            self.masthead.learn(plain[:_MASTHEAD_CHARS])
        locals_ = []
        for article, title, paras in analysed:
            local = Gazette()
            for text in [title or "", *article.subheads, *(t for _, t in paras)]:
                local.learn(text)
            self.gazette.merge(local)
            locals_.append(local)
        out = []
        for (article, title, paras), local in zip(analysed, locals_, strict=True):
            local.parent = self.gazette.parent
            known = local if (local.districts or local.cities) else self.masthead
            default = known.default()
            if default.district is None and self.masthead.districts:
                default.district = self.masthead.default().district
            self._article(
                article, title, paras, self.gazette.complete(default), (chunk, plain, base)
            )
            out.append(_article_dict(article))
        self._records(plain, base, first_of_chunk)
        return out

    def _records(self, text: str, base: int, first: int) -> None:
        """Projects listed as 公示 records ("建设单位：… 总投资：… 开工时间：…")."""
        assert self.ref is not None
        default = self.gazette.complete(self.gazette.default())
        records = find_records(text, base, self.ref, self.gazette) + find_table_rows(
            text, base, self.ref, self.gazette
        )
        if records:  # a record's lines read as running text give nothing better: drop those
            spans = sorted(r.extent for r in records)
            starts = [a for a, _ in spans]

            def overlaps(span: tuple[int, int]) -> bool:
                i = bisect.bisect_left(starts, span[1])  # records that start before it ends
                return any(a < span[1] and span[0] < b for a, b in spans[max(0, i - 8) : i])

            self.mentions[first:] = [t for t in self.mentions[first:] if not overlaps(t[1])]
        stage = _ceremony_stage(text[:_MASTHEAD_CHARS]) if records else None
        if stage:  # "一图读懂丨…重大项目集中开工": the page's event is its records' own
            top = find_dates(text[:_MASTHEAD_CHARS], self.ref, None)
            day = next((d[2] for d in top if d[2] and len(d[2]) == 10), None)
            for r in records:
                # a record told only of earlier events ("去年11月签约") is part of the day too
                if all(when and day and when < day for _, when, _ in r.events):
                    r.events.append((stage, day, r.name_span))
        for r in records:
            mention = Mention(name=r.name, span=r.name_span, location=r.location)
            mention.investment, mention.qualifier = r.investment, r.qualifier  # type: ignore[assignment]
            mention.company, mention.capacity = r.company, r.capacity
            mention.events = [
                StageEvent(stage, when, span, r.name) for stage, when, span in r.events
            ]
            _fill_location(mention.location, default, self.gazette)
            self.mentions.append((mention, r.name_span, [span for _, _, span in r.events]))

    def _article(
        self,
        article: Article,
        title: str | None,
        paras: list[tuple[Paragraph, str]],
        default: Location,
        page: tuple[str, str, int],
    ) -> None:
        assert self.ref is not None
        last_date: str | None = None
        lead_date: str | None = None
        named = False
        earlier: list[Mention] = []  # projects met so far in this article, for "该基地一期项目"
        first = len(self.mentions)
        first_aggregate = len(self.aggregates)
        section: str | None = None
        for i, (para, text) in enumerate(paras):
            topic = None
            if para.section != section:
                section = para.section
                topic = self._section_topic(para, page)
            facts = ParagraphReader(
                text,
                self.ref,
                self.gazette,
                lead_date or last_date,  # a new paragraph's 当天 is the article's day
                lead_date,
                para.section,
                earlier[-1] if earlier else None,
                topic,
            ).read()
            if topic is not None and not (topic.events or topic.investment is not None):
                facts.mentions.remove(topic)  # a subhead the paragraph says nothing about
            last_date = facts.last_date
            if i == 0:
                lead_date = last_date
            named = named or bool(facts.mentions)
            for m in facts.mentions:
                resolved = resolve_anaphor(m.name, [e.name for e in earlier])
                if resolved is None:
                    continue
                if resolved != m.name:
                    m.name = resolved
                    for e in m.events:
                        e.name = resolved
                    if m.location.district is None:  # 该基地 stands where the base stands
                        m.location = dataclasses.replace(earlier[-1].location)
                earlier.append(m)
                _fill_location(m.location, default, self.gazette)
                span = m.span if m is topic else para.span(*m.span)
                self.mentions.append((m, span, [para.span(*e.span) for e in m.events]))
            for a in facts.aggregates:
                self.aggregates.append(
                    {"count": a.count, "investment_yuan": _number(a.investment), "stage": a.stage, "date": a.date,
                     "evidence": list(para.span(*a.span))}
                    | ({"bracket_min_yuan": _number(a.bracket_min)} if a.bracket_min is not None else {})
                )  # fmt: skip
            self._people(para, text)
        self._theme(title, paras, lead_date, first)
        self._drop_counted_twice(first_aggregate)
        if not named and title and article.title_span:
            # "中芯国际12英寸晶圆代工生产线项目签约落户天津西青" over a body that names the
            # project only in passing (a plan, "该项目"): the headline names it. Read the
            # headline only then, so a headline's short name never doubles a body's full one.
            heading = Paragraph()
            heading.add(title, article.title_span[0])
            facts = ParagraphReader(title, self.ref, self.gazette, None, lead_date).read()
            for m in facts.mentions:
                if m.company is None and paras:
                    m.company = company_in(paras[0][1])
                _fill_location(m.location, default, self.gazette)
                self.mentions.append(
                    (m, heading.span(*m.span), [heading.span(*e.span) for e in m.events])
                )

    def _section_topic(self, para: Paragraph, page: tuple[str, str, int]) -> Mention | None:
        """The project named by the subhead ``para`` stands under, its span in the original."""
        assert self.ref is not None
        chunk, plain, base = page
        heading = para.section
        if not heading or not para.pieces:
            return None
        at = chunk.rfind(heading, 0, para.pieces[0][0] - base)
        if at < 0:
            return None
        analysed = plain[at : at + len(heading)]
        topic = ParagraphReader(analysed, self.ref, self.gazette, None).topic_of(analysed)
        if topic is None:
            return None
        topic.span = (base + at + topic.span[0], base + at + topic.span[1])
        return topic

    def _drop_counted_twice(self, first: int) -> None:
        """ "签约7个项目" then "7个签约项目投资总额69亿元": one aggregate, told twice."""
        mine = self.aggregates[first:]
        with_money = {(a["count"], a["stage"]) for a in mine if a["investment_yuan"] is not None}
        self.aggregates[first:] = [
            a
            for a in mine
            if a["investment_yuan"] is not None
            or "bracket_min_yuan" in a
            or (a["count"], a["stage"]) not in with_money
        ]

    def _theme(
        self,
        title: str | None,
        paras: list[tuple[Paragraph, str]],
        lead_date: str | None,
        first: int,
    ) -> None:
        """A report of one ceremony ("湖州市一季度重大项目集中签约活动举行"): the projects it
        names without a stage word of their own were signed (started …) there and then."""
        stage = _ceremony_stage(title or "") or _ceremony_stage(paras[0][1] if paras else "")
        if stage is None:
            return
        for mention, span, event_spans in self.mentions[first:]:
            if not mention.events:
                mention.events.append(StageEvent(stage, lead_date, mention.span, mention.name))
                event_spans.append(span)

    def _people(self, para: Paragraph, text: str) -> None:
        label = sound_bite(para.section) if para.section else None
        for person in find_people(text) + ([label] if label else []):
            known = self.people.setdefault(person.name, Person(person.name))
            known.positions.extend(p for p in person.positions if p not in known.positions)
        quotes = find_quotes(text, set(self.people))
        if label and not quotes and text.lstrip().startswith("“"):
            # the quote under a "【同期声】…总经理 张志远" label is his
            quotes = find_quotes(text, {label.name}, default=label.name)
        for q in quotes:
            self.quotes.append(
                {"speaker": q.speaker, "text": q.text, "evidence": list(para.span(*q.span))}
            )

    def finish(self) -> dict[str, Any]:
        return {
            "projects": [_project_dict(p) for p in link(self.mentions)],
            "aggregates": self.aggregates,
            "people": [{"name": p.name, "positions": p.positions} for p in self.people.values()],
            "quotes": self.quotes,
        }


_HTML_PAGE = re.compile(r"<(?:!DOCTYPE\s+html|html|body)\b|</p>|<p[\s>]", re.I)
_HIDDEN = re.compile(r"<(head|script|style)\b.*?</\1>", re.I | re.S)
_TAG = re.compile(r"<[^<>]{0,500}>")
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|h[1-6]|li|ul|ol|tr|td|th|table|title|section|article)\b", re.I
)
_ENTITY = re.compile(r"&(?:nbsp|ensp|emsp|gt|lt|amp|quot|apos|#\d{2,5});")


def blank_markup(text: str) -> str:
    """HTML source → the same text with every tag, hidden block (head, script, style) and
    entity blanked out, same length, so offsets still point into the original: block tags
    start a new line, the rest become spaces."""

    def blank(m: re.Match[str]) -> str:
        raw = m.group(0)
        spaces = re.sub(r"[^\n]", " ", raw)
        return spaces[:-1] + "\n" if _BLOCK_TAG.match(raw) and "\n" not in raw else spaces

    text = _HIDDEN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    text = _TAG.sub(blank, text)
    return _ENTITY.sub(lambda m: " " * len(m.group(0)), text)


def _fill_location(loc: Location, default: Location, gazette: Gazette) -> None:
    """Fill what the sentence did not say from the article's main place, when consistent."""
    if not (loc.city or loc.district):
        for level in ("province", "city", "district"):
            setattr(loc, level, getattr(default, level))
    elif loc.district is None and loc.city in (None, default.city) and default.district:
        loc.district = default.district
    elif loc.city is None and loc.province is None and default.city:
        # a park the gazetteer cannot place ("燕郊高新区") on a page about one city
        loc.city, loc.province = default.city, default.province
    gazette.complete(loc)


def _article_dict(article: Article) -> dict[str, Any]:
    return {
        "title": article.title,
        "paragraphs": [p.text for p in article.paragraphs],
        "byline": " ".join(article.bylines) or None,
        "subheads": article.subheads,
        "credits": article.credits,
    }


def _project_dict(project: Any) -> dict[str, Any]:
    main = primary(project)
    yuan, qualifier = investment(project)
    first = project.mentions[0]
    name = main[0].name if main else first.name
    # the full name over a headline's short one ("高端陶瓷装备项目" over "陶瓷装备项目")
    name = max((m.name for m in project.mentions if m.name.endswith(name)), key=len, default=name)
    return {
        "name": name,
        "company": merged_value(project, "company"),
        "location": merged_location(project).as_dict(),
        "investment_yuan": _number(yuan),
        "investment_qualifier": qualifier,
        "stage": main[0].stage if main else None,
        "date": main[0].date if main else None,
        "capacity": merged_value(project, "capacity"),
        "evidence": list(main[1] if main else project.spans[0]),
        "events": [
            {"name": e.name, "stage": e.stage, "date": e.date, "evidence": list(span)}
            for e, span in project.events
        ],
    }


def extract_text(
    text: str, *, when: date | None = None, source: str | None = None
) -> dict[str, Any]:
    """The full result for one in-memory text (see README for the shape)."""
    extractor = Extractor(when)
    articles: list[dict[str, Any]] = []
    for base, chunk in iter_chunks(iter([text])):
        articles.extend(extractor.feed(chunk, base))
    return {"source": source, "date": extractor.date, "articles": articles, **extractor.finish()}


def iter_chunks(pieces: Iterator[str], size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """Re-cut a stream of text at blank lines into chunks of about ``size`` characters."""
    buf, base = "", 0
    for piece in pieces:
        buf += piece
        while len(buf) >= size:
            cut = buf.rfind("\n\n", size // 2, size)
            cut = cut + 2 if cut >= 0 else (buf.rfind("\n", 0, size) + 1 or size)
            yield base, buf[:cut]
            base, buf = base + cut, buf[cut:]
    if buf:
        yield base, buf


def _read_pieces(reader: TextIO, size: int = CHUNK_CHARS) -> Iterator[str]:
    while piece := reader.read(size):
        yield piece


def extract_file(path: str | Path, sink: Sink, *, when: date | None = None) -> None:
    """Write one JSON line for ``path`` to ``sink``, streaming the file in bounded memory.

    The line is assembled in a spooled temporary file and copied out only when the
    whole file was read, so a failure never leaves half a line behind.
    """
    reader, _encoding = open_text(path)
    extractor = Extractor(when)
    with (
        reader,
        tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", encoding="utf-8") as spool,
    ):
        first = True
        for base, chunk in iter_chunks(_read_pieces(reader)):
            for article in extractor.feed(chunk, base):
                if first:
                    spool.write(
                        json.dumps({"source": str(path), "date": None}, ensure_ascii=False)[:-1]
                    )
                    spool.write(', "articles": [')
                spool.write(("" if first else ", ") + json.dumps(article, ensure_ascii=False))
                first = False
        if first:
            spool.write(
                json.dumps({"source": str(path), "date": None}, ensure_ascii=False)[:-1]
                + ', "articles": ['
            )
        facts = json.dumps(extractor.finish(), ensure_ascii=False)
        spool.write("], " + facts[1:] + "\n")
        spool.seek(0)
        _copy_with_date(spool, sink, extractor.date)


def _copy_with_date(spool: Any, sink: Sink, when: str | None) -> None:
    head = spool.read(4096)
    marker = '"date": null'
    if when and marker in head:
        head = head.replace(marker, f'"date": "{when}"', 1)
    sink.write(head)
    while block := spool.read(1 << 16):
        sink.write(block)
