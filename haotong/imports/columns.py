"""Which spreadsheet headers mean which project field.

Government lists name the same column many ways (总投资, 计划总投资（亿元）, 项目总投资
/万元 …). A header is normalised, its unit (万元/亿元/元) read off, and looked up
among the synonyms below. The export's own headers are synonyms too, so an export
can be edited and imported back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from haotong.ledger import stages

# field key → (canonical header used by the template, synonyms)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("项目名称", ("项目", "名称", "项目名")),
    "town": (
        "所在镇街/园区",
        (
            "所在镇街",
            "镇街",
            "镇街/园区",
            "镇（街道）",
            "所在镇（街道）",
            "所在镇（街道、园区）",
            "镇区",
            "所在地",
            "属地",
            "建设地点",
            "项目地点",
            "镇街园区",
            "所在镇街园区",
        ),
    ),
    "investment": (
        "总投资",
        ("计划总投资", "项目总投资", "总投资额", "投资总额", "投资额", "总投资（元）"),
    ),
    "qualifier": ("金额限定", ("投资额限定",)),
    "fixed_asset": ("固定资产投资", ("固投", "固定资产投资额", "固定资产投资（元）")),
    "planned_output": (
        "预计年产值",
        ("年产值", "预计年销售", "预计年产值/销售", "达产后年产值", "预计年产值/销售（元）"),
    ),
    "planned_tax": ("预计年税收", ("年税收", "达产后年税收", "预计年税收（元）")),
    "industry_code": ("行业代码", ("行业分类代码", "国民经济行业代码", "行业类别代码")),
    "chain_link": ("产业链环节", ("产业链", "链条环节", "所属产业链")),
    "investors": ("投资主体", ("投资方", "投资企业", "投资主体名称", "项目单位", "建设单位")),
    "credit_codes": ("统一社会信用代码", ("信用代码", "社会信用代码", "投资主体统一社会信用代码")),
    "stage": ("当前阶段", ("项目阶段", "进展阶段", "阶段", "项目状态", "当前进度")),
    "stage_date": ("阶段日期", ("阶段时间", "当前阶段日期")),
    "land_mu": (
        "用地（亩）",
        ("用地", "用地面积", "用地面积（亩）", "占地", "占地面积", "占地（亩）"),
    ),
    "capacity": ("产能", ("建设规模", "建设内容及规模", "建设内容", "设计产能")),
    "tags": ("项目类型", ("类型", "项目类别", "项目性质", "标签")),
    "advanced_manufacturing": ("先进制造业", ("是否先进制造业", "先进制造业项目")),
    "team": ("招引队伍", ("招商队伍", "招引单位", "责任队伍", "招商单位")),
    "leader": ("挂钩领导", ("挂钩区领导", "责任领导", "包挂领导")),
    "aliases": ("别名", ("项目别名", "又称")),
    "note": ("备注", ("说明",)),
}
# One date column per stage: 签约日期, 签约时间, 开工时间 …
for _code, _label in stages.STAGE_LABELS.items():
    FIELDS[f"date:{_code}"] = (f"{_label}日期", (f"{_label}时间",))
FIELDS["date:land"] = ("供地日期", ("供地时间", "拿地日期", "拿地时间"))

# Headers read and deliberately ignored (running numbers, export-only columns).
IGNORED = frozenset(
    {"序号", "编号", "演示生成", "阶段代码", "行业", "行业名称", "是否重大项目", "重大项目",
     "数据来源", "总投资（文字）", "ID", "id", "项目编号", "企业信用代码"}
)  # fmt: skip

AMOUNT_FIELDS = frozenset({"investment", "fixed_asset", "planned_output", "planned_tax"})
REQUIRED = ("name", "town", "investment")

_UNIT_RE = re.compile(
    r"[（(]\s*(?:单位[:：])?\s*(万元|亿元|元|亩)\s*[)）]$|[/／](万元|亿元|元|亩)$"
)
_PARENS_RE = re.compile(r"[（(][^（）()]*[)）]")
_LOOKUP: dict[str, str] = {}


def _normalise(header: str) -> str:
    text = re.sub(r"\s+", "", header).replace("(", "（").replace(")", "）").replace("／", "/")
    return text.replace("*", "").replace("★", "")


for _key, (_canonical, _synonyms) in FIELDS.items():
    for _name in (_canonical, *_synonyms):
        _LOOKUP[_normalise(_name)] = _key


@dataclass(frozen=True)
class Column:
    field: str
    index: int  # 0-based
    letter: str
    header: str
    unit: str  # "" when the header gives none


def match_header(header: object) -> tuple[str | None, str]:
    """(field key or None, unit named in the header) for one header cell."""
    text = _normalise(str(header or ""))
    if not text:
        return None, ""
    unit_match = _UNIT_RE.search(text)
    unit = next((g for g in unit_match.groups() if g), "") if unit_match else ""
    if text in IGNORED:
        return "", unit
    for candidate in (text, _UNIT_RE.sub("", text), _PARENS_RE.sub("", text)):
        if candidate in _LOOKUP:
            return _LOOKUP[candidate], unit
        if candidate in IGNORED:
            return "", unit
    return None, unit


def canonical_headers() -> list[str]:
    """The template's header row, in a sensible order."""
    order = [
        "name", "town", "investment", "industry_code", "chain_link", "investors",
        "credit_codes", "stage", "stage_date", "land_mu", "capacity", "tags",
        "advanced_manufacturing", "team", "fixed_asset", "planned_output", "planned_tax",
        "leader", "note",
    ]  # fmt: skip
    return [FIELDS[key][0] for key in order]
