"""Demo policies: a package shaped like the article's "48+7条" 惠企政策 plus the
富民创业贷 that 秦先生 received (15万元). The real clauses are not in the
article, so every clause here is a generated example, flagged synthetic and
shown 演示. Deterministic from ``context.seed``; written through the services.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from haotong.policies import outreach, services, workflow
from haotong.policies.eligibility import run_match
from haotong.policies.models import Clause, Eligibility, Grant, OutreachTask, Policy

if TYPE_CHECKING:
    from haotong.core.demo.loader import DemoContext
    from haotong.core.models import OrgUnit

SYSTEM = "system"
SOURCE_SENTENCE = "制定出台“48+7条”惠企政策，推动政策红利“应享尽享”，减税降费和退税缓税超50亿元。"
NOTE = (
    "演示数据：报道只提到“48+7条”惠企政策，没有给出条款原文。以下条款按其形状由程序生成，"
    "规则与金额均为示例，并非真实政策。报道原句："
)


@dataclass(frozen=True)
class Template:
    title: str
    rule: str  # {a} {b} are filled from the choices below
    formula: str
    cap: int | None
    auto: bool
    department: str
    a: tuple[str, ...] = ("",)
    b: tuple[str, ...] = ("",)


TEMPLATES = (
    Template("研发投入奖励", "rd_ratio >= {a} and is_high_tech", "min(rd_expense_yuan * 0.{b}, 200万)",
             2_000_000, True, "区科技局", ("3", "4", "5"), ("05", "1")),
    Template("高新技术企业认定奖励", "is_high_tech and revenue_yuan >= {a}万", "{b}万", None, True,
             "区科技局", ("500", "1000", "2000"), ("10", "20")),
    Template("专精特新企业奖励", "is_specialized and employees >= {a}", "{b}万", None, True,
             "区工信局", ("20", "50"), ("30", "50")),
    Template("亩均税收领跑奖励", "land_mu > 0 and tax_yuan / land_mu >= {a}万", "tax_yuan * 0.0{b}",
             1_000_000, False, "区工信局", ("5", "8", "10"), ("1", "2")),
    Template("产业链配套奖励", "industry_code startswith ('{a}') and revenue_yuan >= 3000万",
             "revenue_yuan * 0.001", 500_000, False, "区工信局", ("C39", "C38", "C34", "C28")),
    Template("重点镇街稳岗补贴", "town in ('五接镇', '{a}') and employees >= {b}", "employees * 500",
             300_000, True, "区人社局", ("兴仁镇", "西亭镇", "平潮镇"), ("50", "100")),
    Template("小升规奖励", "size_class in ('small', 'micro') and revenue_yuan >= {a}万", "10万", None,
             False, "区统计局", ("2000", "2500")),
    Template("纳税贡献奖励", "tax_yuan >= {a}万", "min(tax_yuan * 0.01, 100万)", 1_000_000,
             False, "区税务局", ("100", "300", "500")),
    Template("绿色低碳改造补助", "land_mu >= {a} and not industry_code startswith ('C17')",
             "min(land_mu * 1000, 50万)", 500_000, False, "区生态环境局", ("30", "50", "100")),
    Template("新设企业开办补贴", "age_years <= {a} and employees >= 10", "2万", None, True,
             "区行政审批局", ("1", "2")),
    Template("产值跨越奖励", "output_yuan >= {a}亿", "output_yuan * 0.0005", 1_000_000, False,
             "区工信局", ("1", "5")),
    Template("服务业提质奖励", "industry_code startswith ('I', 'M', 'G') and revenue_yuan >= {a}万",
             "5万", None, False, "区商务局", ("500", "1000")),
)  # fmt: skip
STARTUP_LOAN = Template(
    "富民创业贷（最高15万元）",
    "age_years <= 3 and employees <= 50 and size_class in ('micro', 'small')",
    "15万",
    150_000,
    False,
    "区人社局",
)


def _fields(t: Template, rng: random.Random, units: dict[str, OrgUnit], title: str) -> dict:
    fill = {"a": rng.choice(t.a), "b": rng.choice(t.b)}
    return {
        "title": title,
        "rule": t.rule.format(**fill),
        "benefit_formula": t.formula.format(**fill),
        "cap_yuan": None if t.cap is None else Decimal(t.cap),
        "auto_grant": t.auto,
        "combinable": rng.random() > 0.15,
        "department": units[t.department],
    }


def _policy(title: str, number: str, context: DemoContext, text: str) -> Policy:
    return services.create_policy(
        actor=None,
        source=SYSTEM,
        fields={
            "title": title,
            "issuer": "南通市通州区人民政府（示例）",
            "document_number": number,
            "period_start": context.as_of.replace(month=1, day=1),
            "period_end": context.as_of.replace(year=context.as_of.year + 2, month=12, day=31),
            "text": text,
            "synthetic": True,
        },
    )


def _catalogue(context: DemoContext, rng: random.Random) -> list[Clause]:
    main = _policy("关于推动经济高质量发展的若干政策措施（48条，示例）",
                   "通政规〔2023〕示例1号", context, NOTE + SOURCE_SENTENCE)  # fmt: skip
    extra = _policy("关于助企纾困稳增长的补充措施（7条，示例）",
                    "通政规〔2023〕示例2号", context, NOTE + SOURCE_SENTENCE)  # fmt: skip
    loan = _policy("富民创业贷实施办法（示例）", "通人社发〔2023〕示例3号", context,
                   "演示数据：报道中秦先生经通州区就业创业办来电告知，拿到15万元富民创业贷。"
                   "规则为示例，并非真实办法。")  # fmt: skip
    clauses = []
    for policy, count, prefix in ((main, 48, "第"), (extra, 7, "补充第")):
        for i in range(count):
            t = TEMPLATES[(i + (3 if prefix != "第" else 0)) % len(TEMPLATES)]
            fields = _fields(t, rng, context.units, t.title)
            fields["code"] = f"{prefix}{i + 1}条"
            clauses.append(services.create_clause(actor=None, policy=policy, fields=fields,
                                                  source=SYSTEM, refresh=False))  # fmt: skip
    fields = _fields(STARTUP_LOAN, rng, context.units, STARTUP_LOAN.title)
    fields |= {"code": "第1条", "combinable": True}
    clauses.append(services.create_clause(actor=None, policy=loan, fields=fields,
                                          source=SYSTEM, refresh=False))  # fmt: skip
    return clauses


def _outreach(rng: random.Random, context: DemoContext, clauses: list[Clause]) -> None:
    """A few contact tasks in each state, among the 富民创业贷 and other eligible pairs."""
    outcomes = ["", "", "will_apply", "applied", "declined", "unreachable"]
    picks = list(
        Eligibility.objects.filter(status="eligible", clause__in=clauses[-1:] + clauses[:6])
        .select_related("enterprise", "clause__department")
        .order_by("clause_id", "enterprise_id")[:200]
    )
    for row in rng.sample(picks, min(18, len(picks))):
        try:
            task = outreach.create_outreach_task(actor=None, enterprise=row.enterprise,
                                                 clause=row.clause, assignee=None, source=SYSTEM,
                                                 synthetic=True)  # fmt: skip
        except ValidationError:
            continue  # the 富民创业贷 story already has this task
        outcome = rng.choice(outcomes)
        if outcome:
            outreach.record_outreach_outcome(
                actor=None, task=task, expected_version=task.version, outcome=outcome,
                contacted_on=context.as_of - timedelta(days=rng.randrange(1, 60)),
                note="演示：电话告知政策", source=SYSTEM,
            )  # fmt: skip


def _grants(rng: random.Random, context: DemoContext, clauses: list[Clause]) -> None:
    rows = list(
        Eligibility.objects.filter(status="eligible", clause__in=clauses)
        .exclude(benefit_yuan=None)
        .select_related("enterprise", "clause")
        .order_by("id")
    )
    plans = {True: [workflow.MATCHED, workflow.CONFIRMED, workflow.PAID, workflow.PAID,
                    workflow.DECLINED],
             False: [workflow.APPLIED, workflow.PAID, workflow.PAID, workflow.REJECTED]}  # fmt: skip
    for i, row in enumerate(rng.sample(rows, min(60, len(rows)))):
        plan = plans[row.clause.auto_grant]
        try:  # cycle through the plans so that every state shows up
            _grant(row, plan[i % len(plan)], context, rng)
        except ValidationError:
            continue  # a non-combinable clause already taken: the demo skips it, as staff would


def _grant(row: Eligibility, target: str, context: DemoContext, rng: random.Random) -> Grant:
    opener = outreach.start_auto_grant if row.clause.auto_grant else outreach.record_application
    grant = opener(actor=None, enterprise=row.enterprise, clause=row.clause, source=SYSTEM,
                   synthetic=True)  # fmt: skip
    path = {
        workflow.CONFIRMED: [workflow.CONFIRMED],
        workflow.PAID: [workflow.CONFIRMED, workflow.PAID] if grant.auto else [workflow.PAID],
        workflow.DECLINED: [workflow.DECLINED],
        workflow.REJECTED: [workflow.REJECTED],
    }.get(target, [])
    for step in path:
        grant = outreach.advance_grant(
            actor=None, grant=grant, expected_version=grant.version, to=step, source=SYSTEM,
            amount_yuan=row.benefit_yuan, note="演示",
            paid_on=context.as_of - timedelta(days=rng.randrange(0, 40)),
        )  # fmt: skip
    return grant


def _startup_loan_story(context: DemoContext, loan: Clause) -> None:
    """The article's case: phoned by the 就业创业办, then 15万元 paid."""
    row = (
        Eligibility.objects.filter(clause=loan, status="eligible")
        .exclude(enterprise_id__in=OutreachTask.objects.filter(clause=loan).values("enterprise"))
        .select_related("enterprise")
        .order_by("enterprise_id")
        .first()
    )
    if row is None:
        return
    task = outreach.create_outreach_task(actor=None, enterprise=row.enterprise, clause=loan,
                                         assignee=None, source=SYSTEM, synthetic=True)  # fmt: skip
    outreach.record_outreach_outcome(
        actor=None, task=task, expected_version=task.version, outcome="applied",
        contacted_on=context.as_of - timedelta(days=20), source=SYSTEM,
        note="演示：就业创业办电话告知创业贷款政策（仿报道中秦先生一例）",
    )  # fmt: skip
    grant = outreach.record_application(actor=None, enterprise=row.enterprise, clause=loan,
                                        source=SYSTEM, synthetic=True)  # fmt: skip
    outreach.advance_grant(actor=None, grant=grant, expected_version=grant.version,
                           to=workflow.PAID, amount_yuan=Decimal(150_000), source=SYSTEM,
                           paid_on=context.as_of - timedelta(days=5), note="演示：拨付15万元")  # fmt: skip


def load(context: DemoContext) -> dict[str, int]:
    rng = random.Random(context.seed * 7 + 4)
    clauses = _catalogue(context, rng)
    run = run_match(actor=None)
    _startup_loan_story(context, clauses[-1])
    _outreach(rng, context, clauses)
    _grants(rng, context, clauses)
    return {
        "policies": Policy.objects.count(),
        "policy_clauses": len(clauses),
        "policy_eligible_pairs": run.eligible,
        "policy_unknown_pairs": run.unknown,
        "outreach_tasks": OutreachTask.objects.count(),
        "grants": Grant.objects.count(),
    }
