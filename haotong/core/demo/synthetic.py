"""Generated (synthetic) records that fill the demo district around the article's facts.

Deterministic: the same seed gives the same district. Every record made here is
flagged ``synthetic`` and shown as 演示 wherever it appears. Pure: no Django.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from faker import Faker
from stdnum.cn import uscc

SEED = 20230211

# Towns and subdistricts of 通州区 other than the article's 五接镇 (public
# administrative division names; the article does not list them).
TOWNS = (
    "金沙街道",
    "金新街道",
    "西亭镇",
    "二甲镇",
    "东社镇",
    "三余镇",
    "十总镇",
    "石港镇",
    "刘桥镇",
    "平潮镇",
    "兴仁镇",
    "兴东街道",
)

DEPARTMENTS = (
    "区委办",
    "区政府办",
    "区纪委监委",
    "区委组织部",
    "区委宣传部",
    "区委统战部",
    "区委政法委",
    "区发改委",
    "区工信局",
    "区教育体育局",
    "区科技局",
    "区公安分局",
    "区民政局",
    "区司法局",
    "区财政局",
    "区人社局",
    "区自然资源和规划分局",
    "区生态环境局",
    "区住建局",
    "区交通运输局",
    "区水利局",
    "区农业农村局",
    "区商务局",
    "区文广旅局",
    "区卫健委",
    "区退役军人事务局",
    "区应急管理局",
    "区审计局",
    "区市场监管局",
    "区统计局",
    "区医保局",
    "区城管局",
    "区行政审批局",
    "区数据局",
    "区信访局",
    "区机关事务管理局",
    "区税务局",
    "区融媒体中心",
    "区档案馆",
    "区总工会",
    "团区委",
    "区妇联",
    "区工商联",
    "区供销总社",
)
SECTION_NAMES = ("综合科", "审批服务科", "政策法规科", "项目推进科", "企业服务科", "督查考核科")

# (industry code, weight, product words, advanced manufacturing?)
INDUSTRIES = (
    ("C3982", 12, ("高端印制线路板", "HDI电路板", "柔性线路板"), True),
    ("C3973", 6, ("芯片封测", "功率半导体", "集成电路设计"), True),
    ("C3985", 6, ("半导体材料", "电子化学品", "光刻胶配套材料"), True),
    ("C3989", 6, ("新型电子元件", "精密连接器", "传感器"), True),
    ("C2822", 8, ("功能性纤维", "差别化涤纶", "再生纤维"), True),
    ("C2651", 5, ("高性能树脂", "工程塑料", "功能薄膜"), True),
    ("C34", 8, ("智能装备", "精密减速机", "工业机器人"), True),
    ("C35", 6, ("专用设备", "光伏设备", "医疗器械"), True),
    ("C36", 6, ("汽车零部件", "新能源汽车电机", "汽车内饰"), True),
    ("C38", 8, ("储能电池", "智能电网设备", "电线电缆"), True),
    ("C27", 4, ("生物医药", "原料药", "医疗耗材"), True),
    ("C17", 6, ("家纺", "高档面料", "产业用纺织品"), False),
    ("I65", 5, ("软件园", "工业互联网平台", "数据中心"), False),
    ("M73", 4, ("研发中心", "检测认证中心", "中试基地"), False),
    ("G59", 3, ("智慧物流园", "冷链仓储", "供应链中心"), False),
)
CHAIN_INDUSTRIES = {
    "C3982": "高端印制线路板",
    "C3973": "芯片设计",
    "C3985": "半导体材料",
    "C3989": "检测",
}


@dataclass
class SynthEnterprise:
    name: str
    credit_code: str
    industry_code: str
    town: str
    size_class: str
    founded: date
    employees: int
    revenue_yuan: Decimal
    tax_yuan: Decimal
    rd_expense_yuan: Decimal
    rd_ratio: Decimal
    land_mu: Decimal
    is_high_tech: bool | None
    is_specialized: bool | None
    chain_link: str
    contact_name: str
    contact_phone: str


@dataclass
class SynthProject:
    name: str
    town: str
    industry_code: str
    investment_yuan: Decimal
    advanced_manufacturing: bool
    land_mu: Decimal
    chain_link: str
    events: list[tuple[str, date]]
    tags: set[str]
    investor: int  # index into the enterprise list
    monthly: list[tuple[date, Decimal]]


class Generator:
    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self._codes: set[str] = set()
        self._names: set[str] = set()

    def credit_code(self) -> str:
        while True:
            # 9 = registered by market regulator, 1 = enterprise, 320612 = 通州区.
            org = "".join(self.rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
            body = "91320612" + org
            code = body + uscc.calc_check_digit(body)
            if code not in self._codes:
                self._codes.add(code)
                return code

    def company_name(self, suffix: str = "有限公司") -> str:
        kinds = (
            "科技",
            "新材料",
            "电子",
            "智能",
            "实业",
            "精密",
            "装备",
            "机械",
            "生物",
            "能源",
            "纺织",
            "化工",
        )
        for attempt in range(1000):
            first = self.fake.company_prefix()
            second = self.fake.company_prefix() if attempt % 2 else ""
            name = f"南通{first}{second}{self.rng.choice(kinds)}{suffix}"
            if name not in self._names:
                self._names.add(name)
                return name
        raise RuntimeError("ran out of company names")  # bounded: never loops forever

    def industry(self) -> tuple[str, tuple[str, ...], bool]:
        code, _, words, adv = self.rng.choices(INDUSTRIES, weights=[i[1] for i in INDUSTRIES])[0]
        return code, words, adv

    def enterprise(
        self, *, chain_link: str = "", industry_code: str | None = None
    ) -> SynthEnterprise:
        code = industry_code or self.industry()[0]
        employees = int(self.rng.lognormvariate(4.0, 1.1)) + 3
        revenue = Decimal(int(employees * self.rng.uniform(30, 160))) * 10_000
        rd_ratio = Decimal(str(round(self.rng.uniform(0, 9), 2)))
        size = (
            "micro"
            if employees < 20
            else "small"
            if employees < 300
            else "medium"
            if employees < 1000
            else "large"
        )
        return SynthEnterprise(
            name=self.company_name(),
            credit_code=self.credit_code(),
            industry_code=code,
            town=self.rng.choice(("五接镇", *TOWNS)),
            size_class=size,
            founded=date(2000, 1, 1) + timedelta(days=self.rng.randrange(0, 8400)),
            employees=employees,
            revenue_yuan=revenue,
            tax_yuan=(revenue * Decimal(str(round(self.rng.uniform(0.01, 0.08), 3)))).quantize(
                Decimal(1)
            ),
            rd_expense_yuan=(revenue * rd_ratio / 100).quantize(Decimal(1)),
            rd_ratio=rd_ratio,
            land_mu=Decimal(str(round(self.rng.uniform(5, 300), 1))),
            is_high_tech=self.rng.random() < 0.25 if self.rng.random() > 0.05 else None,
            is_specialized=self.rng.random() < 0.08 if self.rng.random() > 0.05 else None,
            chain_link=chain_link,
            contact_name=self.fake.name(),
            contact_phone=self.fake.phone_number(),
        )

    def amount(self, low_yi: float, high_yi: float) -> Decimal:
        """A project size in yuan, log-uniform between two 亿元 bounds, to 0.1亿."""
        value = low_yi * (high_yi / low_yi) ** self.rng.random()
        return Decimal(str(round(value, 1))) * 100_000_000

    def split_total(self, total: Decimal, parts: int) -> list[Decimal]:
        """Split ``total`` yuan into ``parts`` positive amounts of whole 0.1亿."""
        tenths = int(total / 10_000_000)
        cuts = sorted(self.rng.sample(range(1, tenths), parts - 1))
        sizes = [b - a for a, b in zip([0, *cuts], [*cuts, tenths], strict=True)]
        return [Decimal(s) * 10_000_000 for s in sizes]

    def life(self, signed: date, as_of: date) -> list[tuple[str, date]]:
        """A plausible sequence of stage events from signing up to ``as_of``."""
        events = [("signed", signed)]
        day = signed
        steps = [
            ("land", 30, 150),
            ("approval", 10, 90),
            ("started", 10, 120),
            ("production", 240, 540),
            ("capacity", 120, 400),
        ]
        if self.rng.random() < 0.5:
            steps[0], steps[1] = steps[1], steps[0]
        for stage, lo, hi in steps:
            day = day + timedelta(days=self.rng.randint(lo, hi))
            if day > as_of or self.rng.random() < 0.12:
                break
            events.append((stage, day))
        if events[-1][0] in {"signed", "land", "approval"} and self.rng.random() < 0.04:
            halt_day = events[-1][1] + timedelta(days=self.rng.randint(60, 200))
            if halt_day <= as_of:
                events.append((self.rng.choice(("suspended", "terminated")), halt_day))
        return events

    def monthly_investment(
        self, events: list[tuple[str, date]], total: Decimal, as_of: date
    ) -> list[tuple[date, Decimal]]:
        started = next((d for s, d in events if s == "started"), None)
        if started is None:
            return []
        months: list[date] = []
        m = started.replace(day=1)
        while m <= as_of and len(months) < 30:
            months.append(m)
            m = (m + timedelta(days=32)).replace(day=1)
        if not months:
            return []
        spent = total * Decimal(str(round(self.rng.uniform(0.3, 0.9), 2)))
        share = (spent / len(months)).quantize(Decimal(1))
        return [(month, share) for month in months]
