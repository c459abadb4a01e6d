import csv
import io
import json
from dataclasses import fields
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from haotong.core.models import OrgUnit
from haotong.core.services import create_org_unit
from haotong.ledger import exports, queries
from haotong.ledger import services as ledger
from haotong.ledger.models import Groundbreaking, Project

REQUIRED_KEYS = {
    "name",
    "town",
    "investment_yuan",
    "investment_qualifier",
    "stage",
    "stage_date",
    "synthetic",
}


def make_projects(town, team, n: int, *, start: int = 0) -> list[Project]:
    made = []
    for i in range(start, start + n):
        investor = ledger.create_enterprise(
            actor=None, fields={"name": f"企业{i}", "town": town}, source="system"
        )
        project = ledger.create_project(
            actor=None,
            fields={
                "name": f"项目{i}", "town": town, "investment_yuan": Decimal(100_000_000 * (i + 1)),
                "industry_code": "C3982" if i % 2 else "C2651", "owner_team": team,
                "advanced_manufacturing": i % 2 == 1, "synthetic": True,
            },
            investors=[investor], source="system",
        )  # fmt: skip
        ledger.record_stage_event(
            actor=None, project=project, stage="started", on=date(2023, 2, 11), source="system"
        )
        made.append(project)
    return made


def test_project_rows_carry_the_columns_every_format_shares(project):
    (row,) = exports.project_rows(Project.objects.all())
    assert set(row) == {c.key for c in exports.COLUMNS}
    assert REQUIRED_KEYS <= set(row)
    assert row["name"] == "康辉新材料项目"
    assert row["town"] == "五接镇"
    assert row["investment_yuan"] == Decimal("12500000000.00")
    assert (row["investment_qualifier"], row["investment_label"]) == ("near", "近125亿元")
    assert (row["stage"], row["stage_label"], row["stage_date"]) == (
        "signed",
        "签约",
        date(2022, 6, 1),
    )
    assert row["investors"] == ["康辉新材料科技有限公司"]
    assert row["team"] == "五接镇招商队伍"
    assert row["major"] is True
    assert row["synthetic"] is False


@pytest.mark.parametrize("n", [3, 30])
def test_export_queries_do_not_grow_with_rows(n, wujie, wujie_team, django_assert_max_num_queries):
    make_projects(wujie, wujie_team, n)
    with django_assert_max_num_queries(4):
        rows = list(exports.project_rows(Project.objects.all()))
    assert len(rows) == n


def test_csv_has_a_bom_chinese_headers_and_plain_values(project):
    out = io.StringIO()
    exports.write_projects(Project.objects.all(), "csv", out)
    text = out.getvalue()
    assert text.startswith("\ufeff编号,项目名称,所在镇街/园区,总投资（元）,金额限定")
    header, row = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    record = dict(zip(header, row, strict=True))
    assert record["总投资（元）"] == "12500000000.00"
    assert record["金额限定"] == "近"
    assert record["当前阶段"] == "签约"
    assert record["演示生成"] == "否"


def test_xlsx_writes_amounts_as_numbers_and_a_synthetic_column(wujie, wujie_team):
    make_projects(wujie, wujie_team, 2)
    out = io.BytesIO()
    exports.write_projects(Project.objects.order_by("id"), "xlsx", out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    headers = [c.value for c in sheet[1]]
    amount = sheet.cell(row=2, column=headers.index("总投资（元）") + 1)
    assert amount.value == 100_000_000
    assert amount.number_format == "#,##0.00"
    assert sheet.cell(row=2, column=headers.index("演示生成") + 1).value == "是"
    assert sheet.cell(row=2, column=headers.index("阶段日期") + 1).value.date() == date(2023, 2, 11)


def test_an_export_can_be_imported_back_as_the_same_projects(project, wujie, colleague):
    """The export's headers are import synonyms: edit an export, import it elsewhere."""
    from haotong.imports import services as imports

    out = io.BytesIO()
    exports.write_projects(Project.objects.all(), "xlsx", out)
    Project.objects.all().delete()
    pending = imports.stage_upload(
        actor=colleague, file_name="export.xlsx", content=out.getvalue(), size=1
    )
    result = imports.commit_import(actor=colleague, pending=pending)
    assert [str(e) for e in result.errors] == []
    again = Project.objects.get()
    assert (again.name, again.investment_yuan, again.investment_qualifier) == (
        "康辉新材料项目", Decimal("12500000000.00"), "near",
    )  # fmt: skip
    assert (again.stage, again.stage_date, again.owner_team.name) == (
        "signed",
        date(2022, 6, 1),
        "五接镇招商队伍",
    )


def test_cli_exports_projects_as_json_objects(project):
    out = io.StringIO()
    call_command("export", "projects", "--format", "json", stdout=out)
    (obj,) = json.loads(out.getvalue())
    assert REQUIRED_KEYS <= set(obj)
    assert obj["investment_yuan"] == 12500000000
    assert obj["investment_qualifier"] == "near"
    assert obj["stage"] == "signed"
    assert obj["stage_date"] == "2022-06-01"
    assert obj["synthetic"] is False


def test_cli_csv_and_xlsx_use_the_same_columns_as_the_web_export(project, tmp_path):
    target = tmp_path / "ledger.xlsx"
    call_command(
        "export", "projects", "--format", "xlsx", "--out", str(target), stderr=io.StringIO()
    )
    headers = [c.value for c in load_workbook(target).active[1]]
    assert headers == [str(c.header) for c in exports.COLUMNS]
    out = io.StringIO()
    call_command("export", "projects", "--format", "csv", stdout=out)
    assert out.getvalue().lstrip("\ufeff").splitlines()[0] == ",".join(headers)


def test_cli_refuses_xlsx_to_a_text_stream(project):
    with pytest.raises(CommandError, match="--out"):
        call_command("export", "projects", "--format", "xlsx", stdout=io.StringIO())


@pytest.fixture
def batch(wujie, xiting, wujie_team) -> Groundbreaking:
    projects = make_projects(wujie, wujie_team, 3) + make_projects(xiting, None, 1, start=3)
    return ledger.create_groundbreaking(
        actor=None, name="一季度集中开工", on=date(2023, 2, 11), projects=projects, source="system"
    )


def test_groundbreaking_summary_is_computed_from_the_projects(batch):
    # investments: 项目0 1亿 (C26), 项目1 2亿 (C39, adv), 项目2 3亿 (C26), 项目3 4亿 (C39, adv, 西亭镇)
    summary = queries.groundbreaking_summary(batch)
    assert summary.project_count == 4
    assert summary.total_investment_yuan == Decimal("1000000000")
    assert [(s.label, s.count, s.share) for s in summary.by_town] == [
        ("五接镇", 3, Decimal("0.6000")), ("西亭镇", 1, Decimal("0.4000")),
    ]  # fmt: skip
    assert [(s.key, s.share) for s in summary.by_industry] == [
        ("C39", Decimal("0.6000")),
        ("C26", Decimal("0.4000")),
    ]
    assert summary.advanced_manufacturing_share == Decimal("0.6000")
    assert summary.advanced_manufacturing_count_share == Decimal("0.5000")


def test_groundbreaking_totals_in_sql_equal_the_summary_from_the_projects(batch, wujie):
    # The dashboard's line is summed by the database; the batch page sums in Python.
    # Both must say the same, for all projects and for one town's.
    headline = [f.name for f in fields(queries.GroundbreakingTotals)]
    for scope in (None, Project.objects.filter(town=wujie)):
        (summary,) = queries.groundbreaking_summaries(projects=scope)
        (totals,) = queries.groundbreaking_totals(scope)
        assert {f: getattr(totals, f) for f in headline} == {
            f: getattr(summary, f) for f in headline
        }
    assert totals.project_count == 3  # the town's three, not the batch's four


def test_groundbreaking_summaries_take_the_same_queries_for_any_size(batch, wujie, wujie_team):
    with CaptureQueriesContext(connection) as small:
        list(queries.groundbreaking_summaries())
    more = make_projects(wujie, wujie_team, 20, start=10)
    ledger.create_groundbreaking(
        actor=None, name="二季度", on=date(2023, 5, 1), projects=more, source="system"
    )
    with CaptureQueriesContext(connection) as large:
        summaries = list(queries.groundbreaking_summaries())
    assert len(summaries) == 2
    assert len(large.captured_queries) == len(small.captured_queries) == 2


def test_cli_exports_groundbreakings_as_json(batch):
    out = io.StringIO()
    call_command("export", "groundbreakings", "--format", "json", stdout=out)
    (obj,) = json.loads(out.getvalue())
    assert obj["date"] == "2023-02-11"
    assert obj["project_count"] == 4
    assert obj["total_investment_yuan"] == 1000000000
    assert obj["advanced_manufacturing_share"] == 0.6
    assert obj["shares"]["by_town"][0] == {
        "key": "五接镇", "label": "五接镇", "count": 3, "investment_yuan": 600000000, "share": 0.6,
        "count_share": 0.75,
    }  # fmt: skip
    assert len(obj["projects"]) == 4


# --- the web export, as owner / colleague / outsider ------------------------------


def _download(rf, user, queryset) -> list[list]:
    request = rf.get("/projects/export.xlsx")
    request.user = user
    response = exports.export_projects_xlsx(request, queryset)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]


@pytest.fixture
def xiting_project(xiting) -> Project:
    return ledger.create_project(
        actor=None,
        fields={"name": "西亭项目", "town": xiting, "investment_yuan": Decimal(1)},
        source="system",
    )


def test_owner_exports_exactly_the_filtered_rows_of_their_town(rf, owner, project, xiting_project):
    rows = _download(rf, owner, Project.objects.filter(stage="signed"))
    assert [r[1] for r in rows] == ["康辉新材料项目"]


def test_colleague_exports_every_town(rf, colleague, project, xiting_project):
    assert sorted(r[1] for r in _download(rf, colleague, Project.objects.all())) == [
        "康辉新材料项目",
        "西亭项目",
    ]


def test_outsider_never_gets_another_towns_rows_even_if_asked(
    rf, outsider, project, xiting_project
):
    rows = _download(rf, outsider, Project.objects.filter(town__kind=OrgUnit.Kind.TOWN))
    assert [r[1] for r in rows] == ["西亭项目"]


def test_a_park_project_is_exported_with_its_park(rf, colleague, district):
    park = create_org_unit(name="南通高新区", kind=OrgUnit.Kind.PARK, parent=district)
    ledger.create_project(
        actor=None,
        fields={"name": "园区项目", "town": park, "investment_yuan": Decimal(5)},
        source="system",
    )
    (row,) = _download(rf, colleague, Project.objects.all())
    assert row[2] == "南通高新区"
