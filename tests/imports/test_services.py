from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from haotong.core.models import AuditEntry, Role
from haotong.core.services import create_user
from haotong.imports import services
from haotong.imports.models import PendingImport
from haotong.imports.safety import UploadRefused
from haotong.ledger.models import Enterprise, Project, StageEvent
from tests.imports.conftest import good_rows, xlsx

TODAY = date(2024, 6, 1)


def stage(actor, content: bytes, name: str = "清单.xlsx") -> PendingImport:
    return services.stage_upload(actor=actor, file_name=name, content=content, size=len(content))


def errors(result) -> list[str]:
    return [str(e) for e in result.errors]


def test_a_good_file_creates_projects_events_and_enterprises_audited_as_import(owner, wujie_team):
    pending = stage(owner, xlsx(good_rows()), "五接镇清单.xlsx")
    result = services.commit_import(actor=owner, pending=pending, today=TODAY)
    assert errors(result) == []
    assert Project.objects.count() == 3
    gaode = Project.objects.get(name="高德新型电子元件项目")
    assert (gaode.stage, gaode.stage_date) == ("started", date(2023, 2, 11))
    assert gaode.investment_yuan == Decimal("5000000000.00")
    assert gaode.owner_team == wujie_team
    assert gaode.land_mu == Decimal("300.00")
    assert (gaode.tag_major_attraction, gaode.tag_tech, gaode.tag_talent) == (True, True, False)
    assert [e.credit_code for e in gaode.investors.all()] == ["91320612MA1M9H4K3Y"]
    near = Project.objects.get(name="近海材料项目")
    assert (near.investment_yuan, near.investment_qualifier, near.stage) == (
        Decimal("12500000000.00"),
        "near",
        "",
    )
    event = StageEvent.objects.get(project=gaode)
    assert (event.source, event.source_detail) == ("import", "五接镇清单.xlsx 第2行")
    entry = AuditEntry.objects.get(model="ledger.project", object_id=str(gaode.pk), action="create")
    assert (entry.actor, entry.source, entry.source_detail) == (
        owner,
        "import",
        "五接镇清单.xlsx 第2行",
    )
    assert not PendingImport.objects.exists()


def test_preview_saves_nothing(owner, wujie_team):
    pending = stage(owner, xlsx(good_rows()))
    result = services.preview_import(actor=owner, pending=pending, today=TODAY)
    assert result.ok and result.created == []
    assert not Project.objects.exists()
    assert not Enterprise.objects.exists()
    assert not AuditEntry.objects.filter(source="import").exists()


def test_one_bad_row_among_good_rows_saves_nothing(owner, wujie_team):
    rows = good_rows()
    rows[1][3] = "五千万圆"
    result = services.commit_import(actor=owner, pending=stage(owner, xlsx(rows)), today=TODAY)
    assert errors(result) == [
        "第3行 D列「总投资」：无法识别的金额「五千万圆」，应写作如 50亿元、8000万元、1.2亿"
    ]
    assert not Project.objects.exists()
    assert not Enterprise.objects.exists()
    assert PendingImport.objects.exists()  # kept so the user can read the errors again


def test_a_row_that_fails_in_the_services_rolls_back_rows_that_succeeded(owner, wujie_team):
    rows = good_rows()
    rows[2][7], rows[2][8] = "终止", "2023.3.1"  # the machine refuses 终止 for a new project
    result = services.commit_import(actor=owner, pending=stage(owner, xlsx(rows)), today=TODAY)
    assert errors(result) == [
        "第4行 H列「当前阶段」：不能从「无」直接进入「终止」。允许的下一阶段：签约、供地、审批、开工、竣工、投产、达产"
    ]
    assert not Project.objects.exists()
    assert not StageEvent.objects.exists()


def test_a_forbidden_stage_jump_between_date_columns_is_refused(owner):
    headers = ["项目名称", "所在镇街/园区", "总投资", "开工日期", "投产日期"]
    rows = [["甲项目", "五接镇", "1亿", "2023.5.1", "2023.1.1"]]  # produced before it started
    result = services.commit_import(
        actor=owner, pending=stage(owner, xlsx(rows, headers)), today=TODAY
    )
    assert errors(result) == [
        "第2行 D列「开工日期」：不能从「投产」直接进入「开工」。允许的下一阶段：竣工、达产、中止、终止"
    ]
    assert not Project.objects.exists()


def test_the_same_project_already_in_the_ledger_is_refused(owner, project):
    rows = good_rows()
    rows[1][1] = project.name
    result = services.commit_import(actor=owner, pending=stage(owner, xlsx(rows)), today=TODAY)
    assert errors(result) == ["第3行 B列「项目名称」：五接镇已有同名项目「康辉新材料项目」"]
    assert Project.objects.count() == 1


def test_a_town_member_cannot_import_another_towns_projects(outsider, wujie_team):
    result = services.commit_import(
        actor=outsider, pending=stage(outsider, xlsx(good_rows())), today=TODAY
    )
    assert errors(result)[0] == "第2行 C列「所在镇街/园区」：只能登记本单位辖区或本队伍招引的项目"
    assert len(result.errors) == 3
    assert not Project.objects.exists()


def test_the_analyst_may_import_for_any_town(colleague, wujie_team, xiting):
    rows = good_rows()
    rows[1][2] = "西亭"  # short name for 西亭镇
    result = services.commit_import(
        actor=colleague, pending=stage(colleague, xlsx(rows)), today=TODAY
    )
    assert result.ok
    assert Project.objects.get(name="康源电路IC载板项目").town == xiting


def test_unknown_towns_and_teams_are_named_even_on_rows_with_other_errors(owner):
    rows = good_rows()
    rows[0][2], rows[0][3] = "火星镇", "很多"
    result = services.preview_import(actor=owner, pending=stage(owner, xlsx(rows)), today=TODAY)
    assert "第2行 C列「所在镇街/园区」：找不到镇街/园区「火星镇」" in errors(result)
    assert "第2行 L列「招引队伍」：找不到招引队伍「五接镇招商队伍」" in errors(result)
    assert any(e.startswith("第2行 D列「总投资」") for e in errors(result))


def test_a_credit_code_registered_to_another_enterprise_is_refused(owner, enterprise, wujie_team):
    Enterprise.objects.filter(pk=enterprise.pk).update(credit_code="91320612MA1M9H4K3Y")
    result = services.preview_import(
        actor=owner, pending=stage(owner, xlsx(good_rows())), today=TODAY
    )
    assert errors(result) == [
        "第2行 G列「统一社会信用代码」：统一社会信用代码「91320612MA1M9H4K3Y」已登记为另一家企业，与投资主体「高德电子有限公司」不符"
    ]


def test_an_existing_enterprise_is_linked_not_duplicated(owner, enterprise, wujie_team):
    rows = good_rows()
    rows[2][5] = enterprise.name
    services.commit_import(actor=owner, pending=stage(owner, xlsx(rows)), today=TODAY)
    assert list(Project.objects.get(name="近海材料项目").investors.all()) == [enterprise]
    assert Enterprise.objects.count() == 3


def test_roles_that_cannot_edit_the_ledger_cannot_stage_an_upload(fgw):
    reviewer = create_user(username="reviewer", password="x", role=Role.REVIEWER, org_unit=fgw)
    with pytest.raises(PermissionDenied):
        stage(reviewer, xlsx(good_rows()))


def test_an_unreadable_file_is_refused_when_staged(owner):
    with pytest.raises(UploadRefused):
        stage(owner, b"PK\x03\x04 not really a zip")
    assert not PendingImport.objects.exists()


def test_a_staged_upload_belongs_to_its_uploader(owner, outsider):
    pending = stage(owner, xlsx(good_rows()))
    with pytest.raises(PendingImport.DoesNotExist):
        services.access_pending(actor=outsider, token=pending.token)
    assert services.access_pending(actor=owner, token=pending.token) == pending
