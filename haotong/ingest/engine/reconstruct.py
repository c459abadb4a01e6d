"""Reconstruction: a raw page dump → articles made of whole paragraphs.

Page furniture (mastheads, section labels, captions, editor and navigation lines,
anti-scraping junk) is dropped; bylines and photo credits are kept as metadata;
paragraphs and words broken across columns (``通\\n\\n过招商引资``) are rejoined.
Every paragraph remembers the original spans it was glued from, so any offset in
it maps back to the original text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from haotong.ingest.engine.textmap import to_analysis

_NUMBERS_SAID = re.compile(r"\d{4}年|\d+(?:\.\d+)?\s*[亿万]")
_COMMA_STOP = re.compile("[，。]")

_STOPS = "。！？!?…；;"
_CLOSERS = "”’」』)）】"


def is_terminated(text: str) -> bool:
    """Does ``text`` end a sentence (``。``, or ``。”``)?"""
    if not text:
        return False
    if text[-1] in _STOPS:
        return True
    return text[-1] in _CLOSERS and len(text) > 1 and text[-2] in _STOPS


_CJK = re.compile(r"[\u3400-\u9fff]")
_FURNITURE = re.compile(
    r"^(责任编辑|编辑|校对|审核|审校|美编|版式|组版|值班|签发|来源|本文来源|文章来源|原标题|点击|扫码|扫描|"
    r"分享|返回|上一篇|下一篇|首页|更多|相关阅读|相关新闻|延伸阅读|打印|关闭|字号|阅读|关注|长按|"
    r"版权|Copyright|©|第\s*\d+\s*版|[A-Z]\d{1,2}\s*版?$|本版|今日\d+版|网站地图|当前位置|"
    r"本文转|未经|转载)",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"^(?:[（(]?\s*)?(?:(?:图|摄影|图片|供图)\s*[/／:：]\s*\S.{0,20}|\S.{0,20}?\s*(?:摄|摄影|供图|/摄|／摄)\s*[）)]?|[（(]?资料图片?[）)]?)$"
)
_BYLINE = re.compile(
    r"^(?:本报记者|本报通讯员|通讯员|记者|见习记者|特约记者|全媒体记者|融媒体记者|首席记者|"
    r"[\w+＋]{2,8}记者|文\s*[/／:：]|作者\s*[:：]|撰稿\s*[:：]|撰文)"
)
# "记者看到，总投资近19亿元的…项目正在进行设备安装。": a sentence, not a byline
_TOLD = re.compile(r"[，。！？；][^）)]*$|(?:看到|获悉|了解到|注意到|采访)")
_DATE_LINE = re.compile(
    r"^(?:(?:发布|更新)?(?:时间|日期)?\s*[:：]?\s*)?(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?"
    r"(?:\s*(?:星期|周)[一二三四五六日天])?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
    r"(?:\s+(?:来源|作者|编辑|浏览次数|阅读|字号)\s*[:：].{0,30})*\s*$"
)
# "来源：钦州日报　发布时间：2022-11-26 09:20:45　浏览次数：3251"
_META_DATE = re.compile(
    r"^(?=.{0,100}$)(?:来源|作者|发布|时间|日期|编辑|稿源|信息来源)[^\n]{0,40}?(?:发布时间|发布日期|更新时间|时间|日期)\s*[:：]\s*"
    r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})"
)
# "温州市重大建设项目推进中心　　　　2023年4月7日": the issuer and the date of a report
_ISSUER_DATE = re.compile(
    r"^[\u4e00-\u9fff（）()]{2,30}[ \u3000]{2,}(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$"
)
_APP_TIME = re.compile(r"(?:\d+\s*(?:小时|分钟|天)前|刚刚)$")
_SEPARATOR = re.compile(r"^[-—_=*■□◆◇●○★☆~～·•\s]{3,}$")
_LEAD = re.compile(
    r"^(?:本报讯|新华社|中新网|人民网|央广网|[\u4e00-\u9fff]{2,6}讯|【[^】]{1,12}】|（记者|\(记者|据[^，]{1,12}报道)"
)
_NOTICE_TITLE = re.compile(r"(通知|公告|通报|公示|决定|意见|办法|方案|简报|快讯)$")
_SUBHEAD = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|【|\(\d+\)|（[一二三四五六七八九十\d]+）)"
)


@dataclass
class Paragraph:
    """A rejoined paragraph: ``text`` is the concatenation of original spans ``pieces``."""

    text: str = ""
    pieces: list[tuple[int, int]] = field(default_factory=list)  # (orig_start, orig_end)
    _local: list[int] = field(default_factory=list)  # local start of each piece
    section: str | None = None  # the subhead it stands under ("二、在建项目进展")

    def add(self, line: str, start: int) -> None:
        self._local.append(len(self.text))
        self.pieces.append((start, start + len(line)))
        self.text += line

    def to_original(self, local: int) -> int:
        """Original offset of local offset ``local`` (``local == len(text)`` allowed)."""
        i = max(0, bisect_right(self._local, local) - 1)
        if local >= len(self.text) and self.pieces:
            return self.pieces[-1][1]
        return self.pieces[i][0] + (local - self._local[i])

    def span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            return self.to_original(start), self.to_original(start)
        return self.to_original(start), self.to_original(end - 1) + 1

    @property
    def terminated(self) -> bool:
        return is_terminated(self.text)


@dataclass
class Article:
    title: str | None = None
    title_span: tuple[int, int] | None = None
    subheads: list[str] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)


@dataclass
class Page:
    articles: list[Article]
    dates: list[tuple[int, int, int]]  # publication dates found in date lines


def iter_lines(text: str, base: int = 0) -> Iterator[tuple[str, int]]:
    """Stripped lines with their original start offset (``base`` added)."""
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip(" \t\r\u3000\u00a0\ufeff\u200b")
        lead = len(raw) - len(raw.lstrip(" \t\r\u3000\u00a0\ufeff\u200b"))
        yield stripped, base + pos + lead
        pos += len(raw) + 1


_HEADLINE_WORDS = re.compile(
    r"项目|工程|签约|签订|落户|开工|动工|奠基|投产|竣工|建成|达产|投运|集中|启动|"
    r"通知|公告|通报|公示|决定|意见|办法|方案|简报|快讯|周报|情况|报告"
)
# a subtitle: two phrases side by side ("宁德时代肇庆项目开工 总投资120亿元"), or a lead-in
_SUBTITLE = re.compile(r"^(?:——|—|总投资)|[\u4e00-\u9fff\d][ \u3000]+[\u4e00-\u9fff\d]")
_ISSUER = re.compile(r"\s(?:编|主办|编印|印发|承办)$")


def _headline_like(line: str) -> bool:
    return bool(_HEADLINE_WORDS.search(to_analysis(line)))


def classify(line: str, analysed: str | None = None) -> str:
    """One of blank, date, separator, junk, furniture, credit, byline, short, text.

    ``analysed`` is the line's analysis form when the caller has it (one conversion per
    page instead of one per line)."""
    if not line:
        return "blank"
    # 記者 → 记者, full-width digits: one rule for both scripts
    line = analysed if analysed is not None else to_analysis(line)
    if _DATE_LINE.match(line) or (
        (("时间" in line or "日期" in line) and _META_DATE.search(line))
        or ("日" in line and _ISSUER_DATE.match(line))
    ):
        return "date"
    if len(line) <= 30 and ("前" in line or "刚刚" in line) and _APP_TIME.search(line):
        return "furniture"  # "上饶日报　2小时前"
    if _SEPARATOR.match(line):
        return "separator"
    wide = (len(line.encode("utf-8")) - len(line)) / 2  # ≈ characters outside ASCII (CJK: 3 bytes)
    if wide < 0.25 * len(line) and not _NUMBERS_SAID.search(line):
        return "junk"
    if (_FURNITURE.match(line) or _ISSUER.search(line)) and len(line) <= 60:
        return "furniture"
    if len(line) <= 24 and _CREDIT.match(line):
        return "credit"
    if len(line) <= 40 and _BYLINE.match(line) and not _TOLD.search(line):
        return "byline"
    if len(line) <= 40 and not is_terminated(line) and not _COMMA_STOP.search(line):
        return "short"
    return "text"


class _Builder:
    """Assembles classified lines into articles (one pass, no look-back into the text)."""

    def __init__(self) -> None:
        self.articles: list[Article] = []
        self.dates: list[tuple[int, int, int]] = []
        self.open: Paragraph | None = None  # a paragraph still waiting for its end
        self.pending: list[tuple[str, int, int]] = []  # heading candidates (line, start, block)
        self.block = 0  # blank lines delimit blocks: a headline and its subtitle share one
        self.section: str | None = None
        self.pending_bylines: list[str] = []
        self.pending_credits: list[str] = []
        self.separated = False

    @property
    def article(self) -> Article | None:
        return self.articles[-1] if self.articles else None

    def feed(
        self, line: str, start: int, indented: bool = False, analysed: str | None = None
    ) -> None:
        kind = classify(line, analysed)
        if (
            kind == "short"
            and indented
            and (self.open is None or self.open.terminated)
            and not _SUBHEAD.match(line)
        ):
            kind = "text"  # "　　总投资50亿元的芯瑞半导体封": a paragraph's first line, cut short
        if kind in ("blank", "date", "separator", "junk", "furniture"):
            self.block += 1  # a headline block never spans these
        if kind == "blank":
            pass
        elif kind == "date":
            plain = analysed if analysed is not None else to_analysis(line)
            m = _DATE_LINE.match(plain) or _META_DATE.search(plain) or _ISSUER_DATE.match(plain)
            assert m is not None
            self.dates.append((int(m[1]), int(m[2]), int(m[3])))
        elif kind == "separator":
            self.separated = True
            self.open = None
        elif kind == "credit":
            self.pending_credits.append(line)
        elif kind == "byline":
            self.pending_bylines.append(line)
            if self.article is not None and not self.pending:
                self._flush_meta(self.article)
        elif kind == "short" and self.open is not None and not self.open.terminated:
            self.open.add(line, start)
        elif kind == "short":
            self.pending.append((line, start, self.block))
        elif kind == "text":
            self._text(line, start)

    def _text(self, line: str, start: int) -> None:
        if self.open is not None and not self.open.terminated and not self.pending:
            self.open.add(line, start)
            return
        article = self._place_heading(line)
        para = Paragraph(section=self.section)
        para.add(line, start)
        article.paragraphs.append(para)
        self.open = para
        self.separated = False

    def _heading(self) -> tuple[tuple[str, int] | None, list[str]]:
        """The headline among the pending short lines, and the lines under it.

        Usually the last short line before the text. But a subtitle may stand
        right under the headline (``奥迪一汽新能源汽车项目在长开工`` over ``总投资351亿元
        规划年产能15万辆``): when the last line says nothing a headline says (no stage
        word, no 项目, no notice word) and the line right above it does, that line
        is the headline. A numbered subhead (``一、项目进展``) opening the page is
        not a headline either: the lines above it hold the report's title.
        """
        if not self.pending:
            return None, []
        blocks: list[list[tuple[str, int]]] = []
        last_block = None
        for line, start, block_no in self.pending:
            if line[-1] in "：:":  # "各有关部门：", "现将…通报如下：" lead into text
                continue
            if blocks and block_no == last_block:
                blocks[-1].append((line, start))
            else:
                blocks.append([(line, start)])
            last_block = block_no
        self.pending = []
        if not blocks:
            return None, []
        lines = blocks[-1]
        under: list[str] = []
        if _SUBHEAD.match(lines[-1][0]) and self.article is None:
            above = lines[:-1] or (blocks[-2] if len(blocks) > 1 else [])
            if above:
                under, lines = [lines[-1][0]], above
        if (
            len(lines) > 1
            and _headline_like(lines[-2][0])
            and (not _headline_like(lines[-1][0]) or _SUBTITLE.search(lines[-1][0]))
        ):
            return lines[-2], [lines[-1][0], *under]
        return lines[-1], under

    def _place_heading(self, first_line: str) -> Article:
        heading, under = self._heading()
        article = self.article
        if heading is None:
            if article is None or self.separated:
                article = Article()
                self.articles.append(article)
                self.section = None
        elif article is None or self._starts_article(heading[0], first_line):
            article = Article(
                title=heading[0],
                title_span=(heading[1], heading[1] + len(heading[0])),
                subheads=under,
            )
            self.articles.append(article)
            self.section = under[-1] if under and _SUBHEAD.match(under[-1]) else None
        else:
            article.subheads.extend([heading[0], *under])
            self.section = heading[0]
        self._flush_meta(article)
        return article

    def _starts_article(self, heading: str, first_line: str) -> bool:
        if _SUBHEAD.match(heading):
            return False
        return bool(
            self.separated
            or self.pending_bylines
            or _LEAD.match(first_line)
            or _NOTICE_TITLE.search(heading)
        )

    def _flush_meta(self, article: Article) -> None:
        article.bylines.extend(self.pending_bylines)
        article.credits.extend(self.pending_credits)
        self.pending_bylines, self.pending_credits = [], []


def reconstruct(text: str, base: int = 0, analysed: str | None = None) -> Page:
    """Articles of ``text``; original offsets are ``base`` + offsets into ``text``.

    ``analysed``: ``text`` already through ``to_analysis`` (same length), if the caller has it.
    """
    builder = _Builder()
    for line, start in iter_lines(text, base):
        local = start - base
        indented = text[max(0, local - 2) : local] in ("\u3000\u3000", "  ") or (
            local > 0 and text[local - 1] == "\u3000"
        )
        plain = analysed[local : local + len(line)] if analysed is not None else None
        builder.feed(line, start, indented, plain)
    if builder.article is not None:
        builder._flush_meta(builder.article)
    return Page(articles=builder.articles, dates=builder.dates)
