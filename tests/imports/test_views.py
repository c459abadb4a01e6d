"""The import pages as owner (五接镇 team), colleague (发改委 analyst) and outsider (西亭镇 team)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from haotong.core.models import AuditEntry, Role
from haotong.core.services import create_user
from haotong.imports.models import PendingImport
from haotong.ledger.models import Project
from tests.conftest import PASSWORD, login
from tests.imports.conftest import good_rows, xlsx
from tests.imports.test_safety import zip_bomb

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, content: bytes, name: str = "五接镇项目清单.xlsx"):
    return client.post(
        reverse("imports:upload"), {"file": SimpleUploadedFile(name, content, content_type=XLSX)}
    )


def test_owner_uploads_previews_and_commits(client, owner, wujie_team):
    login(client, owner)
    response = upload(client, xlsx(good_rows()))
    pending = PendingImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:preview", args=[pending.token])

    preview = client.get(response["Location"])
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "高德新型电子元件项目" in page and "将新建" in page and "确认导入" in page
    assert not Project.objects.exists()

    done = client.post(reverse("imports:commit", args=[pending.token]))
    assert done.status_code == 200
    assert "已从「五接镇项目清单.xlsx」导入 3 个项目" in done.content.decode()
    assert Project.objects.count() == 3
    assert (
        AuditEntry.objects.filter(
            source="import", actor=owner, model="ledger.project", action="create"
        ).count()
        == 3
    )
    # The token is spent: a second submit creates nothing and finds nothing.
    assert client.post(reverse("imports:commit", args=[pending.token])).status_code == 404
    assert Project.objects.count() == 3


def test_preview_lists_the_bad_row_and_column_and_offers_no_commit(client, owner, wujie_team):
    rows = good_rows()
    rows[2][3] = "五千万圆"
    login(client, owner)
    preview = client.get(upload(client, xlsx(rows))["Location"])
    page = preview.content.decode()
    assert "第4行 D列「总投资」：无法识别的金额「五千万圆」" in page
    assert "发现 1 处错误，整批不会保存" in page
    assert "确认导入" not in page


def test_committing_a_file_with_errors_saves_nothing(client, owner, wujie_team):
    rows = good_rows()
    rows[0][8] = "2999年1月1日"
    login(client, owner)
    upload(client, xlsx(rows))
    token = PendingImport.objects.get().token
    response = client.post(reverse("imports:commit", args=[token]))
    assert response.status_code == 400
    assert "第2行 I列「阶段日期」：「开工」日期 2999-01-01 晚于今天" in response.content.decode()
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a spreadsheet at all", "不是 Excel 工作簿"),
        (zip_bomb(), "压缩炸弹"),
    ],
    ids=["non-xlsx", "zip-bomb"],
)
def test_bad_files_are_refused_on_the_upload_page(client, owner, content, message):
    login(client, owner)
    response = upload(client, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PendingImport.objects.exists()


def test_an_oversized_upload_is_refused(client, owner, settings):
    settings.HAOTONG_MAX_UPLOAD_BYTES = 1000
    login(client, owner)
    response = upload(client, xlsx(good_rows()))
    assert response.status_code == 400
    assert "超过上限" in response.content.decode()
    assert not PendingImport.objects.exists()


def test_colleague_may_import_for_any_town(client, colleague, wujie_team):
    login(client, colleague)
    upload(client, xlsx(good_rows()))
    token = PendingImport.objects.get().token
    assert client.post(reverse("imports:commit", args=[token])).status_code == 200
    assert Project.objects.filter(town__name="五接镇").count() == 3


def test_outsider_sees_each_row_of_another_town_refused(client, outsider, wujie_team):
    login(client, outsider)
    preview = client.get(upload(client, xlsx(good_rows()))["Location"])
    page = preview.content.decode()
    for row in (2, 3, 4):
        assert f"第{row}行 C列「所在镇街/园区」：只能登记本单位辖区或本队伍招引的项目" in page
    token = PendingImport.objects.get().token
    assert client.post(reverse("imports:commit", args=[token])).status_code == 400
    assert not Project.objects.exists()


def test_outsider_cannot_open_or_commit_someone_elses_upload(client, owner, outsider, wujie_team):
    login(client, owner)
    upload(client, xlsx(good_rows()))
    token = PendingImport.objects.get().token
    client.logout()
    login(client, outsider)
    assert client.get(reverse("imports:preview", args=[token])).status_code == 404
    assert client.post(reverse("imports:commit", args=[token])).status_code == 404
    assert not Project.objects.exists()


def test_roles_that_cannot_edit_the_ledger_are_refused(client, fgw):
    reviewer = create_user(username="reviewer", password=PASSWORD, role=Role.REVIEWER, org_unit=fgw)
    login(client, reviewer)
    assert client.get(reverse("imports:upload")).status_code == 403
    assert client.get(reverse("imports:template")).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("imports:upload"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_commit_only_accepts_post(client, owner, wujie_team):
    login(client, owner)
    upload(client, xlsx(good_rows()))
    token = PendingImport.objects.get().token
    assert client.get(reverse("imports:commit", args=[token])).status_code == 405
    assert not Project.objects.exists()


def test_the_template_has_headers_an_example_row_and_notes_and_imports_cleanly(
    client, owner, wujie_team
):
    login(client, owner)
    response = client.get(reverse("imports:template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    workbook = load_workbook(io.BytesIO(response.content))
    projects, notes = workbook.worksheets
    headers = [c.value for c in projects[1]]
    assert headers[:3] == ["项目名称", "所在镇街/园区", "总投资"]
    assert projects["A2"].value.startswith("示例：")
    assert "五接镇" in [c.value for c in notes["D"]]
    assert "五接镇招商队伍" in [c.value for c in notes["E"]]
    # Filling the template's own example in as a real row imports without errors.
    projects["A2"] = "高端电子材料项目"
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = client.get(upload(client, buffer.getvalue())["Location"])
    assert "将新建 1 个项目" in preview.content.decode()
