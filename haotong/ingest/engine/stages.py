"""Stage words (签约, 开工, 投产 …) and project names in one sentence."""

from __future__ import annotations

import re

_LIST_JOIN = re.compile("项目[和及]")
_LIST_JOIN_WITH = re.compile("项目[和及与]")
_BATCH_NUMBER = re.compile(r"第[一二三四五六七八九十\d]+批")
_COUNT_CORE = re.compile(r"^[\d.]+\s*(?:个|项|批|家|年|大|条|座|栋|台|套|$)")
_BRACKETS_SPACE = re.compile(r"[()（）\s]")
_DATED_CLAUSE = re.compile(r"\d月|去年|今年|年初|年底")

STAGE_WORDS: dict[str, str] = {
    "在谈": "negotiating", "洽谈": "negotiating", "磋商": "negotiating", "商谈": "negotiating",
    "对接": "negotiating", "接洽": "negotiating", "会谈": "negotiating", "达成初步意向": "negotiating",
    "达成合作意向": "negotiating", "达成投资意向": "negotiating",
    "签约": "signed", "签订": "signed", "签署": "signed", "签下": "signed", "落户": "signed",
    "成功引进": "signed", "正式落地": "signed",
    "开工": "started", "动工": "started", "奠基": "started", "破土": "started", "开建": "started",
    "在建": "under_construction", "建设现场": "under_construction", "施工现场": "under_construction",
    "加快建设": "under_construction", "正在建设": "under_construction", "建设正酣": "under_construction",
    "加紧建设": "under_construction", "正在兴建": "under_construction", "主体工程": "under_construction",
    "内部装修": "under_construction", "装饰装修": "under_construction",
    "外立面施工": "under_construction", "安装施工": "under_construction", "引进": "signed",
    "进场施工": "started", "启动建设": "started", "签约即开工": "started", "封顶": "under_construction", "主体完工": "under_construction",
    "设备安装": "under_construction", "施工建设": "under_construction", "正在施工": "under_construction",
    "加紧施工": "under_construction", "设备调试": "under_construction", "加快施工": "under_construction", "紧张施工": "under_construction",
    "建设中": "under_construction", "主体施工": "under_construction", "推进建设": "under_construction",
    "钢结构安装": "under_construction", "完成主体": "under_construction", "土建施工": "under_construction",
    "竣工": "completed", "建成": "completed", "完工": "completed", "交付使用": "completed",
    "中交": "completed",
    "投产": "production", "投入生产": "production", "试生产": "production", "试产": "production",
    "量产": "production", "投运": "production", "运转": "production", "下线": "production",
    "并网发电": "production", "全容量并网": "production", "并网投运": "production",
    "投入运营": "production", "正式运营": "production", "开业": "production",
    "建成投产": "production", "竣工投产": "production", "建成并投产": "production",
    "竣工并投产": "production",
    "达到设计产能": "capacity", "达到设计能力": "capacity",
    "达产": "capacity", "满产": "capacity", "达效": "capacity",
}  # fmt: skip
STAGE_ORDER = [
    "negotiating",
    "signed",
    "started",
    "under_construction",
    "completed",
    "production",
    "capacity",
]
_STAGE_RE = re.compile("|".join(sorted(STAGE_WORDS, key=len, reverse=True)))
_NOT_STAGE = re.compile(
    r"(?:尚|仍|至今|迟迟|一直|还)?未(?:能)?(?:开工|动工|签约|投产|竣工|落地)|"  # "仍未开工": no start
    r"(?:签署|签订|签了)?保密协议|开竣工|拿地即开工|开工率|复工|开工前|开工仪式上|开工建设的?项目数|落户研判|签约额|投产率"
)
_FUTURE = re.compile(
    r"将|预计|计划|有望|力争|争取|拟|待|即将|确保|预期|明年|下一步|目标|原定|原计划"
)
_DATE_WORDS = re.compile(
    r"(?:\d{4}|[〇零一二三四五六七八九]{4})年(?:底|初|内)?|\d{1,2}月(?:\d{1,2}日)?(?:前|底|初|中旬|上旬|下旬)?|年底前|年内"
)
_DEADLINE = re.compile(r"(?:底|末|初|旬|\d日)前$|年内$|以前$")
_DONE = re.compile(r"已|已经|顺利|相继|成功")

SUFFIX_RE = re.compile(r"项目|工程|超级工厂|生产基地|产业基地|产业园|工厂|生产线")
_BOUNDARY = set('，,。；;：:、“”"《》！？!?【】 \t\n—#')
_CUT_WORDS = re.compile(
    r".*(?:共建|共同建设|合作建设|成为|作为|的|在|是|了|将|把|由|对接|对|与|暨|(?<!华)为|就|其中|包括|推进|推动|加快|开工|签约|落户|举行|启动|共|等|"
    r"位于|当天|目前|近日|今年|去年|总投资|投资|亿元|万元|\d+月\d+日|\d+月|\d{4}年|以|让|使|已|企业|洽谈|接洽|商谈|磋商|谈判|签订|签署|签下|对接|引进|"
    r"宣布|确保|保障(?!工程|项目|房|性|$)|服务(?!中心|站|平台|业|区|外包)|促进|督促|支持|帮助|要求|指导|协调|围绕|聚焦|谋划|实施|抓好|抓实|抓|赴|深入|到(?![岸家])|调研|察看|视察|报送|上报|另有一个|一个|一家|叫|名为|名叫|称为|关于|入驻|进驻|入园|还有|另有|列入|纳入|之(?=[\u4e00-\u9fff]{4}))"
)
_GENERIC = re.compile(
    r"重大|重点|产业|工业|招商|科创|人才|先进|制造业|制造|亿元以上|以上|在建|新开工|新建|续建|签约|开工|竣工|投产|主体|附属|土建|码头主体|"
    r"该|这|此|本|各|每|上述|这些|一批|多个|\d+个|[一二两三四五六七八九十]+个|个|新|好|大|优质|外资|内资|民生|基础设施|"
    r"城建|市级|省级|区级|国家级|招引|引进|引资|多期|产业链|落地|建设|储备|前期|其他|首批|第一批|集中|类|等|年度|全年|近期|近年|当年|本年|全市|全区|全省|全县|全镇|[一二三四]季度|季度|上半年|下半年|"
    r"[一二三四五六七八九十\d]+期|主导|龙头|配套|示范|服务|民营|央企|外来|社会|政府|攻坚|观摩|拉练|考核|督导|督查|调度|巡查|进展|滞后|单体|"
    r"外商|独资|合资|外资|所有|全部|部分|少数|个别|相关|更多|一些|有关|这个|那个|系列|头部|标志性|支撑性|引领性|好的|质量"
)


_GENERIC_TAIL = re.compile(
    r"(重大|重点|产业|在建|开工|签约|招商|科创|人才|制造业|民生|基础设施|亿元以上|以上|这些|该|此|各类|新兴|储备|"
    r"续建|新建|好|大|优质|实体)$|^(建立|健全|抓好|抓实|围绕|聚焦|谋划|实施|开展|保障|服务|推进|加快)"
)


_CLAUSE_BREAK = re.compile(r"[，,；;。]")
# "研发与生产" / "研究及应用": a connector inside a name, not between two phrases
_ACTIVITY = (
    r"研发|研究|研制|设计|开发|生产|制造|封装|测试|检测|加工|应用|销售|运营|服务|仓储|物流|装配|集成|"
    r"搬迁|升级|改造|转型|扩建|技改|提升"
)
_COMPOUND_JOIN = re.compile(rf"(?:{_ACTIVITY})[与和及](?=(?:{_ACTIVITY}|产业化|中试|示范))")
_ENUMERATOR = re.compile(
    r"^(?:[★☆●○■□◆◇▲△►•·]\s*|\d{1,2}[.、．](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[是、]|[①-⑳])"
)
_FIGURE_START = re.compile(
    r"[\d.]+\s*(?:万|亿)?(?:吨|GWh|GW|MW|兆瓦|千瓦|台|套|辆|片|平方米|件|只)"
)
_CAPACITY_LEAD = re.compile(r"年产|年加工|年处理|年生产")
# a place in front of a project's name: "平阳县", "邹城市", "沁县", "鄂托克前旗", "新塘镇",
# "屯留区", "沈阳经济技术开发区" (a port or a 新区 that names the works stays: "博贺港区…码头项目")
_PLACE_LEAD = (
    r"(?:[\u4e00-\u9fff]{2}(?:[县市镇乡]|区(?![域块间别分长委])|高新区|经开区|开发区|经济技术开发区|经济开发区|高新技术产业开发区)"
    r"|(?!关于|位于|地处|落户|来自|全[市区县])[\u4e00-\u9fff]{3,4}?(?:[县旗]|(?<![港新社园景城])区(?![域块间别分长委])|(?<![超城门夜都])市(?![场民值面容况]))"
    r"|[\u4e00-\u9fff]{2,3}?(?:(?<!小)镇|乡|街道)"
    r"|[\u4e00-\u9fff]{2,6}?(?:经济技术开发区|高新技术产业开发区|经济开发区|高新区|经开区|开发区|工业园区|产业园区|综合保税区|经济区)"
    r"|[\u4e00-\u9fff]{2,8}?自治[县旗]"
    r"|[\u4e00-\u9fff]县|[\u4e00-\u9fff]{2,5}旗)"
)
_LEADING_COUNTY = re.compile("^" + _PLACE_LEAD + r"(?=[\u4e00-\u9fff\d]{4})")
_LEADING_COUNTY_ANY = re.compile("^" + _PLACE_LEAD)  # also before a short remainder
_LEADING_VERB = re.compile(
    r"^(?:配套建设|投资建设|新建|扩建|建设|打造|投建|布局|实施|启动|(?:计划)?引[入进]|[台港澳外日韩侨]资|(?:本|我|该)?公司)"
)
_POLICY = re.compile(
    r"(?<![重主])要(?!素)|应当|应该|必须|持续|强化|着力|全力|进一步|切实|不断|积极|努力|务必"
)


def _is_future(text: str, start: int, end: int) -> bool:
    breaks = list(_CLAUSE_BREAK.finditer(text, 0, start))
    clause_start = breaks[-1].start() if breaks else -1
    # "预计2023年6月建成投产": a date between the future word and the stage word
    # does not push the future word out of reach.
    if _DEADLINE.search(text, max(0, start - 3), start):
        return True  # "6月底前建成投产", "年内开工": a target, not an event
    before = _DATE_WORDS.sub("", text[clause_start + 1 : start])[-8:]
    future = list(_FUTURE.finditer(before))
    if future and not _DONE.search(before[future[-1].end() :]):
        return True
    return (
        text[end : end + 1] == "后" or text[end : end + 2] in ("以后", "之后")
    ) and not _DATED_CLAUSE.search(text, clause_start + 1, start)


def stage_hits(text: str) -> list[tuple[int, int, str]]:
    """Non-future stage words in ``text`` as (start, end, stage)."""
    if not _STAGE_RE.search(text):
        return []
    blocked = [(m.start(), m.end()) for m in _NOT_STAGE.finditer(text)]
    hits = []
    for m in _STAGE_RE.finditer(text):
        if any(b0 <= m.start() < b1 for b0, b1 in blocked) or _is_future(text, m.start(), m.end()):
            continue
        if m.group(0) == "引进" and text[m.end() : m.end() + 1] != "的":
            continue  # "资兴市引进的液冷数据中心项目": a signing; "引进人才" is none
        if m.group(0) in ("对接", "接洽", "会谈") and not (
            SUFFIX_RE.search(text, m.end(), m.end() + 48)
            or SUFFIX_RE.search(text, max(0, m.start() - 16), m.start())
        ):
            continue  # "对接服务" is no negotiation; "对接一家企业，…投资建设X项目" is
        hits.append((m.start(), m.end(), STAGE_WORDS[m.group(0)]))
    return hits


def pick_stage(
    hits: list[tuple[int, int, str]], anchor: int, limit: int = 10_000
) -> tuple[int, int, str] | None:
    """The first stage word after ``anchor`` (within ``limit``), else the last one before it."""
    after = [h for h in hits if anchor <= h[0] <= anchor + limit]
    if after:
        return after[0]
    before = [h for h in hits if h[1] <= anchor]
    return before[-1] if before else None


_AFTER_BRACKET = re.compile(r"[)）]\s*(?:和|与|及|以及|、)?")


def name_before(text: str, suffix_end: int, joint: bool = True) -> tuple[int, str] | None:
    """The project name ending at ``suffix_end`` (which ends a SUFFIX_RE match), with its start."""
    start = suffix_end
    while start > 0 and suffix_end - start < 40 and text[start - 1] not in _BOUNDARY:
        start -= 1
    chunk = text[start:suffix_end]
    if text[start - 1 : start] == "、" and _FIGURE_START.match(chunk):
        # "年产15GW高效光伏电池、3GW光伏组件项目": one project with two capacities
        k = start - 1
        while k > 0 and text[k - 1] not in _BOUNDARY and start - k < 30:
            k -= 1
        if _CAPACITY_LEAD.match(text, k):
            start, chunk = k, text[k:suffix_end]
    suffix = SUFFIX_RE.search(chunk[-6:])
    masked = _COMPOUND_JOIN.sub(lambda j: j.group(0)[:-1] + "_", chunk)
    cut = _CUT_WORDS.match(
        masked[: len(chunk) - (len(chunk[-6:]) - suffix.start()) if suffix else len(chunk)]
    )
    if cut:
        start += cut.end()
        chunk = text[start:suffix_end]
    closed = _AFTER_BRACKET.match(chunk)
    if closed:  # "A项目（总投资6亿元）和B项目": B starts after the bracket and the 和
        start, chunk = start + closed.end(), chunk[closed.end() :]
    if (
        "项目、" in chunk
        or "工程和" in chunk
        or (text[start - 1 : start] == "、" and _LIST_JOIN.search(chunk))
        or (not joint and _LIST_JOIN_WITH.search(chunk))
    ):
        # "A项目、B项目和C项目": a list, the name is its last item
        last = max(
            chunk.rfind(sep) + len(sep)
            for sep in ("项目、", "项目和", "项目及", "工程、", "工程和")
        )
        start, chunk = start + last, chunk[last:]
    enum = _ENUMERATOR.match(chunk)
    if enum:  # "1.赣锋锂业…项目：" in a report's list
        start, chunk = start + enum.end(), chunk[enum.end() :]
    for _ in range(3):  # "平阳县宏达…项目", "高州市石鼓镇荔枝…项目", "八里镇建设高纯镁砂…项目"
        lead = _LEADING_VERB.match(chunk) or _LEADING_COUNTY.match(chunk)
        if not lead or not is_specific(chunk[lead.end() :]):
            break
        start, chunk = start + lead.end(), chunk[lead.end() :]
    return (start, chunk) if is_specific(chunk) else None


def strip_place(name: str) -> str:
    """``温县汽车零部件智能制造项目`` → the name without the county in front."""
    county = _LEADING_COUNTY.match(name)
    return name[county.end() :] if county and is_specific(name[county.end() :]) else name


def is_specific(name: str) -> bool:
    """A real project name, not "重大项目" / "16个产业项目" / "该项目"."""
    core = SUFFIX_RE.sub("", name)
    if (
        len(core) < 2
        or core.startswith(("多期", "多个", "若干", "一批", "一些"))
        or _BATCH_NUMBER.search(core)
        or _COUNT_CORE.match(core)
        or "个" in core
        # "重大储备项目" is a class; "煤层气液化调峰储备项目" names one
        or (_GENERIC_TAIL.search(core) and len(_GENERIC.sub("", core)) < 6)
        or _POLICY.search(core)
    ):
        return False
    rest = _GENERIC.sub("", core)
    if len(_BRACKETS_SPACE.sub("", rest)) < 2:
        return False
    place = _LEADING_COUNTY.match(name)  # "东丽区督导项目": a place and a generic phrase
    if place is None:
        # "正蓝旗新项目": a place and a word too short for the lookahead above
        short = _LEADING_COUNTY_ANY.match(core)
        return short is None or len(_GENERIC.sub("", core[short.end() :])) >= 2
    return is_specific(name[place.end() :]) or len(name) - place.end() > 6


_ANAPHOR = re.compile(
    r"^(?:该|此|这一?|上述)(基地|项目|工厂|园区|产业园|生产线)\(?([一二三四五六七八九十\d]+期)\)?(?:项目|工程)?$"
)
_PHASE_IN_NAME = re.compile(r"\([一二三四五六七八九十\d]+期\)|[一二三四五六七八九十\d]+期")


def resolve_anaphor(name: str, earlier: list[str]) -> str | None:
    """``该基地一期项目`` → the phase of the last earlier project named with 基地.

    Returns ``name`` unchanged when it is not such a reference, the resolved name
    when an earlier name fits, and None when nothing earlier does (a reference
    is not a name of its own).
    """
    m = _ANAPHOR.match(name)
    if not m:
        return name
    head, phase = m.groups()
    for prior in reversed(earlier):
        if head == "项目" or head in prior:
            base = _PHASE_IN_NAME.sub("", prior)
            if base.endswith(("项目", "工程")):
                return f"{base[:-2]}({phase}){base[-2:]}"
            return f"{base}({phase})"
    return None
