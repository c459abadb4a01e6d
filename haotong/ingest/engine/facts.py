"""Projects and aggregates in one paragraph of analysis text (simplified, half-width)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

import cn2an

from haotong.ingest.engine.amounts import AMOUNT_RE, Money, find_money, parse_money
from haotong.ingest.engine.dates import Ref, find_dates
from haotong.ingest.engine.places import Gazette, Location, locate
from haotong.ingest.engine.stages import (
    _LEADING_COUNTY,
    STAGE_WORDS,
    SUFFIX_RE,
    is_specific,
    name_before,
    pick_stage,
    stage_hits,
)

_WORTH_READING = re.compile(r"项目|工程|基地|工厂|生产线|亿|万元|\d月")
_LONG_QUOTE = re.compile(r"“[^“”]{10,}”")

_SENTENCE = re.compile(r"[^。！？!?；;]+[。！？!?；;]*")
_COUNT = r"(\d+|[一二两三四五六七八九十百]+)"
_COUNT_BEFORE = re.compile(_COUNT + r"\s*(?:个|项|批)[^，。；\d]{0,14}?(?:项目|工程)")
_COUNT_AFTER = re.compile(
    r"(?:项目|工程)(?:共|达|有)?" + _COUNT + r"\s*(?:个|项)(?![^，。；]{0,6}以上)"
)
_COUNT_AFTER_BRACKET = re.compile(
    r"^(?:的)?[^，。；\d]{0,8}?(?:项目|工程)(?:有|共)?" + _COUNT + r"\s*[个项]"
)
_FORWARD = (
    # "总投资6亿元的“青禾食品加工项目”": a name in quotes or 《》 too
    re.compile(
        r"^[^，。；：“”]{0,24}?的[“《]?([^，。；、：“”《》\s]{2,40}?项目(?:\([^()]{1,8}\))?)"
    ),
    re.compile(
        # "投资6亿元的华南区域分拨中心": after an amount, a 中心 or 基地 is the project too
        r"^[^，。；：“”]{0,24}?的[“《]?([^，。；、：“”《》\s]{2,40}?(?:工程|超级工厂|生产基地|产业基地|产业园|工厂|生产线|中心|基地))"
    ),
    # "投资20亿元建设华为南方工厂项目", "投资150亿元在当地建设…项目"
    re.compile(
        r"^(?:[，,]?在[^，。；：“”]{1,12}?)?(?:建设|新建|兴建|投建|打造|实施)([^，。；、：“”《》\s]{2,40}?项目(?:\([^()]{1,8}\))?)"
    ),
)
_PHASE = re.compile(r"^\([^()]{1,8}\)")
_PHASE_AT = re.compile(r"\([一二三四五六七八九十\d、]{1,6}期\)")
_STAGE_COUNT = re.compile(
    r"(竣工投产|建成投产|签约|开工|竣工|投产|在建|在谈|新开工|新签约)(?:亿元以上|重大|重点|产业|招商引资)?项目"
    + _COUNT
    + r"\s*个(?![^，。；]{0,6}以上)"
    # "开工2个重点项目", "已开工231个"
    + r"|(开工|签约|竣工|投产)了?"
    + _COUNT
    + r"\s*个(?:重大|重点|产业)?(?:项目)?(?![^，。；]{0,6}以上)(?![\u4e00-\u9fff]{0,4}(?:企业|家|村|镇))"
)
_COUNT_NAME = re.compile(_COUNT + r"\s*(?:个|项|批)[^，。；\d]{0,14}?(?:项目|工程)$")


def _forward(text: str) -> re.Match[str] | None:
    return _FORWARD[0].match(text) or _FORWARD[1].match(text) or _FORWARD[2].match(text)


_CAPACITY = re.compile(
    r"(?:年产能|月产能|设计产能|新增[^，。；]{0,6}产能|年产(?!值)|年生产|年加工|年处理|每月)[^，。；]{0,20}?"
    r"\d+(?:\.\d+)?(?:万|亿)?(?:平方米|立方米|吨|辆|台|套|片|GWh|GW|吉瓦时|吉瓦|千瓦|件|只|块)[^，。；]{0,12}?(?=[，。；的]|$)"
)
_COMPANY = re.compile(
    r"(?:由|是|系)([^，。；“”、的]{2,30}?(?:股份有限公司|有限责任公司|有限公司|集团(?!股份|有限)|公司))"
    r"|([^，。；“”、的由]{2,30}?(?:股份有限公司|有限责任公司|有限公司|集团(?!股份|有限)|公司))(?:投资|投建|建设|主导|打造|实施|独资|全资)"
)
_COMPANY_SIGNS = re.compile(
    r"([^，。；“”、的由与]{2,30}?(?:股份有限公司|有限责任公司|有限公司|集团))(?:与|同)[^，。；]{1,20}?(?:签署|签订|签约)"
)
_COMPANY_SUFFIX = r"(?:股份有限公司|有限责任公司|有限公司|集团(?!股份|有限)|公司)"
# "项目建设主体为宜昌邦普时代新能源有限公司": the named owner outranks investors listed after
_COMPANY_OWNER = re.compile(
    r"(?:建设主体|实施主体|投资主体|项目业主|业主单位|项目法人|建设单位|投资方)(?:为|是|系)?"
    rf"([^，。；“”、的]{{2,30}}?{_COMPANY_SUFFIX})(?![\u4e00-\u9fff])"
)
# "…管委会与小米汽车有限公司正式签约"
_COMPANY_SIGNS_WITH = re.compile(
    rf"(?:与|同)([^，。；“”、的由与]{{2,30}}?{_COMPANY_SUFFIX})(?:正式|成功|顺利)?(?:签署|签订|签约)"
)
_COMPANY_IN_NAME = re.compile(r"^(.{2,30}?(?:股份有限公司|有限责任公司|有限公司))")


def _company(s: str, name: str) -> str | None:
    inside = _COMPANY_IN_NAME.match(name)
    if inside:
        return inside.group(1)
    if "公司" not in s and "集团" not in s:
        return None
    owner = _COMPANY_OWNER.search(s)
    if owner:
        return owner.group(1)
    m = _COMPANY.search(s)
    if m:
        return m.group(1) or m.group(2)
    if "签" not in s:
        return None
    signs = _COMPANY_SIGNS.search(s) or _COMPANY_SIGNS_WITH.search(s)
    return signs.group(1) if signs else None


def company_in(text: str) -> str | None:
    """The investing company named in ``text`` (a lead paragraph), if any."""
    return _company(text, "")


_PLACE_HINT = re.compile(r"[区县旗市镇乡]")
# "…项目于2020年12月开工，总投资约100亿元": a clause that is only the amount belongs to
# the project named before it in the sentence
_AMOUNT_CLAUSE = re.compile(
    r"^(?:项目|对方|企业|该企业|双方)?(?:[一二三四五六七八九十]+期(?:工程|项目)?)?(?:初步)?(?:计划)?(?:总投资|投资总额|总投资额|投资额|计划投资|协议投资|拟投资|意向投资|投资规模)"
    # "对方初步提出的投资规模在200亿元以上": the other side's figure for the project
    r"|^(?:对方|企业|该企业|双方)[^，。；]{0,8}?的(?:总投资|投资总额|投资额|投资规模)"
)
# "开工的遂宁高新区" + name, "签约落地松木经济开发区的" + name
_RELATIVE = re.compile(r"(?:建设)?(?:(?:落地|落户|于|在)[^，。；、的]{1,12})?的[^，。；、]{0,8}")
_LIST_AFTER_STAGE = re.compile(
    r"^(?:的)?(?:\d+个|[一二两三四五六七八九十]+个)?(?:重大|重点|产业)?项目"
    r"(?:(?:主要)?(?:包括|有|为|分别为|分别是|涉及)[:：]?|[:：])"
)
_SIGNED_OBJECT = re.compile(
    r"(?:了)?|[^，。；将拟]{0,16}?(?:协议|合同)[，,](?:双方)?(?:在[^，。；将拟]{1,10}?)?"
    r"(?:共建|合作建设|共同建设|投资建设|合作投资建设|建设|投建|兴建)"
)


# "签约引进年产2万吨…项目", "开工建设X项目": verbs between the stage word and the name
_VERBS_BETWEEN = re.compile(r"(?:了|引进|引入|落地|落户|建设|投建|新建|兴建|续建|扩建)+")


def _section_stage(section: str | None) -> re.Match[str] | None:
    """The stage a subhead gives the projects under it; none for "（三）在建和竣工项目"."""
    if not section:
        return None
    found = _SECTION_STAGE.search(section)
    if found and len({h[2] for h in stage_hits(section)}) > 1:
        return None  # two stages named: each project says its own
    return found


def _stage_leads(between: str, stage: str) -> bool:
    """A stage word before the name that still governs it: ``签约项目包括A项目、B项目``,
    ``签约X项目``, ``签署战略合作协议，共建X项目``, ``当天开工的X项目``."""
    if (
        _LIST_AFTER_STAGE.match(between)
        or _RELATIVE.fullmatch(between)
        or _VERBS_BETWEEN.fullmatch(between)
    ):
        return True
    return stage == "signed" and _SIGNED_OBJECT.fullmatch(between) is not None


_LIST_CONTEXT = re.compile(
    r"^(?:\d{1,2}[.、．]\s*|[（(][一二三四五六七八九十\d]{1,3}[）)]\s*)?(?:在|从|其中，?)?"
    r"(?:当天|同日|此次|本次|\d{1,2}月\d{1,2}日[，,]?|今天|昨天)?"
    r"((?:集中|新|现场)?(?:签约|开工|竣工投产|竣工|投产|在建|在谈|洽谈)(?:的)?"
    r"(?:\d+个|[一二两三四五六七八九十]+个)?(?:重大|重点)?项目)"
    r"(?:中|里|当中|看|[，,。]|同样|均|都|(?:主要)?(?:有|包括|为|分别是|分别为)?[：:])"
)
# "本次签约中，…", "这次签约的项目里面，…" a little way into the paragraph
_LIST_CONTEXT_NEAR = re.compile(
    r"(?:这次|此次|本次|当天|今天)((?:集中)?(?:签约|开工|竣工投产|竣工|投产))(?:的)?"
    r"(?:\d+个|[一二两三四五六七八九十]+个)?(?:重大|重点)?(?:项目)?(?:中|里面|里|当中)[，,]"
)
# "…签约两个外资项目：一家日资企业投资的A项目…；…B项目…", "昨天，我县两个项目同时开工。一个是…":
# a paragraph that announces several projects at one stage, then names them
_LIST_LEAD = re.compile(
    r"((?:签约|开工|竣工投产|竣工|投产|动工)了?(?:\d+|[两二三四五六七八九十]+)个[^，。；：:]{0,6}?项目)[：:]"
    r"|((?:\d+|[两二三四五六七八九十]+)个(?:重大|重点)?项目[^，。；：:]{0,6}?(?:签约|开工|竣工投产|竣工|投产|动工))[。：:]"
)
_BATCH_AFTER = re.compile(r"集中(?:开工|签约|竣工|开竣工|投产)")
_SITE = re.compile(r"([^，。；“”]{2,40}?项目)(?:建设|施工)?(?:现场|工地)")
_COUNTED_AFTER = re.compile(r"(?:\d+|[一二两三四五六七八九十]+)\s*[个项]")
# a subhead that names the stage of the projects under it: "二、在建项目进展", "（一）签约项目"
_SECTION_STAGE = re.compile(
    r"(?<!未)(?:新)?(?:签约|开工|竣工|投产|在建|在谈|洽谈)(?:的)?(?:\d+个|[一二两三四五六七八九十]+个)?(?:重大|重点)?项目"
)
# "已签约落户", "近期开工建设的": done some time before, not on the page's date
_EARLIER = re.compile(r"已经?|此前|前期|早前|近期|日前|近日|先期|去年|今年以来|截至|相继|先后|陆续")
_CUMULATIVE = re.compile(
    r"今年|年初以来|以来|累计|全年|截至|截止|上半年|下半年|前三季度|\d+\s*(?:至|到|-|—)\s*\d+\s*月"
)
_SIGNAL = re.compile(
    "项目|工程|基地|工厂|生产线|亿|万|个|" + "|".join(sorted(STAGE_WORDS, key=len, reverse=True))
)
_TOTAL = re.compile(r"合计|共计|累计|总计")  # "A项目、B项目和C项目，总投资合计120亿元"
_ITEM_NUMBER = r"(?:\d{1,2}[.、．]|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|[①-⑳])"
_TOPIC = re.compile(
    rf"^\s*{_ITEM_NUMBER}?\s*(?:关于)?([^，。；：:“”]{{4,40}}?(?:项目|工程))\s*[。：:]?\s*$"
)
# under a subhead that names the stage ("二、在建项目进展"), a numbered item opens on its project
_ITEM = re.compile(
    rf"^\s*{_ITEM_NUMBER}\s*([^，。；：:“”]{{4,40}}?(?:项目|工程)(?:\([^()]{{1,8}}\))?)"
)
# the place an item heading puts before the name: "潞城经济技术开发区", "康庄工业园"
_LEADING_SITE = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,4}?[县旗]|[\u4e00-\u9fff]{2,4}?(?:[区市]|经济技术开发区|经济开发区|高新区|开发区|工业园区|工业园|产业园区))"
    r"(?=[\u4e00-\u9fff\d]{4})"
)
_PLAN = re.compile(r"将|预计|计划|有望|力争|争取|拟|确保|预期|明年|目标")
_JOINED = re.compile(r"(?:\([^()]{1,12}\))?(?:和|与|及|以及|、)")  # "A项目（…）和B项目"
_OTHER_PHASE = re.compile(r"(?:该项目|项目|该工程)([一二三四五六七八九十]+期)(?:项目|工程)?")
_PHASE_IN = re.compile(r"[一二三四五六七八九十]+期")
# "集中签约3个项目：A项目、B项目、C项目，总投资42亿元": the names of the counted projects
_NAMES_LISTED = re.compile(
    r"[：:](?:[^，。；、：:]{2,30}?(?:项目|工程)(?:\([^()]{1,8}\))?[、和及与])+"
    r"[^，。；、：:]{2,30}?(?:项目|工程)(?:\([^()]{1,8}\))?[，,]?"
)
_THIS_PROJECT = re.compile(r"的(?:这一|这个|该)(?:项目|工程)")
_ALONG = re.compile(r"(?:同步|同时|一并|同日|当天|这次也|也)(?:正式)?$")
_DESCRIBES = re.compile(r"^(?:该项目|这一项目|此项目|该工程|项目)(?:是|系|属于|作为)")
_SUBJECT_IT = re.compile(
    r"^(?:该项目|项目|这一项目|这个项目|此项目|该工程|其中|该基地|该工厂|(?P<phase>[一二三四五六七八九十]+期)(?:项目|工程)?)"
)
# "总投资分别为12亿元、6.3亿元": one amount per project named before, in order
_RESPECTIVELY = re.compile(r"(?:总投资|投资额|投资)(?:额)?分别(?:为|是|达|约)?")


@dataclass(slots=True)
class StageEvent:
    stage: str
    date: str | None
    span: tuple[int, int]  # local span in the paragraph
    name: str


@dataclass(slots=True)
class Mention:
    name: str
    span: tuple[int, int]
    location: Location
    investment: Decimal | None = None
    qualifier: str = ""
    company: str | None = None
    capacity: str | None = None
    events: list[StageEvent] = field(default_factory=list)


@dataclass(slots=True)
class Aggregate:
    count: int | None
    investment: Decimal | None
    stage: str | None
    date: str | None
    span: tuple[int, int]
    bracket_min: Decimal | None = None


def _to_int(text: str) -> int | None:
    try:
        return int(text) if text.isdigit() else int(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError):
        return None


def _clause_at(s: str, pos: int) -> int:
    """Start of the clause that contains ``pos``."""
    return max(s.rfind("，", 0, pos), s.rfind("；", 0, pos), s.rfind(",", 0, pos)) + 1


def _date_near(dates: list[tuple[int, int, str | None]], pos: int) -> str | None:
    before = [d for d in dates if d[1] <= pos and d[2]]
    if before:
        return before[-1][2]
    after = [d for d in dates if d[0] >= pos and d[2]]
    return after[0][2] if after else None


@dataclass(slots=True)
class ParagraphFacts:
    mentions: list[Mention] = field(default_factory=list)
    aggregates: list[Aggregate] = field(default_factory=list)
    last_date: str | None = None


class ParagraphReader:
    """Reads one paragraph sentence by sentence, carrying 当天 and "该项目" across sentences."""

    def __init__(
        self,
        text: str,
        ref: Ref,
        gazette: Gazette,
        last_date: str | None,
        lead_date: str | None = None,
        section: str | None = None,
        previous: Mention | None = None,
        topic: Mention | None = None,
    ) -> None:
        self.previous = previous  # the article's last project, named in an earlier paragraph
        self.lead_date = lead_date  # the date of the article's first paragraph (its dateline)
        self.section = section  # the subhead above the paragraph ("二、在建项目进展")
        self.text, self.ref, self.gazette = text, ref, gazette
        self.out = ParagraphFacts(last_date=last_date)
        if topic is not None:  # the project its subhead names: "■青禾食品加工项目"
            self.out.mentions.append(topic)
        self.quoted: list[tuple[int, int]] = []
        self._pending_money: list[Money] = []
        self.para_date: str | None = None  # the last full date met in this paragraph
        self._passing: Mention | None = None  # a project named with nothing said of it yet
        self._aggregate_stage: tuple[str, str | None] | None = None  # the last sentence's total

    def read(self) -> ParagraphFacts:
        if not _WORTH_READING.search(self.text):
            return self.out
        self.quoted = [(q.start(), q.end()) for q in _LONG_QUOTE.finditer(self.text)]
        for m in _SENTENCE.finditer(self.text):
            self._sentence(m.start(), m.group(0))
        self._list_context()
        return self.out

    def _list_context(self) -> None:
        """``签约项目中，…；正泰…项目投资额18亿元``: a paragraph that opens on the projects of
        one stage gives that stage to the projects it names without a stage word."""
        opening = (
            _LIST_CONTEXT.match(self.text)
            or _LIST_CONTEXT_NEAR.search(self.text, 0, 48)
            or _LIST_LEAD.search(self.text, 0, 60)
        )
        heading = _section_stage(self.section)
        source = (
            next(g for g in opening.groups() if g)
            if opening
            else heading.group(0)
            if heading
            else None
        )
        stage = stage_hits(source) if source else []
        if not stage:
            return
        code = stage[0][2]
        date = (
            None
            if code == "under_construction" or not opening
            else self.para_date or self.out.last_date or self.lead_date
        )
        for mention in self.out.mentions:
            if not mention.events:
                mention.events.append(StageEvent(code, date, mention.span, mention.name))

    def _sentence(self, base: int, s: str) -> None:
        dates = find_dates(s, self.ref, self.out.last_date)
        for d in dates:
            if d[2] and len(d[2]) == 10:
                self.out.last_date = self.para_date = d[2]
        if not _SIGNAL.search(s):
            return  # no project word, amount, count or stage word: nothing to read here
        # "预计8月投产": the date of a plan dates no event
        dates = [d for d in dates if not _PLAN.search(s, _clause_at(s, d[0]), d[0])]
        # "…项目什么时候能投产？": a question asserts no event
        hits = [] if s.rstrip().endswith(("？", "?")) else stage_hits(s)
        all_money = find_money(s)
        money = [m for m in all_money if m.is_investment]
        found: list[Mention] = []
        taken: list[tuple[int, int]] = []
        if _DESCRIBES.match(s.lstrip("，, ")):
            # "该项目是己内酰胺产业链的下游延链项目，一期工程总投资10亿元": a description of
            # the project already named, not another project
            if self.out.mentions:
                self._coreference(base, s, money, hits, dates)
            elif self.previous is not None:
                self._describe(self.previous, s, money, any_clause=True)
            return
        for m in money:
            if self._aggregate(base, s, m, hits, dates):
                continue
            mention = self._money_mention(base, s, m, hits, dates)
            if mention:
                found.append(mention)
                taken.append((mention.span[0] - base, mention.span[1] - base))
        found.extend(self._bare_mentions(base, s, hits, dates, taken))
        found.sort(key=lambda f: f.span[0])
        if self._aggregate_stage and s.lstrip("，, ").startswith("其中"):
            # "现场签约项目21个，签约金额386亿元。其中，A项目投资120亿元，…": the projects of
            # that total were signed then
            stage, when = self._aggregate_stage
            for mention in found:
                if not mention.events:
                    mention.events.append(StageEvent(stage, when, mention.span, mention.name))
        before = len(self.out.aggregates)
        self._brackets(base, s, hits, dates, all_money)
        if not found:
            self._counted(base, s, hits, dates)
        self._aggregate_stage = next(
            (
                (a.stage, a.date)
                for a in reversed(self.out.aggregates[before:])
                if a.stage is not None and a.bracket_min is None
            ),
            None,
        )
        self._subject_money(base, s, found, hits, dates)
        if not found and not hits and (not money or self._section_stage()):
            topic = self._topic(base, s) or self._site(base, s)
            if topic is not None:
                found.append(topic)
            elif not money and "项目" in s:
                self._passing = self._named_in_passing(base, s) or self._passing
        self._respectively(base, s, found)
        opening = s.lstrip("，, ")
        if found:
            self._place_each(base, s, found)
            self.out.mentions.extend(found)
            self._passing = None
        elif self._passing is not None and (hits or money) and _SUBJECT_IT.match(opening):
            # "围绕青禾食品加工项目，县里成立专班。该项目5月8日开工": the project named in passing
            self.out.mentions.append(self._passing)
            self._passing = None
            self._coreference(base, s, money, hits, dates)
        elif self.out.mentions and not self._has_aggregate_in(base, len(s)):
            self._coreference(base, s, money, hits, dates)
        elif self.previous is not None and (subject := _SUBJECT_IT.match(opening)):
            # "三期项目由…投资建设，…，总投资约550亿元" after the paragraph that named it
            phase = subject.group("phase")
            if phase is None or phase in self.previous.name:
                self._describe(self.previous, s, money, any_clause=True)
        for mention in found or self.out.mentions[-1:]:
            cap = next((c for c in _CAPACITY.finditer(s) if c.group(0) not in mention.name), None)
            if cap and mention.capacity is None:
                mention.capacity = cap.group(0)

    def _respectively(self, base: int, s: str, found: list[Mention]) -> None:
        """``A项目和B项目同日开工，总投资分别为12亿元、6.3亿元``."""
        cue = _RESPECTIVELY.search(s)
        if cue is None:
            return
        tail = re.split(r"[，。；]", s[cue.end() :], maxsplit=1)[0]
        amounts = [parse_money(a.group(0)) for a in AMOUNT_RE.finditer(tail)]
        targets = [f for f in found if f.span[0] - base < cue.start() and f.investment is None]
        if len(amounts) == len(targets) and all(a is not None for a in amounts):
            planned = re.search(r"(?:计划|拟)总?$", s[max(0, cue.start() - 3) : cue.start()])
            for target, (yuan, qualifier) in zip(targets, amounts, strict=True):  # type: ignore[misc]
                target.investment = yuan
                target.qualifier = "planned" if planned and yuan is not None else qualifier

    def _subject_money(
        self, base: int, s: str, found: list[Mention], hits: list, dates: list
    ) -> None:
        """``…项目签约落户…，项目总投资35亿元``: the amount of a clause whose subject is 项目."""
        for m in self._pending_money:
            before = [f for f in found if f.span[0] - base < m.start]
            target = before[-1] if before else (None if found else self._last_mention())
            if target is None and not found:
                # "主会场的X项目（一期）由…投资建设，一期总投资42亿元": the sentence's subject
                target = self._subject(base, s, m, hits, dates)
                if target is not None:
                    found.append(target)
            elif target is not None and target.investment is not None:
                # "…A项目总投资32亿元；另一个…B项目由…投资，投资额约12亿元": B's amount
                after = target.span[1] - base if target in found else 0
                later = self._subject(base, s, m, hits, dates, after=max(0, after))
                if later is not None:
                    found.append(later)
                    target = later
            if target is not None and target.investment is None:
                target.investment, target.qualifier = m.yuan, m.qualifier
        self._pending_money = []

    def _subject(
        self, base: int, s: str, m: Money, hits: list, dates: list, after: int = 0
    ) -> Mention | None:
        """The first project named in the sentence (after ``after``), before the amount."""
        for e in SUFFIX_RE.finditer(s, after, m.start):
            if e.group(0) != "项目" or SUFFIX_RE.match(s, e.end()):
                continue
            picked = name_before(s, e.end(), joint=False)
            if picked is None or picked[0] < after:
                continue
            start, name = picked
            phase = _PHASE_AT.match(s, start + len(name))
            if phase:
                name += phase.group(0)
            return self._mention(base, s, start, name, hits, dates, None)
        return None

    def _last_mention(self) -> Mention | None:
        return self.out.mentions[-1] if self.out.mentions else None

    def _place_each(self, base: int, s: str, found: list[Mention]) -> None:
        """Several projects in one sentence: each takes the places of its own stretch."""
        if len(found) < 2:
            return
        starts = [max(0, s.find(f.name, f.span[0] - base)) for f in found]
        for i, mention in enumerate(found):
            lo = (
                0
                if i == 0
                else max(starts[i - 1] + len(found[i - 1].name), _clause_at(s, starts[i]))
            )
            hi = len(s) if i == len(found) - 1 else starts[i + 1]
            if _clause_at(s, hi) > starts[i]:
                hi = _clause_at(s, hi)
            mention.location = locate(s[lo:hi], self.gazette)
        # "A项目和B项目在周市镇同时开工": a place said once after the last name is theirs all
        for i in range(len(found) - 2, -1, -1):
            if found[i].location.empty():
                found[i].location = replace(found[i + 1].location)

    def _has_aggregate_in(self, base: int, length: int) -> bool:
        return any(base <= a.span[0] < base + length for a in self.out.aggregates)

    def _aggregate(self, base: int, s: str, m: Money, hits: list, dates: list) -> bool:
        fwd = _forward(s[m.end :])
        counted = _COUNT_NAME.match(fwd.group(1)) if fwd else None
        if fwd and counted:  # "总投资83.2亿元的16个项目集中开工"
            stage = pick_stage(hits, m.end + fwd.end(1))
            date = _date_near(dates, stage[0] if stage else m.start) or self.para_date
            span = (base + m.cue_start, base + m.end + fwd.end(1))
            self.out.aggregates.append(
                Aggregate(
                    _to_int(counted.group(1)), m.yuan, stage[2] if stage else None, date, span
                )
            )
            return True
        head = s[: m.start]
        counts = sorted(
            [*_COUNT_BEFORE.finditer(head), *_COUNT_AFTER.finditer(head)], key=lambda c: c.end()
        )
        if (
            not counts
            or _forward(s[m.end :])
            or re.search(
                r"\d\s*[亿万]元?以上", head[max(0, counts[-1].start() - 8) : counts[-1].start()]
            )
        ):
            return False
        count = counts[-1]
        if (_to_int(count.group(1)) or 0) < 2:
            return False  # "另一个…项目", "一个项目": one project, not an aggregate
        if not _NAMES_LISTED.fullmatch(s, count.end(), m.clause_start) and any(
            SUFFIX_RE.search(s[count.end() : m.start]) and name_before(s, e.end())
            for e in SUFFIX_RE.finditer(s, count.end(), m.start)
        ):
            return False  # names between the count and the amount, other than its list
        # "累计签约招商引资项目41个，…，新开工项目35个": the stage word before the count
        # in its own clause outranks the next one
        own = [h for h in hits if _clause_at(s, count.start()) <= h[0] < count.start()]
        stage = own[-1] if own else pick_stage(hits, count.end())
        date = self._aggregate_date(s, count.start(), dates, stage[0] if stage else m.start)
        if stage is None and self.out.aggregates:
            # "产业类项目77个…；基础设施类项目22个，总投资34.3亿元": the sentence's stage
            last = self.out.aggregates[-1]
            stage, date = (0, 0, last.stage) if last.stage else None, last.date
        span = (base + count.start(), base + m.end)
        self.out.aggregates.append(
            Aggregate(_to_int(count.group(1)), m.yuan, stage[2] if stage else None, date, span)
        )
        return True

    def _counted(self, base: int, s: str, hits: list, dates: list) -> None:
        """``累计开工项目27个，完成投资96亿元``: a count of projects at a stage, without a
        total investment (完成投资 is money spent, not the projects' total)."""
        for c in _STAGE_COUNT.finditer(s):
            if self._has_aggregate_in(base + c.start(), c.end() - c.start()):
                continue
            word = 1 if c.group(1) else 3
            stage = next((h for h in hits if c.start(word) <= h[0] < c.end(word)), None)
            if stage is None:
                continue
            self.out.aggregates.append(
                Aggregate(
                    _to_int(c.group(word + 1)),
                    None,
                    stage[2],
                    self._aggregate_date(s, c.start(), dates, c.start()),
                    (base + c.start(), base + c.end()),
                )
            )

    def _aggregate_date(self, s: str, at: int, dates: list, near: int) -> str | None:
        """An aggregate of one day's event (a ceremony) takes that day; a running total
        ("今年以来", "1至5月", "累计") has no date."""
        if _CUMULATIVE.search(s, 0, at):
            return None
        return _date_near(dates, near) or self.para_date or self.lead_date

    def _brackets(self, base: int, s: str, hits: list, dates: list, money: list[Money]) -> None:
        for m in money:
            tail = s[m.end :]
            if not s[m.start : m.end].endswith("以上") and not tail.startswith("以上"):
                continue
            cm = _COUNT_AFTER_BRACKET.match(tail[2:] if tail.startswith("以上") else tail)
            if not cm:
                continue
            stage = pick_stage(hits, 0)
            span = (base + m.start, base + m.end + cm.end() + (2 if tail.startswith("以上") else 0))
            self.out.aggregates.append(
                Aggregate(
                    _to_int(cm.group(1)),
                    None,
                    stage[2] if stage else None,
                    _date_near(dates, m.start) or self.para_date,
                    span,
                    m.yuan,
                )
            )

    def _money_mention(
        self, base: int, s: str, m: Money, hits: list, dates: list
    ) -> Mention | None:
        fwd = _forward(s[m.end :])
        if fwd:
            start, name = m.end + fwd.start(1), fwd.group(1)
            cut = name_before(s, m.end + fwd.end(1))
            if cut and cut[0] >= start:  # trims the name, never reaches back past the verb
                start, name = cut
            elif not is_specific(name) and len(SUFFIX_RE.sub("", name)) <= 4:
                return None  # "总投资1亿元以上的制造业项目": a class of projects in a policy
        else:
            if "分别" in s[m.clause_start : m.start]:
                return None  # shared out by _respectively
            cands = [
                e
                for e in SUFFIX_RE.finditer(s, 0, m.start)
                if m.start - e.end() <= 14 and not _TOTAL.search(s, e.end(), m.end)
            ]
            named = [name_before(s, e.end()) for e in reversed(cands)]
            picked = next((n for n in named if n), None)
            if picked is None:
                clause = s[m.clause_start :].lstrip("，, ")
                if not _TOTAL.search(clause[:12]) and (
                    _SUBJECT_IT.match(clause)
                    or (m.clause_start > 0 and _AMOUNT_CLAUSE.match(clause))
                ):
                    self._pending_money.append(m)
                return None
            start, name = picked
            phase = _PHASE_AT.match(s, start + len(name))
            if phase:  # "海卓智能装备产业园项目（二期）总投资18亿元"
                name += phase.group(0)
        return self._mention(base, s, start, name, hits, dates, m)

    def _bare_mentions(
        self, base: int, s: str, hits: list, dates: list, taken: list
    ) -> list[Mention]:
        out: list[Mention] = []
        if not hits:
            return out  # a bare mention needs a stage word
        quoted = [(q0 - base, q1 - base) for q0, q1 in self.quoted]
        for e in SUFFIX_RE.finditer(s):
            if (
                e.group(0) not in ("项目", "超级工厂", "生产基地", "工厂")
                or SUFFIX_RE.match(s, e.end())
                or any(t0 <= e.start() < t1 for t0, t1 in taken + quoted)
            ):
                continue
            stage = pick_stage(hits, e.end(), limit=20)
            phase = _PHASE.match(s[e.end() :])
            if phase and "批" in phase.group(0):
                continue  # "自由贸易试验区建设项目（第七批）": a batch of projects
            end = e.end() + (phase.end() if phase else 0)
            if _COUNTED_AFTER.match(s, e.end()) or _BATCH_AFTER.match(s, end):
                continue  # "…项目28个", "碳纤维产业链项目集中开工": a count or a batch, not a name
            picked = name_before(s, e.end(), joint=False)
            if picked and s[picked[0] - 1 : picked[0]] == "#":
                continue  # "#亦庄项目进行时#": a topic tag, not a name
            if picked:
                picked = (picked[0], s[picked[0] : end])
            if (stage is None or stage[0] < e.end()) and (later := self._coordinated(s, end, hits)):
                stage = later  # "A项目和…的B项目同日开工": the stage said after the last name
            if (
                not stage
                or not picked
                or (
                    stage[0] < e.end() - 1
                    and stage[1] < picked[0]
                    and not _stage_leads(s[stage[1] : picked[0]], stage[2])
                    # "签约A项目和B项目": B is the stage word's object too
                    and not (
                        out
                        and _JOINED.fullmatch(s, taken[-1][1], picked[0])
                        and out[-1].events
                        and out[-1].events[0].stage == stage[2]
                    )
                )
            ):
                continue
            mention = self._mention(base, s, picked[0], picked[1], hits, dates, None)
            out.append(mention)
            taken.append((picked[0], e.end()))
        return out

    @staticmethod
    def _coordinated(s: str, end: int, hits: list) -> tuple | None:
        """The stage word after the next name, when the name ending at ``end`` is joined to it
        by 和/与/及/、 in the same clause."""
        joined = _JOINED.match(s, end)
        if joined is None:
            return None
        nxt = SUFFIX_RE.search(s, joined.end(), joined.end() + 40)
        if nxt is None or re.search(r"[，。；,;]", s[end : nxt.start()]):
            return None
        later = pick_stage(hits, nxt.end(), limit=20)
        return later if later and later[0] >= nxt.end() else None

    def _mention(
        self, base: int, s: str, start: int, name: str, hits: list, dates: list, m: Money | None
    ) -> Mention:
        end = start + len(name)
        mention = Mention(
            name=name, span=(base + start, base + end), location=locate(s, self.gazette)
        )
        if m is not None:
            mention.investment, mention.qualifier = m.yuan, m.qualifier
            mention.span = (base + min(start, m.cue_start), base + max(end, m.end))
        # the investor is named near the project (a long run-on "sentence" from a slide or a
        # table would make the company patterns scan far for nothing)
        mention.company = _company(s[max(0, start - 80) : end + 80], name)
        stage = pick_stage(hits, end)
        if stage:
            own = dates  # the dates that may date this stage word
            if stage[2] in ("under_construction", "negotiating"):
                # a state: dated only by its own clause, after the name
                clause = max(_clause_at(s, stage[0]), min(end, stage[0]))
                date = _date_near([d for d in dates if clause <= d[0] < stage[0]], stage[0])
                lead = [d for d in dates if d[1] <= start and d[2]]
                if date is None and lead and not any(lead[-1][1] <= h[0] < start for h in hits):
                    # "12月26日，X项目一期厂房主体结构封顶": the sentence's own date, not a
                    # relative clause's ("去年10月开工的X项目目前正在建设")
                    date = lead[-1][2]
            else:
                if stage[0] >= end and (relative := self._relative_hit(s, start, hits)):
                    # "去年8月签约的X项目日前竣工投产": 去年8月 dates the signing, not the 投产
                    own = [d for d in dates if d[0] >= relative[1]]
                date = _date_near(own, stage[0])
            if (
                date is None
                and stage[2] not in ("under_construction", "negotiating")
                and not own
                and not _EARLIER.search(
                    s, max(_clause_at(s, stage[0]), min(end, stage[0])), stage[0]
                )
            ):
                # an undated event happens on the paragraph's date, else on the report's lead
                # date, else on the last date the report gave before it
                date = self.para_date or self.lead_date or self.out.last_date
            span = (min(mention.span[0], base + stage[0]), max(mention.span[1], base + stage[1]))
            mention.events.append(StageEvent(stage[2], date, span, name))
            self._later_events(base, s, mention, stage, hits, dates)
        self._relative_event(base, s, mention, start, hits, dates)
        return mention

    def _relative_hit(self, s: str, start: int, hits: list) -> tuple | None:
        """The stage word of a clause that modifies the name starting at ``start``."""
        before = [h for h in hits if h[1] <= start and _RELATIVE.fullmatch(s[h[1] : start])]
        return before[-1] if before else None

    def _relative_event(
        self, base: int, s: str, mention: Mention, start: int, hits: list, dates: list
    ) -> None:
        """``去年12月开工的鑫泰…项目目前主体厂房已封顶``: the stage word of the clause that
        modifies the name is an event of the project too, dated by that clause."""
        before = [h for h in hits if h[1] <= start and _RELATIVE.fullmatch(s[h[1] : start])]
        if not before or any(e.span[0] - base == before[-1][0] for e in mention.events):
            return
        h = before[-1]
        if any(e.stage == h[2] for e in mention.events):
            return
        clause = _clause_at(s, h[0])
        own = [d for d in dates if clause <= d[0] < h[0] and d[2]]
        date = own[-1][2] if own else None
        mention.events.insert(0, StageEvent(h[2], date, (base + h[0], base + h[1]), mention.name))

    def _later_events(
        self, base: int, s: str, mention: Mention, first: tuple, hits: list, dates: list
    ) -> None:
        """``2017年8月开工，2019年9月建成投产``: each later stage word with its own date,
        before any other project is named, is another event of the same project."""
        prev_end = first[1]
        for h in hits:
            if h[0] < prev_end:
                continue
            if h[2] == first[2] and not mention.events[1:]:
                prev_end = h[1]  # "去年10月签约引进的": the same stage said twice
                continue
            if any(name_before(s, e.end()) for e in SUFFIX_RE.finditer(s, prev_end, h[0])):
                return  # another project is named first ("签约当天项目就开工" names none)
            own = [d for d in dates if prev_end <= d[0] and d[1] <= h[0] and d[2]]
            when = own[-1][2] if own else None
            if when is None and _ALONG.search(s, max(prev_end, h[0] - 6), h[0]):
                # "是去年10月签约引进的，这次也同步开工": the report's own day
                when = self.para_date or self.lead_date or self.out.last_date
            if when is None:
                return
            span = (base + h[0], base + h[1])
            mention.events.append(StageEvent(h[2], when, span, mention.name))
            prev_end = h[1]

    def _site(self, base: int, s: str) -> Mention | None:
        """``在蒲吕街道的锂电池结构件项目现场，记者看到…``: the project whose site the report
        stands on; the sentences after it tell its amount and stage."""
        site = _SITE.search(s)
        if site is None:
            return None
        picked = name_before(s, site.start() + len(site.group(1)), joint=False)
        return None if picked is None else self._named(base, s, *picked)

    def _named(self, base: int, s: str, start: int, name: str) -> Mention:
        """A project named in ``s`` with nothing yet said of it (no amount, no stage)."""
        return Mention(
            name=name,
            span=(base + start, base + start + len(name)),
            location=locate(s, self.gazette),
        )

    def _named_in_passing(self, base: int, s: str) -> Mention | None:
        """The last specific project name in a sentence that says nothing of it."""
        for e in reversed(list(SUFFIX_RE.finditer(s))):
            if e.group(0) != "项目" or SUFFIX_RE.match(s, e.end()):
                continue
            picked = name_before(s, e.end(), joint=False)
            if picked is not None:
                return self._named(base, s, *picked)
        return None

    def _section_stage(self) -> bool:
        return _section_stage(self.section) is not None

    def _topic(self, base: int, s: str) -> Mention | None:
        """``（二）江铜铜箔项目。`` in a report: a sentence that is only a project's name
        opens that project; the sentences after it tell its amount and stage."""
        m = _TOPIC.match(s) or (_ITEM.match(s) if self._section_stage() else None)
        if not m:
            return None
        picked = name_before(s, m.end(1))
        if picked is None:
            return None
        start, name = picked
        if start > m.start(1) and not _LEADING_SITE.match(m.group(1)):
            return None  # the name was cut at a verb: the sentence says more than a name
        start, name = m.start(1), m.group(1)  # "一、关于屯留区康庄工业园氢能重卡项目。" in 会议纪要
        while (lead := _LEADING_SITE.match(name) or _LEADING_COUNTY.match(name)) and is_specific(
            name[lead.end() :]
        ):
            start, name = start + lead.end(), name[lead.end() :]
        return self._named(base, s, start, name)

    def topic_of(self, heading: str) -> Mention | None:
        """The project a subhead names on its own (``■青禾食品加工项目``,
        ``（二）江铜铜箔项目``), with a span local to ``heading``."""
        lead = len(heading) - len(heading.lstrip("■□◆◇●○▲△★☆▶►·•-— \u3000"))
        return self._topic(lead, heading[lead:])

    def _coreference(self, base: int, s: str, money: list[Money], hits: list, dates: list) -> None:
        """A sentence without a project name: dated stage words belong to the last project."""
        last = self.out.mentions[-1]
        other = _OTHER_PHASE.match(s.lstrip("，, "))
        named = _PHASE_IN.search(last.name)
        if other and named and other.group(1) != named.group(0):
            # "硫磷化工新材料二期项目同日动工。该项目一期已于今年5月投产": the first phase is
            # a project of its own, named like the second
            name = last.name[: named.start()] + other.group(1) + last.name[named.end() :]
            lead = len(s) - len(s.lstrip("，, "))
            last = Mention(
                name=name,
                span=(base + lead, base + lead + other.end()),
                location=replace(last.location),
            )
            self.out.mentions.append(last)
        for h in hits:
            # a state (在建, 洽谈) is dated only by its own clause
            since = _clause_at(s, h[0]) if h[2] in ("under_construction", "negotiating") else 0
            date = _date_near([d for d in dates if since <= d[0] and d[1] <= h[0]], h[0])
            if date and not any(e.stage == h[2] for e in last.events):
                last.events.append(StageEvent(h[2], date, (base + h[0], base + h[1]), last.name))
            elif not last.events and (
                (
                    h[2] in ("under_construction", "negotiating")
                    and _SUBJECT_IT.match(s.lstrip("，, "))
                )
                # "通榆县与一家香港企业签约的这一项目，…": the stage of the clause naming it
                or _THIS_PROJECT.match(s, h[1])
            ):
                # "该项目总投资约36亿元，主体施工已经完成": a state of the project just named
                last.events.append(StageEvent(h[2], None, (base + h[0], base + h[1]), last.name))
        self._describe(last, s, money)

    def _describe(
        self, last: Mention, s: str, money: list[Money], any_clause: bool = False
    ) -> None:
        """Amount, company and place told of the project in a sentence that does not name
        it (no stage events: those need the paragraph the project was named in)."""
        opening = s.lstrip("，, ")
        for m in money:
            if last.investment is None and (
                any_clause or _SUBJECT_IT.match(opening) or _AMOUNT_CLAUSE.match(opening)
            ):
                last.investment, last.qualifier = m.yuan, m.qualifier
        if not _SUBJECT_IT.match(opening):
            return
        company = _company(s, "")
        if company and last.company is None:
            last.company = company
        if last.location.district is None and _PLACE_HINT.search(s):
            here = locate(s, self.gazette)
            if here.district and here.city in (None, last.location.city):
                last.location = here
