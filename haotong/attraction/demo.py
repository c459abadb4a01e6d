"""Attraction demo data: the article's chain (新一代信息技术, anchors 深南电路 and
展华电子, the ledger demo's 49 chain firms) and a few hundred synthetic leads with
two years of follow-ups up to the article's date, including a handful of deliberate
cross-team duplicates so the conflict list has work in it. Deterministic from
``context.seed``; every generated record is flagged synthetic (shown as 演示)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from faker import Faker

from haotong.attraction import chains, conflicts, duplicates, services, stages
from haotong.attraction.models import ChainLink, Lead, LeadActivity
from haotong.core.demo import article
from haotong.core.models import Team
from haotong.ledger.models import Project, StageEvent

if TYPE_CHECKING:
    from haotong.core.demo.loader import DemoContext

SYSTEM = "system"
OPEN_LEADS = 190
ABANDONED_LEADS = 45
SIGNED_LEADS = 140
DUPLICATE_PAIRS = 6
# Upstream → downstream. The article names five links; 半导体设备 and 晶圆制造 are
# demo additions (flagged synthetic) so the gap analysis has empty links to show.
LINKS = (
    ("半导体材料", "C3985", False),
    ("半导体设备", "C3562", True),
    ("芯片设计", "C3973", False),
    ("晶圆制造", "C3973", True),
    ("封装载板", "C3982", False),
    ("检测", "C3989", False),
    ("高端印制线路板", "C3982", False),
)
_SYLLABLES = "华鼎盛瑞恒宏鑫源泰达凯睿博芯微创晶科联泽嘉昊宸铭骏逸衡朗锐弘启航远拓中正昌裕通"
_KINDS = ("电子", "半导体", "新材料", "精密", "智能", "光电", "装备", "微电子", "集成电路", "电气")
_CITIES = ("苏州", "上海", "深圳", "无锡", "杭州", "合肥", "北京", "宁波", "成都", "东莞")
_PRODUCTS = ("生产基地", "研发中心", "产业园", "智能工厂", "总部基地", "扩产")
_NOTES = (
    "介绍区位与产业政策",
    "对方关注用地与能耗指标",
    "带队考察园区载体",
    "洽谈投资协议条款",
    "对接供应链配套",
    "回复对方提出的问题清单",
    "电话了解投资方决策进度",
)
_ABANDON = (
    "投资方转投外地",
    "用地指标不足",
    "产业不符合导向",
    "投资方资金链紧张",
    "环评要求难以满足",
)


class _Names:
    """Investor names that never collide by accident (so only deliberate pairs conflict)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.keys: list[str] = []
        self.project_keys: list[str] = []

    def take_project(self, name: str) -> bool:
        key = duplicates.normalise_project(name)
        if any(duplicates.similarity(key, k) >= duplicates.THRESHOLD for k in self.project_keys):
            return False
        self.project_keys.append(key)
        return True

    def take(self, name: str) -> bool:
        """Reserve ``name`` unless it is too like one already used."""
        key = duplicates.normalise_company(name)
        if any(duplicates.similarity(key, k) >= duplicates.THRESHOLD for k in self.keys):
            return False
        self.keys.append(key)
        return True

    def investor(self) -> tuple[str, str]:
        for _ in range(1000):
            short = "".join(self.rng.sample(_SYLLABLES, 2)) + self.rng.choice(_KINDS)
            if self.take(short):
                return short, f"{self.rng.choice(_CITIES)}{short}有限公司"
        raise RuntimeError("ran out of investor names")  # bounded


def load(context: DemoContext) -> dict[str, int]:
    rng = random.Random(context.seed + 3)
    fake = Faker("zh_CN")
    fake.seed_instance(context.seed + 3)
    links = _chain(rng)
    teams = list(context.teams.values())
    names = _Names(rng)
    leads = _signed_leads(rng, fake, context.as_of, links, names)
    leads += _open_leads(rng, fake, context.as_of, teams, links, names)
    leads += _duplicates(rng, fake, context.as_of, teams, leads)
    conflicts.detect_all()
    return {
        "chain_links": len(links),
        "chain_firms": sum(link.firms.count() for link in links.values()),
        "leads": len(leads),
        "lead_activities": LeadActivity.objects.count(),
        "lead_conflicts": conflicts.LeadConflict.objects.count(),
    }


def _chain(rng: random.Random) -> dict[str, ChainLink]:
    chain = chains.create_chain(
        actor=None,
        name=article.CHAIN_NAME,
        links=[n for n, _, _ in LINKS],
        source="document",
        description=f"{article.SOURCE}：围绕新一代信息技术产业这一主导产业，全力推进产业链精准招商",
        synthetic_links=[n for n, _, made_up in LINKS if made_up],
    )
    links = {link.name: link for link in chain.links.all()}
    for name, code, _ in LINKS:
        ChainLink.objects.filter(pk=links[name].pk).update(industry_codes=code)
        links[name].industry_codes = code
    chains.sync_firms(actor=None, chain=chain, source=SYSTEM, anchors=article.ANCHOR_FIRMS)
    names = _Names(rng)
    for name in ("半导体设备", "晶圆制造", "检测"):
        chains.add_targets(
            actor=None,
            link=links[name],
            source=SYSTEM,
            synthetic=True,
            note="演示数据：目标企业为程序生成的名称",
            names=[names.investor()[1] for _ in range(4)],
        )
    return links


def _signed_leads(
    rng: random.Random, fake: Faker, as_of: date, links: dict[str, ChainLink], names: _Names
) -> list[Lead]:
    """Leads that became the ledger demo's projects, so the race has a lead behind each."""
    signed_on = dict(StageEvent.objects.filter(stage="signed").values_list("project_id", "date"))
    started_on = dict(StageEvent.objects.filter(stage="started").values_list("project_id", "date"))
    projects = list(
        Project.objects.filter(synthetic=True, owner_team__isnull=False, pk__in=signed_on)
        .select_related("owner_team")
        .prefetch_related("investors")
        .order_by("pk")
    )
    out: list[Lead] = []
    rng.shuffle(projects)
    for project in projects:
        investor = next(iter(project.investors.all()), None)
        if (
            len(out) == SIGNED_LEADS
            or investor is None
            or not names.take_project(project.name)
            or not names.take(investor.name)
        ):
            continue  # one lead per investor and project: only the deliberate pairs conflict
        signed = signed_on[project.pk]
        assert project.owner_team is not None  # filtered above
        lead = _lead(
            rng,
            fake,
            as_of,
            project.owner_team,
            links,
            start=signed - timedelta(days=rng.randint(60, 300)),
            project_name=project.name,
            investor=(investor.name, investor),
            amount=project.investment_yuan,
            link=links.get(project.chain_link),
        )
        _walk(rng, fake, lead, [stages.CONTACTED, stages.INSPECTED, stages.NEGOTIATING], signed)
        services.sign_lead(
            actor=None, lead=lead, on=signed, town=None, project=project, source=SYSTEM, today=as_of
        )
        if project.pk in started_on:
            services.move_lead(
                actor=None,
                lead=lead,
                stage=stages.LANDED,
                on=started_on[project.pk],
                source=SYSTEM,
                today=as_of,
            )
        out.append(lead)
    return out


def _open_leads(
    rng: random.Random,
    fake: Faker,
    as_of: date,
    teams: list[Team],
    links: dict[str, ChainLink],
    names: _Names,
) -> list[Lead]:
    out = []
    for i in range(OPEN_LEADS + ABANDONED_LEADS):
        short, investor = names.investor()
        product = rng.choice(_PRODUCTS)
        while not names.take_project(f"{short}{product}项目"):
            short, investor = names.investor()
        link = rng.choice([*links.values(), None, None, None])
        start = as_of - timedelta(days=rng.randint(10, 700))
        lead = _lead(
            rng,
            fake,
            as_of,
            rng.choice(teams),
            links,
            start=start,
            link=link,
            project_name=f"{short}{product}项目",
            investor=(investor, None),
            amount=Decimal(rng.choice((3, 5, 8, 12, 20, 30, 50, 80, 120))) * 10**7,
        )
        # Some leads go quiet: their follow-ups stop well before the article's date.
        quiet = rng.random() < 0.25
        end = start + (as_of - start) * rng.uniform(0.2, 0.6) if quiet else as_of
        depth = rng.randint(0, 3)
        _walk(
            rng, fake, lead, [stages.CONTACTED, stages.INSPECTED, stages.NEGOTIATING][:depth], end
        )
        if i >= OPEN_LEADS:
            services.move_lead(
                actor=None,
                lead=lead,
                stage=stages.ABANDONED,
                source=SYSTEM,
                on=max(lead.stage_on, end),
                reason=rng.choice(_ABANDON),
                today=as_of,
            )
        out.append(lead)
    return out


def _duplicates(
    rng: random.Random, fake: Faker, as_of: date, teams: list[Team], leads: list[Lead]
) -> list[Lead]:
    """Another team chasing the same investor under a different spelling."""
    open_leads = [lead for lead in leads if lead.is_open and not lead.investor_id]
    out = []
    for original in rng.sample(open_leads, DUPLICATE_PAIRS):
        city = next(c for c in _CITIES if original.investor_name.startswith(c))
        short = original.investor_name.removeprefix(city).removesuffix("有限公司")
        variant = rng.choice(
            (
                f"{short}({city})股份有限公司",
                f"江苏{short}科技集团有限公司",
                f"{city}{short}有限责任公司",
            )
        )
        team = rng.choice([t for t in teams if t.pk != original.team_id])
        lead = _lead(
            rng,
            fake,
            as_of,
            team,
            {},
            start=original.acquired_on + timedelta(days=rng.randint(0, 40)),
            project_name=original.project_name.replace("项目", "建设项目"),
            investor=(variant, None),
            amount=original.intended_investment_yuan,
            link=original.chain_link,
        )
        _walk(rng, fake, lead, [stages.CONTACTED], as_of)
        out.append(lead)
    return out


def _lead(
    rng: random.Random,
    fake: Faker,
    as_of: date,
    team: Team,
    links: dict[str, ChainLink],
    *,
    start: date,
    project_name: str,
    investor: tuple[str, object],
    amount: Decimal | None,
    link: ChainLink | None,
) -> Lead:
    name, enterprise = investor
    source = (
        Lead.Source.CHAIN
        if link is not None and rng.random() < 0.5
        else rng.choice([s for s in Lead.Source.values if s != Lead.Source.CHAIN])
    )
    return services.create_lead(
        actor=None,
        source=SYSTEM,
        source_detail="演示数据：由 haotong demo 按固定随机种子生成",
        fields={
            "project_name": project_name,
            "investor_name": name,
            "investor": enterprise,
            "source": source,
            "industry_code": link.industry_codes if link else "",
            "chain_link": link,
            "intended_investment_yuan": amount,
            "team": team,
            "acquired_on": start,
            "synthetic": True,
            "next_action": rng.choice(("回访", "邀请考察", "提交投资方案", "")),
            "next_action_on": max(start, as_of - timedelta(days=20))
            + timedelta(days=rng.randint(0, 60)),
        },
    )


def _walk(rng: random.Random, fake: Faker, lead: Lead, path: list[str], until: date) -> None:
    """Follow-ups every few weeks from acquisition to ``until``, moving along ``path``."""
    day, steps = lead.acquired_on, list(path)
    span = max((until - day).days, 1)
    moves = sorted(rng.sample(range(1, span), min(len(steps), span - 1))) if steps else []
    while True:
        day += timedelta(days=rng.randint(7, 45))
        if day >= until:
            break
        services.log_activity(
            actor=None,
            lead=lead,
            kind=rng.choice(LeadActivity.Kind.values),
            on=day,
            who=fake.name(),
            note=rng.choice(_NOTES),
            source=SYSTEM,
            synthetic=True,
            today=until,
        )
    for offset, stage in zip(moves, steps, strict=False):
        on = lead.acquired_on + timedelta(days=offset)
        if on < until:
            services.move_lead(
                actor=None,
                lead=lead,
                stage=stage,
                on=max(on, lead.stage_on),
                source=SYSTEM,
                today=until,
            )
