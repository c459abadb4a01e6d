"""Race standings benchmark (issue 3): 20 teams × 50,000 projects/leads × 1,000,000
scored events over 2021–2023, every period (36 months + 12 quarters + 3 years).

    .venv/bin/python bench/race_standings.py                 # engine vs loop + pages
    .venv/bin/python bench/race_standings.py --skip-pages    # no database part

1. Engine: ``engine.standings_many`` over all 51 periods on the in-memory table
   (median of --repeat runs) and peak RSS (VmHWM, reset before the runs).
2. Loop: ``reference.standings_loop`` (one pass over the events per period) on
   a seeded random sample of --loop-events events, scaled linearly to 1,000,000; plus one full
   period over all 1,000,000 events, unscaled. Results are compared with the
   engine's on the same data (must be identical).
3. Pages: the same events written as ledger rows (Project, StageEvent,
   InvestmentReport; bulk_create) to a throwaway SQLite DB
   ($DATABASE_URL, default sqlite:////tmp/race-bench/x.sqlite3), then the
   leaderboard for a month / quarter / year, a team drill-down and the monthly
   report through Django's test Client in-process: median/p95 of --requests
   requests as a ratio to /healthz in the same run.

Prints a table, then one JSON line. See docs/benchmarks.md (race section).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from haotong.race import engine, reference  # noqa: E402
from haotong.race.rules import DEFAULT_WEIGHTS, parse_weights, periods_between  # noqa: E402
from haotong.race.table import EVENT_SCHEMA, Event, TeamRow  # noqa: E402

START, MONTHS = date(2021, 1, 1), 36
AS_OF = date(2023, 12, 31)
KINDS = ["center"] + ["park"] * 3 + ["town"] * 16


def month_first(i: int) -> date:
    return date(START.year + i // 12, i % 12 + 1, 1)


def generate(
    teams: int, projects: int, events: int, seed: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Deterministic events (``random.Random(seed)``; numpy is not a dependency):
    each project signs once, ~70 % start, and it reports investment every month
    from its signing month (one report per project-month), the reports sampled
    down so the table has exactly ``events`` rows."""
    rng = random.Random(seed)
    rows: list[tuple[Any, ...]] = []
    reports: list[tuple[int, int]] = []
    project_info = {}
    for pid in range(1, projects + 1):
        team = rng.randint(1, teams)
        fen = int(math.exp(rng.gauss(20.5, 1.6)) * 100)  # median ≈ 8亿元
        tags = (rng.random() < 0.15, rng.random() < 0.25, rng.random() < 0.17)
        month = rng.randrange(MONTHS)
        signed = month_first(month) + timedelta(days=rng.randrange(28))
        project_info[pid] = (team, fen, tags)
        rows.append(("signed", 0, signed, team, pid, fen, 0, *tags))
        started = signed + timedelta(days=rng.randint(30, 300))
        if rng.random() < 0.7 and started <= AS_OF:
            rows.append(("started", 0, started, team, pid, fen, 0, *tags))
        reports.extend((pid, m) for m in range(month, MONTHS))
    for pid, m in sorted(rng.sample(reports, events - len(rows))):
        team, fen, tags = project_info[pid]
        done = int(rng.expovariate(1 / 0.08) * 1e10)  # mean 800万元 per month
        rows.append(("investment", 0, month_first(m), team, pid, fen, done, *tags))
    table = pl.DataFrame(rows, schema=EVENT_SCHEMA, orient="row").with_columns(
        ref_id=pl.int_range(1, len(rows) + 1, dtype=pl.Int64)
    )
    team_rows = pl.DataFrame(
        [
            (i, f"{kind}-{i:02d}招商队伍", kind, rng.randint(3, 14))
            for i, kind in enumerate(KINDS[:teams], 1)
        ],
        schema={"team_id": pl.Int64, "name": pl.Utf8, "kind": pl.Utf8, "staff": pl.Int64},
        orient="row",
    )
    return table, team_rows


# ---------------------------------------------------------------- memory


def _vm(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000}


def bench_engine(
    events: pl.DataFrame, teams: pl.DataFrame, args: argparse.Namespace
) -> dict[str, Any]:
    rule = parse_weights(DEFAULT_WEIGHTS)
    periods = periods_between(2021, 2023)
    rss_before = _vm("VmRSS")
    engine.standings_many(events, teams, rule, periods, AS_OF)  # warm-up, not timed
    reset_peak()
    runs = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        result = engine.standings_many(events, teams, rule, periods, AS_OF)
        runs.append(time.perf_counter() - t0)
    peak = _vm("VmHWM")
    team_rows = [TeamRow(*r) for r in teams.iter_rows()]
    sample = events.sample(min(args.loop_events, events.height), seed=args.seed).sort("ref_id")
    sample_rows = [Event(*r) for r in sample.iter_rows()]
    t0 = time.perf_counter()
    loop = {
        p.code: reference.standings_loop(sample_rows, team_rows, rule, p, AS_OF) for p in periods
    }
    loop_s = time.perf_counter() - t0
    fast_sample = engine.standings_many(sample, teams, rule, periods, AS_OF)
    all_rows = [Event(*r) for r in events.iter_rows()]
    one = periods[-1]  # the year 2023
    t0 = time.perf_counter()
    full_one = reference.standings_loop(all_rows, team_rows, rule, one, AS_OF)
    full_one_s = time.perf_counter() - t0
    scaled = loop_s * len(events) / len(sample)
    median = statistics.median(runs)
    return {
        "engine_s": median,
        "engine_runs_s": [round(r, 4) for r in runs],
        "engine_peak_rss_mb": round(peak, 1),
        "rss_before_mb": round(rss_before, 1),
        "engine_peak_over_table_mb": round(peak - rss_before, 1),
        "loop_sample_events": len(sample),
        "loop_sample_s": round(loop_s, 3),
        "loop_scaled_s": round(scaled, 2),
        "ratio": round(scaled / median, 1),
        "loop_full_one_period_s": round(full_one_s, 3),
        "loop_full_one_period_x51_s": round(full_one_s * len(periods), 2),
        "agree_sample": all(loop[p.code] == fast_sample[p.code] for p in periods),
        "agree_full_one_period": full_one == result[one.code],
        "periods": len(periods),
    }


# ---------------------------------------------------------------- pages


def _setup_django() -> None:
    os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/race-bench/x.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haotong.settings.dev")
    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def load_ledger(events: pl.DataFrame, teams: pl.DataFrame) -> dict[str, float]:
    """Write the table as ledger rows (synthetic) unless already there."""
    from decimal import Decimal

    from haotong.core.models import DistrictSetting, OrgUnit, Role
    from haotong.core.services import create_org_unit, create_team, create_user
    from haotong.ledger.models import AS_OF_KEY, InvestmentReport, Project, StageEvent
    from haotong.race import services

    if Project.objects.exists():
        return {}
    t0 = time.perf_counter()
    district = create_org_unit(name="基准区", kind=OrgUnit.Kind.DISTRICT, parent=None)
    team_objs = {}
    for tid, name, kind, staff in teams.iter_rows():
        unit = create_org_unit(name=name.removesuffix("招商队伍"), kind="town", parent=district)
        team_objs[tid] = create_team(
            name=name, kind=kind, org_unit=unit, staff=staff, synthetic=True
        )
    create_user(username="leader", password="x", role=Role.LEADER, org_unit=district)
    create_user(
        username="member", password="x", role=Role.TEAM_MEMBER, org_unit=team_objs[1].org_unit
    )
    DistrictSetting.objects.update_or_create(key=AS_OF_KEY, defaults={"value": AS_OF.isoformat()})
    signed = events.filter(pl.col("kind") == "signed").sort("project_id")
    Project.objects.bulk_create(
        [
            Project(
                id=pid,
                name=f"基准项目{pid}",
                town_id=team_objs[tid].org_unit_id,
                owner_team_id=team_objs[tid].pk,
                investment_yuan=Decimal(fen) / 100,
                tag_tech=a,
                tag_talent=b,
                tag_major_attraction=c,
                stage="signed",
                synthetic=True,
            )
            for pid, tid, fen, a, b, c in signed.select(
                "project_id", "team_id", "investment_fen", "tech", "talent", "major"
            ).iter_rows()
        ],
        batch_size=5000,
    )
    stage_rows = events.filter(pl.col("kind") != "investment").select("kind", "on", "project_id")
    StageEvent.objects.bulk_create(
        (StageEvent(project_id=p, stage=k, date=d, source="system", synthetic=True) for k, d, p in stage_rows.iter_rows()),
        batch_size=5000,
    )  # fmt: skip
    reports = events.filter(pl.col("kind") == "investment").select(
        "project_id", "on", "completed_fen"
    )
    InvestmentReport.objects.bulk_create(
        (InvestmentReport(project_id=p, month=d, completed_yuan=Decimal(f) / 100, source="system", synthetic=True)
         for p, d, f in reports.iter_rows()),
        batch_size=5000,
    )  # fmt: skip
    loaded = time.perf_counter() - t0
    services.create_rule_version(
        actor=None,
        weights=DEFAULT_WEIGHTS,
        effective_from=START,
        expected_version=None,
        source="system",
    )
    t0 = time.perf_counter()
    for i in range(MONTHS):
        month = date(START.year + i // 12, i % 12 + 1, 1)
        services.snapshot_month(actor=None, month=month, source="system", as_of=AS_OF)
    return {"load_s": round(loaded, 1), "snapshots_36_s": round(time.perf_counter() - t0, 2)}


def bench_pages(requests: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from haotong.core.models import Team, User

    leader = User.objects.get(username="leader")
    team = Team.objects.order_by("name").first()
    assert team is not None
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(leader)
    pages = [
        ("/healthz (baseline)", "/healthz"),
        ("board month 2023-06", "/race/?period=2023-06"),
        ("board quarter 2023-Q2", "/race/?period=2023-Q2"),
        ("board year 2023", "/race/?period=2023"),
        ("drill-down 1 team, month", f"/race/teams/{team.pk}/?period=2023-06"),
        ("monthly report 2023-06", "/race/reports/2023-06/"),
    ]
    out = []
    for name, url in pages:
        for _ in range(2):
            assert client.get(url).status_code == 200, url
        samples = []
        for _ in range(requests):
            t0 = time.perf_counter()
            client.get(url)
            samples.append(time.perf_counter() - t0)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        out.append({"name": name, "url": url, **_stats(samples), "queries": len(ctx)})
    base = out[0]["median_ms"]
    for row in out:
        row["ratio"] = round(row["median_ms"] / base, 1)
    return {"pages": out}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--projects", type=int, default=50_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20230303)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--loop-events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--skip-pages", action="store_true")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    events, teams = generate(args.teams, args.projects, args.events, args.seed)
    result: dict[str, Any] = {
        "events": events.height,
        "projects": events["project_id"].n_unique(),
        "teams": teams.height,
        "generate_s": round(time.perf_counter() - t0, 2),
        "python": platform.python_version(),
        "polars": pl.__version__,
        "cpus": os.cpu_count(),
    }
    result |= bench_engine(events, teams, args)
    if not args.skip_pages:
        _setup_django()
        result |= load_ledger(events, teams)
        result |= bench_pages(args.requests)
    print_table(result)
    print(json.dumps(result, ensure_ascii=False))
    return 0


def print_table(r: dict[str, Any]) -> None:
    print(
        f"data: {r['teams']} teams × {r['projects']:,} projects × {r['events']:,} events, {r['periods']} periods"
    )
    print(f"{'what':<44}{'seconds':>10}{'peak RSS MB':>13}")
    print(
        f"{'engine, all periods (median of runs)':<44}{r['engine_s']:>10.3f}{r['engine_peak_rss_mb']:>13.0f}"
    )
    print(
        f"{'loop on ' + format(r['loop_sample_events'], ',') + ' events, all periods':<44}{r['loop_sample_s']:>10.2f}"
    )
    print(f"{'loop scaled to all events, all periods':<44}{r['loop_scaled_s']:>10.1f}")
    print(f"{'loop, all events, one period (2023)':<44}{r['loop_full_one_period_s']:>10.2f}")
    print(
        f"ratio loop/engine: {r['ratio']}×   agree(sample): {r['agree_sample']}   agree(full 2023): {r['agree_full_one_period']}"
    )
    for p in r.get("pages", []):
        print(
            f"  {p['name']:<30}{p['median_ms']:>9.1f} ms median{p['p95_ms']:>9.1f} ms p95{p['ratio']:>9}× healthz{p['queries']:>4} queries"
        )


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
