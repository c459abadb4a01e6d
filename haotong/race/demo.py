"""Demo data for the race: scoring rule v1 and a monthly report for every month of
the demo's two years up to its as-of date (2023-03-03). Nothing here is random:
the standings follow from the ledger's (synthetic and article) events."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from haotong.race import services
from haotong.race.rules import DEFAULT_WEIGHTS

if TYPE_CHECKING:
    from haotong.core.demo.loader import DemoContext

RULE_START = date(2021, 1, 1)


def months(first: date, last: date) -> list[date]:
    out, month = [], first.replace(day=1)
    while month <= last:
        out.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return out


def load(context: DemoContext) -> dict[str, int]:
    services.create_rule_version(
        actor=None,
        weights=DEFAULT_WEIGHTS,
        effective_from=RULE_START,
        note="演示：默认计分规则 v1",
        expected_version=services.latest_version(),
        source="system",
    )
    window = months(context.as_of - timedelta(days=730), context.as_of)
    for month in window:
        services.snapshot_month(actor=None, month=month, source="system", as_of=context.as_of)
    return {"race_rules": 1, "race_reports": len(window)}
