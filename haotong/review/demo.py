"""Demo reviews: the gate's cut-over date, the default rules, department reviewers and
three synthetic reviews as of the article's date — one passed, one in progress with a
late department (chased), one not passed on the 环保红线 veto. All through the services."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from haotong.core.demo.loader import DEMO_PASSWORD, SYNTH_NOTE, DemoContext
from haotong.core.models import DistrictSetting, OrgUnit, Role, User
from haotong.core.services import create_user
from haotong.ledger import services as ledger
from haotong.ledger.models import Project
from haotong.review import gate, services
from haotong.review.models import Review

SYSTEM = "system"
# (username, department): the core demo's "reviewer" sits in 区生态环境局.
REVIEWERS = (
    ("reviewer", "区生态环境局"),
    ("rv_ziranziyuan", "区自然资源和规划分局"),
    ("rv_gongxin", "区工信局"),
    ("rv_shangwu", "区商务局"),
    ("rv_shuiwu", "区税务局"),
)


@dataclass(frozen=True)
class DemoReview:
    name: str
    town: str
    yi: tuple[int, int]  # investment range in 亿元
    industry_code: str
    chain_link: str
    called_on: date
    answered: int  # how many departments (in REVIEWERS order) give their opinion
    scores: tuple[int, int]  # score range for ordinary criteria
    env_score: int  # 能耗与环保 from 区生态环境局 (below 4 vetoes)
    decide_on: date | None


PLANS = (
    DemoReview("高端封装载板扩产项目", "五接镇", (30, 45), "C3982", "封装载板",
               date(2023, 1, 30), 5, (8, 9), 8, date(2023, 2, 10)),
    DemoReview("半导体电子化学品项目", "南通高新区", (12, 20), "C3985", "半导体材料",
               date(2023, 2, 20), 3, (6, 9), 7, None),
    DemoReview("有机化工中间体项目", "西亭镇", (3, 8), "C2614", "",
               date(2023, 1, 16), 5, (5, 8), 2, date(2023, 2, 1)),
)  # fmt: skip


def load(context: DemoContext) -> dict[str, int]:
    rng = random.Random(context.seed + 7)
    DistrictSetting.objects.update_or_create(
        key=gate.REQUIRED_SINCE_KEY,
        defaults={
            "value": (context.as_of + timedelta(days=1)).isoformat(),
            "description": "自该日起，达到门槛的项目须经研判会商通过方可签约",
        },
    )
    services.ensure_policy()
    reviewers = _reviewers(context.units)
    analyst = User.objects.get(username="analyst")
    leader = User.objects.get(username="leader")
    opinions = 0
    for plan in PLANS:
        project = _project(plan, context, rng)
        review = services.start_review(
            actor=analyst, project=project, source=SYSTEM, on=plan.called_on, synthetic=True,
            departments=[context.units[dept] for _, dept in REVIEWERS],
            note="演示会商：各部门按评分细则独立打分",
        )  # fmt: skip
        opinions += _opinions(review, plan, reviewers, rng)
        if plan.decide_on is None:
            late = review.invitations.get(department__name=REVIEWERS[-1][1])
            services.chase_invitation(
                actor=analyst, invitation=late, source=SYSTEM, on=date(2023, 3, 1),
                note="请于3月3日前反馈亩均税收测算意见",
            )  # fmt: skip
            continue
        review.refresh_from_db()
        services.record_verdict(
            actor=leader, review=review, expected_version=review.version, source=SYSTEM,
            on=plan.decide_on,
        )  # fmt: skip
    return {"reviews": Review.objects.filter(synthetic=True).count(), "review_opinions": opinions}


def _reviewers(units: dict[str, OrgUnit]) -> dict[str, User]:
    found = {}
    for username, dept in REVIEWERS:
        user = User.objects.filter(username=username).first() or create_user(
            username=username, password=DEMO_PASSWORD, role=Role.REVIEWER,
            org_unit=units[dept], display_name=f"{dept}审核员",
        )  # fmt: skip
        found[dept] = user
    return found


def _project(plan: DemoReview, context: DemoContext, rng: random.Random) -> Project:
    yi = Decimal(rng.randint(*plan.yi))
    land = (yi * Decimal(rng.randint(6, 12))).quantize(Decimal(1))
    return ledger.create_project(
        actor=None, source=SYSTEM, source_detail=SYNTH_NOTE,
        fields={
            "name": plan.name, "town": context.units[plan.town],
            "investment_yuan": yi * 100_000_000, "fixed_asset_yuan": yi * 80_000_000,
            "industry_code": plan.industry_code, "chain_link": plan.chain_link,
            "land_mu": land, "planned_tax_yuan": yi * Decimal(rng.randint(4, 9)) * 1_000_000,
            "advanced_manufacturing": plan.industry_code.startswith("C39"),
            "owner_team": context.teams[plan.town],
            "synthetic": True, "source_note": SYNTH_NOTE,
        },
    )  # fmt: skip


def _opinions(
    review: Review, plan: DemoReview, reviewers: dict[str, User], rng: random.Random
) -> int:
    criteria = list(review.policy.criteria.all())
    for i, (_, dept) in enumerate(REVIEWERS[: plan.answered]):
        scores = {c.code: Decimal(rng.randint(*plan.scores)) for c in criteria}
        if dept == "区生态环境局":
            scores["energy_environment"] = Decimal(plan.env_score)
        vetoed = plan.env_score < 4 and dept == "区生态环境局"
        services.submit_opinion(
            actor=reviewers[dept], review=review, scores=scores, source=SYSTEM,
            on=review.deadline + timedelta(days=2 * (i == 1)),
            comments="涉及环保红线，不予支持。" if vetoed else f"{dept}原则同意，详见评分。",
            conditions="须落实能耗等量替代方案" if dept == "区工信局" and not plan.decide_on else "",
        )  # fmt: skip
    return plan.answered
