"""The default rubric: what a fresh district (and the demo) starts from. Data only;
the district edits it on the 研判规则 page, which publishes a new policy version."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

D = Decimal

# 0–10 points each; weights sum to 9.5. 能耗与环保 carries the 环保红线 veto.
DEFAULT_CRITERIA: tuple[dict[str, Any], ...] = (
    {"code": "investment_intensity", "name": "投资强度", "measure": "固定资产投资 万元/亩",
     "min_score": D(0), "max_score": D(10), "weight": D(2), "veto": False, "veto_below": None},
    {"code": "tax_per_mu", "name": "亩均税收", "measure": "达产后年税收 万元/亩",
     "min_score": D(0), "max_score": D(10), "weight": D(2), "veto": False, "veto_below": None},
    {"code": "industry_fit", "name": "产业契合度", "measure": "与主导产业链、链主企业的契合程度",
     "min_score": D(0), "max_score": D(10), "weight": D("1.5"), "veto": False, "veto_below": None},
    {"code": "technology", "name": "技术先进性", "measure": "工艺、装备与研发水平",
     "min_score": D(0), "max_score": D(10), "weight": D("1.5"), "veto": False, "veto_below": None},
    {"code": "energy_environment", "name": "能耗与环保", "measure": "单位能耗、排放；环保红线一票否决",
     "min_score": D(0), "max_score": D(10), "weight": D("1.5"), "veto": True, "veto_below": D(4)},
    {"code": "employment", "name": "就业", "measure": "新增就业岗位",
     "min_score": D(0), "max_score": D(10), "weight": D(1), "veto": False, "veto_below": None},
)  # fmt: skip
