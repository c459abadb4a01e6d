"""People with their positions (``南通市委常委、通州区委书记张建华``) and their quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛"
    "邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝"
    "路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂"
    "全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝储"
)
_COMPOUND = "欧阳|司马|诸葛|上官|东方|皇甫|尉迟|公孙|慕容|长孙|宇文|司徒|夏侯"
_TITLES = (
    "党组书记|副书记|书记|副市长|市长|副区长|区长|副县长|县长|副镇长|镇长|乡长|副省长|省长|副主席|主席|常委|委员|"
    "副主任|主任|副部长|部长|副局长|局长|副厅长|厅长|处长|科长|秘书长|副总经理|总经理|副董事长|董事长|副总裁|总裁|"
    "总指挥|指挥长|负责人|经理|院长|会长|行长|厂长|所长|总监|首席执行官|创始人|合伙人|总工程师|站长|理事长|主管|队长|组长|社长"
)
_VERBS = (
    "表示|说|介绍|指出|强调|感慨|认为|坦言|告诉|透露|称|谈到|直言|提出|要求|出席|主持|参加|一行|带队|调研|会见|"
    "讲话|致辞|宣布|发言|回忆|笑着|对|在|等|和|与|为|向|到|，|。|、|：|\\s|$"
)
NAME = rf"(?:{_COMPOUND}|[{_SURNAMES}])[\u4e00-\u9fff]{{1,2}}?"
PERSON_RE = re.compile(rf"(?:{_TITLES})(?P<name>{NAME})(?={_VERBS})")
_CHAIN_STOP = set('，,。；;：:“”"‘’！？!?（）()《》 \n')
_LEAD_CUT = re.compile(
    r".*(?:的|有|是|和|与|及|向|请|由|邀|在|(?<!作)为|(?:会|仪式|活动|现场|典礼|论坛|会议|大会)上|"
    r"(?:活动|过程|会议|讲话|致辞|采访)中|近日|日前|当天|期间|(?:调研|考察|视察|采访|会见|接受)时)"
)
_QUOTE_RE = re.compile(r"“([^“”]{10,}?)”")
_SPEAK_AFTER = re.compile(
    rf"^[，,]?\s*(?:[^，。“”]{{0,30}}?(?:{_TITLES}))?(?P<name>{NAME})(?={_VERBS})"
)
_SPEAK_BEFORE = re.compile(
    rf"(?P<name>{NAME})(?:表示|说|指出|强调|介绍|坦言|称|感慨道|告诉记者)[:：，,]?\s*$"
)
_HONORIFIC = re.compile(rf"[{_SURNAMES}](?:先生|女士|师傅|老板|阿姨|大爷)")


@dataclass
class Person:
    name: str
    positions: list[str] = field(default_factory=list)


@dataclass
class Quote:
    speaker: str
    text: str
    span: tuple[int, int]  # local span of the quoted words


def _positions(text: str, title_end: int) -> list[str]:
    start = title_end
    while start > 0 and text[start - 1] not in _CHAIN_STOP and title_end - start < 60:
        start -= 1
    parts = [p for p in text[start:title_end].split("、") if p]
    if parts:
        cut = _LEAD_CUT.match(parts[0])
        if cut and cut.end() < len(parts[0]):
            parts[0] = parts[0][cut.end() :]
    return [p for p in parts if re.search(f"(?:{_TITLES})$", p)]


# a TV transcript's speaker label: "【同期声】灵璧经济开发区管委会副主任 刘强",
# "同期声（锂电池结构件项目负责人 黄勇）：“…”"
SOUND_BITE = re.compile(
    rf"(?:【同期声】|同期声\s*[（(]|【采访】|采访对象[:：]?)\s*"
    rf"(?P<position>[^（）()【】“”\n]{{2,40}}?(?:{_TITLES}))[ \u3000]+(?P<name>{NAME})(?![\u4e00-\u9fff])\s*[）)]?"
)


def sound_bite(text: str) -> Person | None:
    """The speaker a transcript's label names (``【同期声】…总经理 张志远``)."""
    m = SOUND_BITE.search(text)
    return Person(m.group("name"), [m.group("position")]) if m else None


def find_people(text: str) -> list[Person]:
    """People named right after their positions in ``text`` (a paragraph)."""
    out: list[Person] = []
    bite = sound_bite(text)
    if bite is not None:
        out.append(bite)
    for m in PERSON_RE.finditer(text):
        positions = _positions(text, m.start("name"))
        if positions:
            out.append(Person(m.group("name"), positions))
    return out


def find_quotes(text: str, known: set[str], default: str | None = None) -> list[Quote]:
    """Quoted statements (≥10 characters) whose speaker is named next to them (else
    ``default``, the speaker a transcript's label gives)."""
    out: list[Quote] = []
    for m in _QUOTE_RE.finditer(text):
        inner = m.group(1)
        if not re.search(r"[，。！？,]", inner):
            continue
        speaker = _speaker(text, m.start(), m.end(), known) or default
        if speaker:
            out.append(Quote(speaker, inner, (m.start(1), m.end(1))))
    return out


def _speaker(text: str, start: int, end: int, known: set[str]) -> str | None:
    bite = SOUND_BITE.search(text[max(0, start - 60) : start])
    if bite and not re.search(r"[。！？]", text[max(0, start - 60) + bite.end() : start]):
        return bite.group("name")
    after = text[end : end + 60]
    m = _SPEAK_AFTER.match(after)
    if m and (
        m.group("name") in known
        or PERSON_RE.search(after[: m.end("name") + 2])
        or m.end("name") <= 4
    ):
        return m.group("name")
    for name in known:
        if after.lstrip("，, ").startswith(name):
            return name
    before = _SPEAK_BEFORE.search(text[max(0, start - 40) : start])
    if before:
        return before.group("name")
    earlier = _said_before(text[max(0, start - 80) : start], known)
    if earlier:
        return earlier
    sentence = re.split(r"[。！？]", after, maxsplit=1)[0]
    honorific = _HONORIFIC.search(sentence)
    return honorific.group(0) if honorific else None


_SAID = re.compile(r"(?:表示|说|指出|强调|介绍|坦言|称)")


def _said_before(before: str, known: set[str]) -> str | None:
    """``张壮表示，柳州将…。“我们要…”``: a known person said something just before the quote."""
    if "“" in before or "”" in before:
        return None
    best: tuple[int, str] | None = None
    for name in known:
        pos = before.rfind(name)
        if pos >= 0 and _SAID.match(before, pos + len(name)) and (best is None or pos > best[0]):
            best = (pos, name)
    return best[1] if best else None
