"""Money amounts in running text and what they measure (investment or not)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import cn2an

from haotong.core.amounts import Amount, ParseError, parse_amount

AMOUNT_RE = re.compile(
    # the lookahead lets the scan skip positions that cannot start an amount (3× faster)
    r"(?=[将接大超近约逾过计拟人美欧港日英韩新澳加\d零〇一二两三四五六七八九十百千])"
    r"(?P<qual>将近|接近|大约|超过|近|约|超|逾|过|计划|拟)?\s*"
    r"(?:人民币|(?P<pre>美元|欧元|港元|港币|日元|英镑|韩元|新台币|澳元|加元))?\s*"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    r"|[一二两三四五六七八九十百千]+亿[零〇一二两三四五六七八九十百千]+(?=万)|[零〇一二两三四五六七八九十百千]+"
    r"|(?<=[近超过逾])(?=亿))"  # "近亿元", "过亿元": one 亿
    r"(?P<many>多|余)?\s*(?:个(?=亿))?"  # "12个亿", "四亿五千万元"
    r"(?P<unit>万亿|千万|百万|亿|万)\s*"
    r"(?P<cur>元|美元|欧元|港元|港币|日元|英镑|韩元|卢布|新台币|澳元|加元|新加坡元|泰铢|瑞士法郎)?"
    r"(?P<tail>以上|多|余|左右)?"
)
_INVEST = re.compile(r"投资|投入|总投|投建|注资|引资")
_PLANNED = re.compile(r"(计划|拟|预计|意向|打算|规划|有意)(总)?投资")
_CUE = re.compile(r"(?:计划|拟|预计)?总?投资(?:总额|额)?")
_NOT_TOTAL = re.compile(
    r"完成[^，。；]{0,4}?投资|固定资产投资|年度(?:计划)?投资|年内(?:计划)?投资|今年计划投资|累计完成|"
    r"投资强度|亩均|已投资|已完成|当年投资|有效投资|投资基金|投资额度|民间投资|社会投资"
)
NON_INVEST = re.compile(
    r"产值|税收|销售|利税|贷款|减税|退税|缓税|营收|营业收入|收入|利润|开票|出口|进出口|融资|补贴|奖励|资金|"
    r"基金|增加值|产出|纳税|授信|存款|订单|交易额|成交|奖补|补助|降费|消费|GDP|生产总值|财政|工资|(?<!投资)规模|"
    r"市值|估值|营业额|出口额|贡献|产能|年产"
)
_QUALIFIES_PROJECT = re.compile(r"的[^，。；、“”]{2,40}?(?:项目|工程)")
_CLAUSE_BREAK = re.compile(r"[，,；;。！？!?：:、（(]")


@dataclass(frozen=True)
class Money:
    start: int
    end: int
    yuan: (
        Decimal | None
    )  # None for foreign currency (and for amounts that are neither investment nor bracket)
    qualifier: str
    is_investment: bool
    clause_start: int
    cue_start: int  # where "总投资…" begins: the evidence of an investment starts there


def _clause_start(text: str, pos: int) -> int:
    """Start of the clause that ends at ``pos`` (at most 40 characters back)."""
    lo = max(0, pos - 39)
    breaks = _CLAUSE_BREAK.findall(text, lo, pos)
    if not breaks:
        return max(0, pos - 40)
    return text.rindex(breaks[-1], lo, pos) + 1


def _is_investment(context: str) -> bool:
    if not _INVEST.search(context) or _NOT_TOTAL.search(context):
        return False
    last_invest = max(m.end() for m in _INVEST.finditer(context))
    return not NON_INVEST.search(context, last_invest) and not NON_INVEST.search(
        context[: last_invest - 2][-4:]
    )


@lru_cache(maxsize=8192)
def _parsed(plain: str) -> Amount:
    """``parse_amount`` of a normalised amount (``约6.3亿元``); the same few amounts recur."""
    return parse_amount(plain)


def _plain(m: re.Match[str]) -> str:
    """``3,500万元`` → ``3500万元``, ``10多亿元`` → ``10亿元多``, ``2亿元左右`` → ``约2亿元``."""
    unit = m.group("unit") + "元"
    qual, tail = m.group("qual") or "", m.group("tail") or ""
    if tail == "左右":
        qual, tail = qual or "约", ""
    tail = tail or m.group("many") or ""
    num = m.group("num").replace(",", "")
    if qual == "过":  # "过亿元": over
        qual = "超"
    if "亿" in num:  # "四亿五千" (万元) → 45000 (万元)
        high, low = num.split("亿")
        num = str(int(cn2an.cn2an(high, "smart")) * 10000 + int(cn2an.cn2an(low, "smart")))
    elif not num or num in ("百", "千"):  # "近亿元" → 1亿, "超百亿元" → 100亿
        num = {"": "1", "百": "100", "千": "1000"}[num]
    return f"{qual}{num}{unit}{tail}"


def parse_money(text: str) -> tuple[Decimal | None, str] | None:
    """Yuan and qualifier of one written amount (``约6.3亿元``); None if it does not parse,
    (None, qualifier) for a foreign currency."""
    m = AMOUNT_RE.fullmatch(text.strip())
    if m is None:
        return None
    try:
        amount = _parsed(_plain(m))
    except ParseError:
        return None
    foreign = m.group("cur") not in (None, "元") or m.group("pre")
    return (None if foreign else amount.yuan), amount.qualifier


def find_money(text: str) -> list[Money]:
    """Every amount of money in ``text`` (a sentence), classified."""
    out: list[Money] = []
    if "亿" not in text and "万" not in text:
        return out
    for m in AMOUNT_RE.finditer(text):
        clause = _clause_start(text, m.start())
        context = text[clause : m.start()]
        cur = m.group("cur")
        if not cur and not (m.group("unit") == "亿" and _INVEST.search(context[-6:])):
            continue
        # "近5亿元的绿色家居智能制造项目": an amount that qualifies a project is its investment
        investment = _is_investment(context) or (
            not NON_INVEST.search(context[-4:])
            and _QUALIFIES_PROJECT.match(text, m.end()) is not None
        )
        bracket = bool(m.group("tail") == "以上" or text.startswith("以上", m.end()))
        if not (investment or bracket):
            out.append(Money(m.start(), m.end(), None, "", False, clause, m.start()))
            continue  # not needed further: skip the costly parse
        try:
            amount = _parsed(_plain(m))
        except ParseError:
            continue
        yuan = amount.yuan if cur in (None, "元") and not m.group("pre") else None
        qualifier = amount.qualifier
        if qualifier == "over" and text[max(0, m.start() - 1) : m.start()] == "不":
            qualifier = ""  # "不超过25亿元": at most, not over
        qualifier = "planned" if _PLANNED.search(context) else qualifier
        cues = list(_CUE.finditer(context))
        cue = clause + cues[-1].start() if cues else m.start()
        out.append(Money(m.start(), m.end(), yuan, qualifier, investment, clause, cue))
    return out
