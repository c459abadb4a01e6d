"""Display-time translation of the labels that pure modules hold in Chinese.

haotong.ledger.stages, haotong.ledger.industries and haotong.core.amounts import
no Django, so their Chinese labels cannot be marked for translation where they
live. They are listed here with ``gettext_noop`` so makemessages extracts them,
and whatever shows a label calls ``label(text)`` (gettext) at display time; a
test checks that every label of those modules is listed. Chinese output is
exactly what the pure modules produce; English amounts and dates get their own
formatting here (``amount``, ``day``, ``month``), never in the pure modules.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, gettext_lazy, gettext_noop

from haotong.core.amounts import QUALIFIER_LABELS, format_yuan
from haotong.ledger import stages

_STAGES: tuple[str, ...] = (
    gettext_noop("签约"),
    gettext_noop("供地"),
    gettext_noop("审批"),
    gettext_noop("在建"),
    gettext_noop("竣工"),
    gettext_noop("投产"),
    gettext_noop("达产"),
    gettext_noop("中止"),
    gettext_noop("终止"),
)

_SECTIONS: tuple[str, ...] = (
    gettext_noop("农、林、牧、渔业"),
    gettext_noop("采矿业"),
    gettext_noop("制造业"),
    gettext_noop("电力、热力、燃气及水生产和供应业"),
    gettext_noop("建筑业"),
    gettext_noop("批发和零售业"),
    gettext_noop("交通运输、仓储和邮政业"),
    gettext_noop("住宿和餐饮业"),
    gettext_noop("信息传输、软件和信息技术服务业"),
    gettext_noop("金融业"),
    gettext_noop("房地产业"),
    gettext_noop("租赁和商务服务业"),
    gettext_noop("科学研究和技术服务业"),
    gettext_noop("水利、环境和公共设施管理业"),
    gettext_noop("居民服务、修理和其他服务业"),
    gettext_noop("教育"),
    gettext_noop("卫生和社会工作"),
    gettext_noop("文化、体育和娱乐业"),
    gettext_noop("公共管理、社会保障和社会组织"),
    gettext_noop("国际组织"),
)

_DIVISIONS: tuple[str, ...] = (
    gettext_noop("农副食品加工业"),
    gettext_noop("食品制造业"),
    gettext_noop("酒、饮料和精制茶制造业"),
    gettext_noop("烟草制品业"),
    gettext_noop("纺织业"),
    gettext_noop("纺织服装、服饰业"),
    gettext_noop("皮革、毛皮、羽毛及其制品和制鞋业"),
    gettext_noop("木材加工和木、竹、藤、棕、草制品业"),
    gettext_noop("家具制造业"),
    gettext_noop("造纸和纸制品业"),
    gettext_noop("印刷和记录媒介复制业"),
    gettext_noop("文教、工美、体育和娱乐用品制造业"),
    gettext_noop("石油、煤炭及其他燃料加工业"),
    gettext_noop("化学原料和化学制品制造业"),
    gettext_noop("医药制造业"),
    gettext_noop("化学纤维制造业"),
    gettext_noop("橡胶和塑料制品业"),
    gettext_noop("非金属矿物制品业"),
    gettext_noop("黑色金属冶炼和压延加工业"),
    gettext_noop("有色金属冶炼和压延加工业"),
    gettext_noop("金属制品业"),
    gettext_noop("通用设备制造业"),
    gettext_noop("专用设备制造业"),
    gettext_noop("汽车制造业"),
    gettext_noop("铁路、船舶、航空航天和其他运输设备制造业"),
    gettext_noop("电气机械和器材制造业"),
    gettext_noop("计算机、通信和其他电子设备制造业"),
    gettext_noop("仪器仪表制造业"),
    gettext_noop("其他制造业"),
    gettext_noop("废弃资源综合利用业"),
    gettext_noop("金属制品、机械和设备修理业"),
    gettext_noop("电力、热力生产和供应业"),
    gettext_noop("土木工程建筑业"),
    gettext_noop("批发业"),
    gettext_noop("多式联运和运输代理业"),
    gettext_noop("装卸搬运和仓储业"),
    gettext_noop("互联网和相关服务"),
    gettext_noop("软件和信息技术服务业"),
    gettext_noop("房地产业"),
    gettext_noop("商务服务业"),
    gettext_noop("研究和试验发展"),
    gettext_noop("科技推广和应用服务业"),
    gettext_noop("娱乐业"),
)

_CLASSES: tuple[str, ...] = (
    gettext_noop("初级形态塑料及合成树脂制造"),
    gettext_noop("涤纶纤维制造"),
    gettext_noop("集成电路制造"),
    gettext_noop("电阻电容电感元件制造"),
    gettext_noop("电子电路制造"),
    gettext_noop("电子专用材料制造"),
    gettext_noop("其他电子元件制造"),
)

_AMOUNTS: tuple[str, ...] = (
    gettext_noop("近"),
    gettext_noop("约"),
    gettext_noop("超"),
    gettext_noop("计划"),
)

# Labels written in other modules' plain strings (queries.AMOUNT_BANDS, the
# project tags, the fallbacks for unknown values).
_OTHER: tuple[str, ...] = (
    gettext_noop("未登记"),
    gettext_noop("未分类"),
    gettext_noop("未披露"),
    gettext_noop("重大招商"),
    gettext_noop("科创"),
    gettext_noop("人才"),
    gettext_noop("1亿元以下"),
    gettext_noop("1–10亿元"),
    gettext_noop("10–50亿元"),
    gettext_noop("50亿元及以上"),
)

MARKED: frozenset[str] = frozenset(_STAGES + _SECTIONS + _DIVISIONS + _CLASSES + _AMOUNTS + _OTHER)

# Model and form choices: the stored code with a label translated when shown.
STAGE_CHOICES: list[tuple[str, Promise]] = [
    (code, gettext_lazy(text)) for code, text in stages.STAGE_LABELS.items()
]
STATE_CHOICES: list[tuple[str, Promise]] = [
    (code, gettext_lazy(text)) for code, text in stages.STATE_LABELS.items()
]


def is_english() -> bool:
    return (get_language() or "").startswith("en")


def label(text: str) -> str:
    """A Chinese label from a pure module (or the database) in the current language;
    text the catalogue does not know (a town's name) is returned as it is."""
    return gettext(text) if text else text


def list_separator() -> str:
    return ", " if is_english() else "、"


def join(labels: list[str]) -> str:
    return list_separator().join(label(str(text)) for text in labels)


# --- amounts ------------------------------------------------------------------------


def amount(yuan: Decimal | int | float | None, qualifier: str = "") -> str:
    """``近125亿元`` in Chinese, ``nearly 12.5 billion yuan`` in English."""
    if not is_english():
        return QUALIFIER_LABELS.get(qualifier, "") + format_yuan(yuan)
    if yuan is None:
        return "—"
    text = _english_yuan(Decimal(str(yuan)))
    word = QUALIFIER_LABELS.get(qualifier, "")
    return f"{gettext(word)} {text}" if word else text


def _english_yuan(value: Decimal) -> str:
    # Same precision as the Chinese (0.01亿 = 1 million yuan above 1亿).
    if abs(value) >= 1_000_000_000:
        return f"{_plain(value / 1_000_000_000, '0.001')} billion yuan"
    if abs(value) >= 1_000_000:
        return f"{_plain(value / 1_000_000, '0.01')} million yuan"
    return f"{_plain(value, '0.01')} yuan"


def _plain(value: Decimal, step: str) -> str:
    rounded = value.quantize(Decimal(step)).normalize()
    return f"{rounded:,f}"


# --- dates --------------------------------------------------------------------------


def day(value: date | None) -> str:
    """``2023年2月11日`` in Chinese, ``2023-02-11`` in English."""
    if value is None:
        return ""
    if is_english():
        return value.isoformat()
    return f"{value.year}年{value.month}月{value.day}日"


def month(value: date | None) -> str:
    """``2022年10月`` in Chinese, ``2022-10`` in English."""
    if value is None:
        return ""
    if is_english():
        return f"{value:%Y-%m}"
    return f"{value.year}年{value.month}月"


def not_after(value: date) -> str:
    """An event known only to have happened by ``value``."""
    return gettext("不晚于%(date)s") % {"date": day(value)}
