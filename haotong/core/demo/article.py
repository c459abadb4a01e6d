"""Facts taken from the seed article (现代快报, 2023全国两会特刊, 南通通州专版).

Everything here is stated in the article; each record carries the sentence it
comes from as evidence. What the article does not give is generated elsewhere
(``synthetic.py``) and marked synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

SOURCE = "现代快报+ 2023全国两会专版《南通通州：打造新高地、建设硬核区》"
# The page reports the state "截至目前" for the 2023 两会 (opened 4–5 March 2023).
ARTICLE_AS_OF = date(2023, 3, 3)
DISTRICT = "通州区"
PARK = "南通高新区"
CENTER = "区投资服务中心"
ARTICLE_TOWNS = ("五接镇",)

# Counts the article gives.
TECH_PROJECTS = 48  # 科创项目48个
TALENT_PROJECTS = 74  # 人才项目74个
MAJOR_ATTRACTION_PROJECTS = 51  # 重大招商项目51个
CHAIN_FIRMS = 49  # 集聚近50家上下游产业链企业 (“近50”: 49 in the demo)
DEPARTMENTS = 44  # 全区44个部门的60个科室
SECTIONS = 60
ANCHOR_FIRMS = ("深南电路", "展华电子")
CHAIN_NAME = "新一代信息技术"
CHAIN_LINKS = ("芯片设计", "检测", "高端印制线路板", "半导体材料", "封装载板")

GROUNDBREAKING_DATE = date(2023, 2, 11)
GROUNDBREAKING_COUNT = 16
GROUNDBREAKING_TOTAL = Decimal("8320000000")  # 总投资达83.2亿元
GROUNDBREAKING_EVIDENCE = "当天，通州16个产业项目集中开工，总投资达83.2亿元，先进制造业项目占比100%"


@dataclass(frozen=True)
class Event:
    stage: str
    on: date
    precision: str  # day / month / not_after
    evidence: str


@dataclass(frozen=True)
class ArticleProject:
    name: str
    town: str  # "" when the article does not say: recorded at district level
    investment_yuan: Decimal | None
    qualifier: str
    industry_code: str
    events: tuple[Event, ...]
    aliases: str = ""
    chain_link: str = ""
    capacity_text: str = ""
    planned_output_yuan: Decimal | None = None
    tags: tuple[str, ...] = ()
    advanced_manufacturing: bool = True
    team: str = ""
    investors: tuple[str, ...] = field(default=())


PROJECTS: tuple[ArticleProject, ...] = (
    ArticleProject(
        name="恒力(南通)产业园三期功能性聚酯纤维项目",
        town="",
        investment_yuan=None,
        qualifier="",
        industry_code="C2822",
        events=(
            Event(
                "production",
                date(2023, 1, 31),
                "not_after",
                "兔年伊始，位于南通市通州区的恒力(南通)产业园三期功能性聚酯纤维项目纺丝N3车间各条生产线已全速运转",
            ),
        ),
    ),
    ArticleProject(
        name="恒力(南通)产业园四期项目",
        town="",
        investment_yuan=None,
        qualifier="",
        industry_code="C2822",
        events=(
            Event("started", date(2023, 1, 31), "not_after", "车窗外吊机林立，四期项目建设正酣"),
        ),
    ),
    ArticleProject(
        name="康源电路项目",
        aliases="康源电子高端IC载板项目",
        town="",
        investment_yuan=Decimal("5000000000"),
        qualifier="",
        industry_code="C3982",
        chain_link="封装载板",
        capacity_text="年产封装载板86万平方米",
        planned_output_yuan=Decimal("5000000000"),
        tags=("major_attraction",),
        events=(
            Event(
                "signed",
                date(2023, 2, 11),
                "not_after",
                "总投资100亿元的高德新型电子元件项目、总投资50亿元的康源电子高端IC载板项目相继签约落户",
            ),
            Event(
                "started",
                date(2023, 2, 11),
                "day",
                "2月11日，总投资50亿元的康源电路项目正式开工建设。该项目聚焦集成电路封装载板的研发和制造",
            ),
        ),
    ),
    ArticleProject(
        name="高德新型电子元件项目",
        town="",
        investment_yuan=Decimal("10000000000"),
        qualifier="",
        industry_code="C3989",
        tags=("major_attraction",),
        events=(
            Event(
                "signed",
                ARTICLE_AS_OF,
                "not_after",
                "总投资100亿元的高德新型电子元件项目、总投资50亿元的康源电子高端IC载板项目相继签约落户",
            ),
        ),
    ),
    ArticleProject(
        name="康辉新材料项目",
        town="五接镇",
        investment_yuan=Decimal("12500000000"),
        qualifier="near",
        industry_code="C2651",
        events=(
            Event(
                "started",
                date(2022, 10, 1),
                "month",
                "在通州区五接镇，总投资近125亿元的康辉新材料项目建设现场……自去年10月开工后",
            ),
        ),
    ),
)
