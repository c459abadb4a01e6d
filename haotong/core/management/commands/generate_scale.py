"""``haotong generate_scale``: a province-scale synthetic ledger for benchmarks.

A BULK LOADER, NOT THE WRITE PATH. It fills an empty, migrated database with
``bulk_create`` in batches and deliberately bypasses the audited service
functions (no AuditEntry rows, no per-record ``full_clean``): at 100,000 projects
and 1,000,000 stage events the services would take hours. Every record is
``synthetic=True``. The stage events still obey the stage machine: each
project's events are replayed through ``haotong.ledger.stages.replay`` before
they are written, and Project.stage/stage_date are set from that replay.
Deterministic: the same arguments and seed give
the same database (apart from timestamps).
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connection, transaction
from stdnum.cn import uscc

from haotong.core.demo.loader import DEMO_PASSWORD
from haotong.core.demo.synthetic import INDUSTRIES
from haotong.core.models import DistrictSetting, OrgUnit, Role, Team, User
from haotong.core.services import create_org_unit, create_team, create_user
from haotong.ledger import stages
from haotong.ledger.models import (
    AS_OF_KEY,
    MAJOR_THRESHOLD_KEY,
    Enterprise,
    Groundbreaking,
    InvestmentReport,
    Project,
    StageEvent,
)

SEED = 20250630
AS_OF = date(2025, 6, 30)
WINDOW_DAYS = 6 * 365  # events fall in the six years before AS_OF
NOTE = "规模测试数据：由 haotong generate_scale 批量生成，并非真实记录"
DISTRICT = "规模测试区"
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100 organisation-code characters
# The normal life of a project; index = how far it got.
FORWARD = (
    stages.SIGNED,
    stages.LAND,
    stages.APPROVAL,
    stages.STARTED,
    stages.COMPLETED,
    stages.PRODUCTION,
    stages.CAPACITY,
)
_HALTABLE = {stages.SIGNED, stages.LAND, stages.APPROVAL, stages.STARTED, stages.COMPLETED, stages.PRODUCTION}  # fmt: skip
_TOWN_FIRST = "东西南北新金石平兴安"
_TOWN_SECOND = "港桥湖山河沙坝集亭庄"
_KINDS = ("科技", "新材料", "电子", "智能", "实业", "精密", "装备", "机械", "生物", "能源")


class Command(BaseCommand):
    help = (
        "Fill an EMPTY, migrated database with a province-scale synthetic ledger for "
        "benchmarks (bench/ledger_pages.py): one district with ~100 towns/parks and their "
        "teams, enterprises, N projects with ~N×K stage events that obey the stage machine "
        "(replayed through haotong.ledger.stages before writing), monthly investment reports "
        "and quarterly groundbreakings; Project.stage/stage_date are set from the events. "
        "It is a bulk loader: it uses bulk_create and deliberately bypasses the audited "
        "service functions (no audit trail), and marks every record synthetic=True. It also "
        "creates the users 'analyst' (发改委) and 'town' (a town's team member), password "
        f"'{DEMO_PASSWORD}'. Deterministic for a given --seed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--projects", type=int, default=100_000)
        parser.add_argument("--events-per-project", type=float, default=10.0,
                            help="average stage events per project (default 10)")  # fmt: skip
        parser.add_argument("--enterprises", type=int, default=None,
                            help="default: half the number of projects")  # fmt: skip
        parser.add_argument("--towns", type=int, default=100, help="towns and parks (10..100)")
        parser.add_argument("--seed", type=int, default=SEED)
        parser.add_argument("--batch-size", type=int, default=2000,
                            help="projects generated and written per transaction")  # fmt: skip

    def handle(self, *args: Any, **opts: Any) -> None:
        n, k = opts["projects"], opts["events_per_project"]
        m = opts["enterprises"] if opts["enterprises"] is not None else max(10, n // 2)
        towns = opts["towns"]
        if n < 1 or k < 1 or m < 1 or not 10 <= towns <= 100:
            raise CommandError(
                "--projects ≥ 1, --events-per-project ≥ 1, --enterprises ≥ 1, 10 ≤ --towns ≤ 100"
            )
        if OrgUnit.objects.exists() or Project.objects.exists() or Enterprise.objects.exists():
            raise CommandError("数据库不是空的：generate_scale 只向刚 migrate 的空库写入。")
        started = time.monotonic()
        gen = _Generator(
            opts["seed"], n=n, k=k, m=m, towns=towns, batch=opts["batch_size"], out=self.stdout
        )
        counts = gen.run()
        took = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(
            "generate_scale: " + ", ".join(f"{key} {value:,}" for key, value in counts.items()) + f" in {took:.0f} s"
        ))  # fmt: skip


class _Generator:
    def __init__(
        self, seed: int, *, n: int, k: float, m: int, towns: int, batch: int, out: Any
    ) -> None:
        self.rng = random.Random(seed)
        self.n, self.k, self.m, self.towns, self.batch, self.out = n, k, m, towns, batch, out
        self.industries = [(code, words, adv) for code, _w, words, adv in INDUSTRIES]
        self.weights = [w for _c, w, _words, _a in INDUSTRIES]
        # Quarterly groundbreakings over the window (the middle of each quarter's second month).
        first = AS_OF - timedelta(days=WINDOW_DAYS)
        self.batch_dates = []
        year, quarter = first.year, (first.month - 1) // 3
        while True:
            day = date(year, quarter * 3 + 2, 15)
            if day > AS_OF:
                break
            if day >= first:
                self.batch_dates.append(day)
            year, quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)
        self.batch_members: dict[date, list[int]] = {d: [] for d in self.batch_dates}

    # --- org units, teams, enterprises, users ---

    def _units(self) -> tuple[OrgUnit, list[OrgUnit], list[Team], Team]:
        district = create_org_unit(
            name=DISTRICT, kind=OrgUnit.Kind.DISTRICT, parent=None, synthetic=True
        )
        create_org_unit(
            name="区发改委", kind=OrgUnit.Kind.DEPARTMENT, parent=district, synthetic=True
        )
        for dept in ("区自然资源和规划分局", "区生态环境局", "区行政审批局", "区商务局"):
            create_org_unit(
                name=dept, kind=OrgUnit.Kind.DEPARTMENT, parent=district, synthetic=True
            )
        center = create_org_unit(
            name="区投资服务中心", kind=OrgUnit.Kind.CENTER, parent=district, synthetic=True
        )
        places: list[OrgUnit] = []
        parks = max(1, self.towns // 10)
        for i in range(self.towns):
            a, b = _TOWN_FIRST[i // 10 % 10], _TOWN_SECOND[i % 10]
            if i < parks:
                unit = create_org_unit(
                    name=f"{a}{b}高新区", kind=OrgUnit.Kind.PARK, parent=district, synthetic=True
                )
            else:
                suffix = "街道" if i % 7 == 0 else "镇"
                unit = create_org_unit(
                    name=f"{a}{b}{suffix}", kind=OrgUnit.Kind.TOWN, parent=district, synthetic=True
                )
            places.append(unit)
        center_team = create_team(name="区投资服务中心招商队伍", kind=Team.Kind.CENTER, org_unit=center,
                                  staff=12, synthetic=True)  # fmt: skip
        teams = [
            create_team(name=f"{u.name}招商队伍", kind=Team.Kind.PARK if u.kind == OrgUnit.Kind.PARK else Team.Kind.TOWN,
                        org_unit=u, staff=4 + i % 5, synthetic=True)
            for i, u in enumerate(places)
        ]  # fmt: skip
        return district, places, teams, center_team

    def _enterprises(self, places: list[OrgUnit]) -> None:
        rng, rows = self.rng, []
        for i in range(1, self.m + 1):
            org = _base31(i * 7_919_423 % 31**9)  # a bijection on 9 characters: unique codes
            body = "91320600" + org
            employees = int(rng.lognormvariate(4.0, 1.1)) + 3
            revenue = Decimal(int(employees * rng.uniform(30, 160))) * 10_000
            rd_ratio = Decimal(str(round(rng.uniform(0, 9), 2)))
            code, _words, _adv = rng.choices(self.industries, weights=self.weights)[0]
            rows.append(Enterprise(
                id=i, credit_code=body + _check_digit(body),
                name=f"规模测试{rng.choice(_KINDS)}有限公司{i:07d}", industry_code=code,
                town_id=places[rng.randrange(len(places))].pk,
                size_class="micro" if employees < 20 else "small" if employees < 300 else "medium" if employees < 1000 else "large",
                founded=date(2000, 1, 1) + timedelta(days=rng.randrange(0, 8400)), employees=employees,
                revenue_yuan=revenue, tax_yuan=(revenue * Decimal("0.04")).quantize(Decimal(1)),
                rd_expense_yuan=(revenue * rd_ratio / 100).quantize(Decimal(1)), rd_ratio=rd_ratio,
                is_high_tech=rng.random() < 0.25, is_specialized=rng.random() < 0.08,
                synthetic=True, source_note=NOTE,
            ))  # fmt: skip
            if len(rows) >= 5000:
                Enterprise.objects.bulk_create(rows, batch_size=1000)
                rows = []
        Enterprise.objects.bulk_create(rows, batch_size=1000)

    # --- one project's life ---

    def _event_count(self) -> int:
        """Events for one project: mean ≈ K, a long tail (a few projects with 40–80)."""
        rng = self.rng
        if rng.random() < 0.01:
            return rng.randint(40, 80)
        mean_rest = (self.k - 0.01 * 60) / 0.99
        return max(1, min(39, round(rng.gammavariate(2.0, max(mean_rest, 1.0) / 2.0))))

    def _life(self, t: int) -> list[str]:
        """``t`` stage codes in an order the stage machine allows."""
        rng = self.rng
        f_max = min(6, t - 1)
        f = f_max if rng.random() < 0.6 else rng.randint(0, f_max)
        extra = t - (f + 1)
        if extra % 2:
            if f < 6:
                f, extra = f + 1, extra - 1
            else:
                f, extra = 5, extra + 1
        loops = {"land_approval": 0, "completed_production": 0}
        suspend_at: dict[str, int] = {}
        for _ in range(extra // 2):
            kinds = ["suspend"]
            if f >= 2:
                kinds += ["land_approval", "land_approval"]
            if f >= 5:
                kinds += ["completed_production", "completed_production"]
            kind = rng.choice(kinds)
            if kind == "suspend":
                stage = FORWARD[rng.randint(0, min(f, 5))]
                suspend_at[stage] = suspend_at.get(stage, 0) + 1
            else:
                loops[kind] += 1
        out: list[str] = []
        for stage in FORWARD[: f + 1]:
            out.append(stage)
            if stage == stages.APPROVAL:  # land in phases: 分期供地, each with its approvals
                out += [stages.LAND, stages.APPROVAL] * loops["land_approval"]
            if stage == stages.PRODUCTION:  # phased plant: completed and producing by phase
                out += [stages.COMPLETED, stages.PRODUCTION] * loops["completed_production"]
            out += [stages.SUSPENDED, stage] * suspend_at.get(stage, 0)  # suspended, then resumed
        if out[-1] in _HALTABLE and rng.random() < 0.03:
            out.append(rng.choice((stages.SUSPENDED, stages.TERMINATED)))
        return out

    def _dates(self, count: int) -> list[date]:
        rng = self.rng
        max_gap = max(1, min(120, 2 * WINDOW_DAYS // max(count, 1)))
        gaps = [0] + [rng.randint(0, max_gap) for _ in range(count - 1)]
        span = sum(gaps)
        day = AS_OF - timedelta(days=span + rng.randint(0, max(0, WINDOW_DAYS - span)))
        out = []
        for gap in gaps:
            day += timedelta(days=gap)
            out.append(day)
        return out

    # --- the main loop ---

    def run(self) -> dict[str, int]:
        t0 = time.monotonic()
        with transaction.atomic():
            district, places, teams, center_team = self._units()
            DistrictSetting.objects.update_or_create(key=MAJOR_THRESHOLD_KEY, defaults={"value": "1000000000", "description": "重大项目门槛：总投资（元）"})  # fmt: skip
            DistrictSetting.objects.update_or_create(key=AS_OF_KEY, defaults={"value": AS_OF.isoformat(), "description": "台账数据截至日期（规模测试数据）"})  # fmt: skip
            self._enterprises(places)
        self.out.write(f"  org units, teams, {self.m:,} enterprises: {time.monotonic() - t0:.0f} s")
        totals = {"projects": 0, "events": 0, "reports": 0}
        for start in range(0, self.n, self.batch):
            with transaction.atomic():
                self._chunk(
                    range(start + 1, min(self.n, start + self.batch) + 1),
                    places,
                    teams,
                    center_team,
                    totals,
                )
            done = min(self.n, start + self.batch)
            if done % 20_000 < self.batch or done == self.n:
                self.out.write(
                    f"  {done:,} projects, {totals['events']:,} events: {time.monotonic() - t0:.0f} s"
                )
        with transaction.atomic():
            through = Groundbreaking.projects.through
            links = []
            for day in self.batch_dates:
                batch = Groundbreaking.objects.create(
                    name=f"{day.year}年第{(day.month - 1) // 3 + 1}季度重大项目集中开工", date=day,
                    source_note=NOTE,
                )  # fmt: skip
                links += [
                    through(groundbreaking_id=batch.pk, project_id=pid)
                    for pid in self.batch_members[day]
                ]
            through.objects.bulk_create(links, batch_size=5000)
            self._users(district, places)
        self._reset_sequences()
        if connection.vendor == "postgresql":
            with (
                connection.cursor() as cursor
            ):  # what autovacuum would do shortly after a bulk load
                cursor.execute("ANALYZE")
        return {**totals, "enterprises": self.m, "towns_and_parks": len(places),
                "groundbreakings": len(self.batch_dates), "groundbreaking_projects": len(links)}  # fmt: skip

    def _chunk(self, ids: range, places: list[OrgUnit], teams: list[Team], center_team: Team,
               totals: dict[str, int]) -> None:  # fmt: skip
        rng = self.rng
        projects, investors, events, reports = [], [], [], []
        investor_through = Project.investors.through
        first_batch = self.batch_dates[0] if self.batch_dates else None
        for pid in ids:
            place = rng.randrange(len(places))
            code, words, adv = rng.choices(self.industries, weights=self.weights)[0]
            # Log-uniform 0.05亿..200亿, to 0.01亿.
            amount = Decimal(str(round(0.05 * 4000 ** rng.random(), 2))) * 100_000_000
            codes = self._life(self._event_count())
            dates = self._dates(len(codes))
            state = stages.replay(
                zip(codes, dates, strict=True), today=AS_OF
            )  # the machine must accept it
            tag = rng.random()
            team = center_team if rng.random() < 0.1 else teams[place]
            projects.append(Project(
                id=pid, name=f"规模测试{rng.choice(words)}项目{pid:07d}", town_id=places[place].pk,
                industry_code=code, investment_yuan=amount,
                investment_qualifier=rng.choice(("", "", "", "", "", "", "about", "over", "near", "planned")),
                fixed_asset_yuan=(amount * Decimal("0.8")).quantize(Decimal(1)),
                land_mu=Decimal(str(round(float(amount) / 1e8 * rng.uniform(8, 25), 1))),
                tag_major_attraction=tag < 0.15, tag_tech=0.15 <= tag < 0.3, tag_talent=0.3 <= tag < 0.45,
                advanced_manufacturing=adv, owner_team_id=team.pk, synthetic=True, source_note=NOTE,
                stage=state.stage or "", stage_date=state.since,
            ))  # fmt: skip
            for e in {rng.randint(1, self.m) for _ in range(1 + (rng.random() < 0.2))}:
                investors.append(investor_through(project_id=pid, enterprise_id=e))
            for stage, on in zip(codes, dates, strict=True):
                events.append(StageEvent(
                    project_id=pid, stage=stage, date=on, source="system", source_detail=NOTE, synthetic=True,
                ))  # fmt: skip
            started_on = next(
                (d for s, d in zip(codes, dates, strict=True) if s == stages.STARTED), None
            )
            if started_on is not None:
                if first_batch is not None and rng.random() < 0.1:
                    quarter = min(self.batch_dates, key=lambda d: abs((d - started_on).days))
                    self.batch_members[quarter].append(pid)
                done_on = next((d for s, d in zip(codes, dates, strict=True)
                                if s in {stages.COMPLETED, stages.PRODUCTION}), AS_OF)  # fmt: skip
                if state.stage == stages.STARTED and rng.random() < 0.1:
                    done_on = AS_OF - timedelta(
                        days=rng.randint(100, 400)
                    )  # 在建, no recent report
                months = _months(started_on, min(done_on, AS_OF))[-12:]
                if months:
                    share = (amount * Decimal(str(round(rng.uniform(0.3, 0.9), 2))) / 12).quantize(
                        Decimal(1)
                    )
                    reports += [InvestmentReport(project_id=pid, month=mo, completed_yuan=share, source="system",
                                                 synthetic=True) for mo in months]  # fmt: skip
        Project.objects.bulk_create(projects, batch_size=1000)
        investor_through.objects.bulk_create(investors, batch_size=5000)
        StageEvent.objects.bulk_create(events, batch_size=5000)
        InvestmentReport.objects.bulk_create(reports, batch_size=5000)
        totals["projects"] += len(projects)
        totals["events"] += len(events)
        totals["reports"] += len(reports)

    def _users(self, district: OrgUnit, places: list[OrgUnit]) -> None:
        if not User.objects.filter(username="analyst").exists():
            ndrc = OrgUnit.objects.get(parent=district, name="区发改委")
            create_user(username="analyst", password=DEMO_PASSWORD, role=Role.ANALYST, org_unit=ndrc,
                        display_name="发改委（规模测试）")  # fmt: skip
        if not User.objects.filter(username="town").exists():
            town = next(u for u in places if u.kind == OrgUnit.Kind.TOWN)
            create_user(username="town", password=DEMO_PASSWORD, role=Role.TEAM_MEMBER, org_unit=town,
                        display_name=f"{town.name}招商队伍（规模测试）")  # fmt: skip

    def _reset_sequences(self) -> None:
        """Projects and enterprises were written with explicit ids: move the sequences on."""
        sql = connection.ops.sequence_reset_sql(no_style(), [Project, Enterprise])
        if sql:
            with connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)


def _base31(value: int) -> str:
    chars = []
    for _ in range(9):
        value, digit = divmod(value, 31)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def _check_digit(body: str) -> str:
    return uscc.calc_check_digit(body)


def _months(start: date, end: date) -> list[date]:
    months, m = [], start.replace(day=1)
    while m <= end:
        months.append(m)
        m = (m + timedelta(days=32)).replace(day=1)
    return months
