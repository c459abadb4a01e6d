"""Load the demo district: Tongzhou as the article describes it, filled out with
deterministic synthetic records. Everything goes through the service functions,
so the demo has the same audit trail a real district would."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from haotong.core.demo import article
from haotong.core.demo.synthetic import DEPARTMENTS, SECTION_NAMES, SEED, TOWNS, Generator
from haotong.core.models import DistrictSetting, OrgUnit, Role, Team
from haotong.core.services import create_org_unit, create_team, create_user
from haotong.ledger import services as ledger
from haotong.ledger.models import AS_OF_KEY, MAJOR_THRESHOLD_KEY, Enterprise, Project

TOTAL_PROJECTS = 300
TOTAL_ENTERPRISES = 3000
DEMO_PASSWORD = "haotong-demo"
SYSTEM = "system"
DOCUMENT = "document"
SYNTH_NOTE = "演示数据：由 haotong demo 按固定随机种子生成，并非真实记录"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    unit: str
    note: str


ACCOUNTS = (
    DemoAccount("leader", Role.LEADER, article.DISTRICT, "区领导：全区总览"),
    DemoAccount("analyst", Role.ANALYST, "区发改委", "发改委：台账、集中开工、导入导出"),
    DemoAccount("wujie", Role.TEAM_MEMBER, "五接镇", "五接镇招商队伍：只看本镇"),
    DemoAccount("center", Role.TEAM_MEMBER, article.CENTER, "区投资服务中心招商队伍"),
    DemoAccount("park", Role.TEAM_MEMBER, article.PARK, "南通高新区招商队伍"),
    DemoAccount("reviewer", Role.REVIEWER, "区生态环境局", "部门审核员"),
    DemoAccount("clerk", Role.CLERK, "区行政审批局", "审批窗口"),
    DemoAccount("auditor", Role.AUDITOR, article.DISTRICT, "审计：只读全部记录与留痕"),
    DemoAccount("admin", Role.ADMIN, article.DISTRICT, "系统管理员（含后台）"),
)


@dataclass(frozen=True)
class DemoContext:
    """What the ledger demo made, for other apps' demo loaders to build on."""

    units: dict[str, OrgUnit]
    teams: dict[str, Team]
    enterprises: list[Enterprise]
    article_projects: list[Project]
    seed: int = SEED
    as_of: date = article.ARTICLE_AS_OF


# Each module has ``load(context: DemoContext) -> dict[str, int]`` (counts to report),
# runs inside the same transaction and draws its randomness from ``context.seed``.
DEMO_EXTENSIONS = (
    "haotong.attraction.demo",
    "haotong.race.demo",
    "haotong.review.demo",
    "haotong.policies.demo",
    "haotong.ingest.demo",
)


def is_loaded() -> bool:
    return OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT, name=article.DISTRICT).exists()


@transaction.atomic
def load(*, projects: int = TOTAL_PROJECTS, enterprises: int = TOTAL_ENTERPRISES) -> dict[str, int]:
    gen = Generator()
    units = _org_units()
    teams = _teams(units)
    _settings()
    firms = _enterprises(gen, units, enterprises)
    real = _article_projects(units, teams)
    synth = _synthetic_projects(gen, units, teams, firms, projects - len(real), real)
    _accounts(units, firms)
    counts = {
        "org_units": OrgUnit.objects.count(),
        "teams": len(teams),
        "enterprises": len(firms),
        "projects": len(real) + synth,
    }
    context = DemoContext(units=units, teams=teams, enterprises=firms, article_projects=real)
    for module_name in DEMO_EXTENSIONS:
        counts |= importlib.import_module(module_name).load(context)
    return counts


def _org_units() -> dict[str, OrgUnit]:
    district = create_org_unit(name=article.DISTRICT, kind=OrgUnit.Kind.DISTRICT, parent=None)
    units = {article.DISTRICT: district}
    assert len(DEPARTMENTS) == article.DEPARTMENTS
    extra_sections = article.SECTIONS - article.DEPARTMENTS
    for i, name in enumerate(DEPARTMENTS):
        dept = create_org_unit(
            name=name, kind=OrgUnit.Kind.DEPARTMENT, parent=district, synthetic=True
        )
        units[name] = dept
        for j in range(2 if i < extra_sections else 1):
            section = SECTION_NAMES[(i + j) % len(SECTION_NAMES)]
            create_org_unit(name=section, kind=OrgUnit.Kind.SECTION, parent=dept, synthetic=True)
    units[article.CENTER] = create_org_unit(
        name=article.CENTER, kind=OrgUnit.Kind.CENTER, parent=district
    )
    units[article.PARK] = create_org_unit(
        name=article.PARK, kind=OrgUnit.Kind.PARK, parent=district
    )
    for town in article.ARTICLE_TOWNS:
        units[town] = create_org_unit(name=town, kind=OrgUnit.Kind.TOWN, parent=district)
    for town in TOWNS:
        units[town] = create_org_unit(
            name=town, kind=OrgUnit.Kind.TOWN, parent=district, synthetic=True
        )
    return units


def _teams(units: dict[str, OrgUnit]) -> dict[str, Team]:
    teams = {
        article.CENTER: create_team(
            name=f"{article.CENTER}招商队伍",
            kind=Team.Kind.CENTER,
            org_unit=units[article.CENTER],
            staff=12,
        ),
        article.PARK: create_team(
            name=f"{article.PARK}招商队伍",
            kind=Team.Kind.PARK,
            org_unit=units[article.PARK],
            staff=10,
        ),
    }
    for i, town in enumerate((*article.ARTICLE_TOWNS, *TOWNS)):
        teams[town] = create_team(
            name=f"{town}招商队伍",
            kind=Team.Kind.TOWN,
            org_unit=units[town],
            staff=4 + i % 4,
            synthetic=units[town].synthetic,
        )
    return teams


def _settings() -> None:
    DistrictSetting.objects.update_or_create(
        key=MAJOR_THRESHOLD_KEY,
        defaults={"value": "1000000000", "description": "重大项目门槛：总投资（元）"},
    )
    DistrictSetting.objects.update_or_create(
        key=AS_OF_KEY,
        defaults={
            "value": article.ARTICLE_AS_OF.isoformat(),
            "description": "台账数据截至日期（演示数据截至报道日期）",
        },
    )
    # Set before the history loads: the review gate (review/gate.py) does not re-judge it.
    DistrictSetting.objects.update_or_create(
        key="review_required_since",
        defaults={
            "value": (article.ARTICLE_AS_OF + timedelta(days=1)).isoformat(),
            "description": "自该日起，达到门槛的项目须经研判会商通过方可签约",
        },
    )


def _enterprises(gen: Generator, units: dict[str, OrgUnit], total: int) -> list[Enterprise]:
    firms = [
        ledger.create_enterprise(
            actor=None,
            source=DOCUMENT,
            source_detail=article.SOURCE,
            fields={
                "name": name,
                "industry_code": "C3982",
                "chain_link": "高端印制线路板",
                "source_note": f"{article.SOURCE}：依托深南电路、展华电子等企业",
            },
        )
        for name in article.ANCHOR_FIRMS
    ]
    chain_codes = ["C3982", "C3973", "C3985", "C3989"]
    for i in range(total - len(firms)):
        is_chain = i < article.CHAIN_FIRMS - len(article.ANCHOR_FIRMS)
        code = chain_codes[i % 4] if is_chain else None
        link = article.CHAIN_LINKS[i % len(article.CHAIN_LINKS)] if is_chain else ""
        e = gen.enterprise(chain_link=link, industry_code=code)
        fields = {k: v for k, v in vars(e).items() if k != "town"}
        fields |= {"town": units[e.town], "synthetic": True, "source_note": SYNTH_NOTE}
        firms.append(
            ledger.create_enterprise(
                actor=None, fields=fields, source=SYSTEM, source_detail=SYNTH_NOTE
            )
        )
    return firms


def _article_projects(units: dict[str, OrgUnit], teams: dict[str, Team]) -> list[Project]:
    out = []
    for fact in article.PROJECTS:
        town = units[fact.town or article.DISTRICT]
        project = ledger.create_project(
            actor=None,
            source=DOCUMENT,
            source_detail=article.SOURCE,
            fields={
                "name": fact.name,
                "aliases": fact.aliases,
                "town": town,
                "investment_yuan": fact.investment_yuan,
                "investment_qualifier": fact.qualifier,
                "industry_code": fact.industry_code,
                "chain_link": fact.chain_link,
                "capacity_text": fact.capacity_text,
                "planned_output_yuan": fact.planned_output_yuan,
                "tag_major_attraction": "major_attraction" in fact.tags,
                "advanced_manufacturing": fact.advanced_manufacturing,
                "owner_team": teams.get(fact.town) if fact.town else None,
                "source_note": article.SOURCE,
            },
        )
        for ev in fact.events:
            ledger.record_stage_event(
                actor=None,
                project=project,
                stage=ev.stage,
                on=ev.on,
                precision=ev.precision,
                source=DOCUMENT,
                source_detail=article.SOURCE,
                evidence=ev.evidence,
            )
        out.append(project)
    return out


def _synthetic_projects(
    gen: Generator,
    units: dict[str, OrgUnit],
    teams: dict[str, Team],
    firms: list[Enterprise],
    count: int,
    real: list[Project],
) -> int:
    as_of = article.ARTICLE_AS_OF
    window_start = as_of - timedelta(days=730)
    places = ["五接镇", *TOWNS, article.PARK]
    # Tags the article counts; the real projects already hold two 重大招商.
    real_major = sum(p.tag_major_attraction for p in real)
    tag_plan = (
        ["major_attraction"] * (article.MAJOR_ATTRACTION_PROJECTS - real_major)
        + ["tech"] * article.TECH_PROJECTS
        + ["talent"] * article.TALENT_PROJECTS
    )
    batch_size = article.GROUNDBREAKING_COUNT - 1  # 康源电路 is the sixteenth
    kangyuan = next(p for p in real if p.name == "康源电路项目")
    assert kangyuan.investment_yuan is not None
    batch_amounts = gen.split_total(
        article.GROUNDBREAKING_TOTAL - kangyuan.investment_yuan, batch_size
    )
    batch: list[Project] = [kangyuan]
    names: set[str] = set()
    for i in range(count):
        code, words, adv = gen.industry()
        in_batch = i < batch_size
        tag = tag_plan[i - batch_size] if batch_size <= i < batch_size + len(tag_plan) else ""
        if in_batch:
            adv = True
            amount = batch_amounts[i]
            signed = article.GROUNDBREAKING_DATE - timedelta(days=gen.rng.randint(120, 400))
            events = [
                ("signed", signed),
                ("land", signed + timedelta(days=60)),
                ("approval", signed + timedelta(days=90)),
                ("started", article.GROUNDBREAKING_DATE),
            ]
        else:
            amount = gen.amount(5, 80) if tag == "major_attraction" else gen.amount(0.2, 15)
            signed = window_start + timedelta(days=gen.rng.randrange(0, 700))
            events = gen.life(signed, as_of)
        place = gen.rng.choice(places)
        name = _project_name(gen, words, amount, names)
        investor = firms[gen.rng.randrange(len(firms))]
        project = ledger.create_project(
            actor=None,
            source=SYSTEM,
            source_detail=SYNTH_NOTE,
            investors=[investor],
            fields={
                "name": name,
                "town": units[place],
                "investment_yuan": amount,
                "industry_code": code,
                "advanced_manufacturing": adv,
                "fixed_asset_yuan": (amount * Decimal("0.8")).quantize(Decimal(1)),
                "land_mu": Decimal(
                    str(round(float(amount) / 100_000_000 * gen.rng.uniform(8, 25), 1))
                ),
                "chain_link": {
                    "C3982": "高端印制线路板",
                    "C3973": "芯片设计",
                    "C3985": "半导体材料",
                }.get(code, ""),
                "tag_tech": tag == "tech",
                "tag_talent": tag == "talent",
                "tag_major_attraction": tag == "major_attraction",
                "owner_team": teams[place],
                "synthetic": True,
                "source_note": SYNTH_NOTE,
            },
        )
        for stage, on in events:
            ledger.record_stage_event(
                actor=None,
                project=project,
                stage=stage,
                on=on,
                source=SYSTEM,
                source_detail=SYNTH_NOTE,
                synthetic=True,
                today=as_of,
            )
        for month, value in gen.monthly_investment(events, amount, as_of):
            ledger.record_investment(
                actor=None,
                project=project,
                month=month,
                completed_yuan=value,
                source=SYSTEM,
                synthetic=True,
            )
        if in_batch:
            batch.append(project)
    ledger.create_groundbreaking(
        actor=None,
        name="2023年一季度重大项目集中开工",
        on=article.GROUNDBREAKING_DATE,
        projects=batch,
        source=DOCUMENT,
        source_note=f"{article.SOURCE}：{article.GROUNDBREAKING_EVIDENCE}",
        reported_count=article.GROUNDBREAKING_COUNT,
        reported_total_yuan=article.GROUNDBREAKING_TOTAL,
    )
    return count


def _project_name(gen: Generator, words: tuple[str, ...], amount: Decimal, taken: set[str]) -> str:
    for attempt in range(1000):
        prefix = gen.fake.company_prefix() + (gen.fake.company_prefix() if attempt > 20 else "")
        scale = gen.rng.choice(("年产", "新建", "扩建", ""))
        name = f"{prefix}{scale}{gen.rng.choice(words)}项目"
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError("ran out of project names")  # bounded: never loops forever


def _accounts(units: dict[str, OrgUnit], firms: list[Enterprise]) -> None:
    for acc in ACCOUNTS:
        create_user(
            username=acc.username,
            password=DEMO_PASSWORD,
            role=acc.role,
            org_unit=units[acc.unit],
            display_name=acc.note.split("：")[0],
        )
    synthetic_firm = next(f for f in firms if f.synthetic and f.projects.exists())
    create_user(
        username="enterprise",
        password=DEMO_PASSWORD,
        role=Role.ENTERPRISE,
        org_unit=None,
        display_name="企业用户（演示）",
        enterprise_id=synthetic_firm.pk,
    )


def accounts_table() -> str:
    lines = [f"  {a.username:<10} {DEMO_PASSWORD}   {a.note}" for a in ACCOUNTS]
    lines.append(f"  {'enterprise':<10} {DEMO_PASSWORD}   企业用户：只看本企业及其项目")
    return "\n".join(lines)
