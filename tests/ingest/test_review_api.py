"""/api/v1/ingest: upload by token or session, read back, scoped like the pages."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from haotong.core.models import AuditEntry, Role
from haotong.core.services import create_user
from haotong.ingest.models import Document
from haotong.ledger.models import Project
from tests.api.conftest import bearer, key_for
from tests.conftest import PASSWORD, login
from tests.ingest.test_review_services import NO_PROJECTS, WUJIE_TEXT, XITING_TEXT, ingest

URL = "/api/v1/ingest/documents"


def test_a_token_uploads_text_and_reads_the_document_back(client, owner, wujie):
    headers = bearer(key_for(owner))

    response = client.post(
        URL, {"text": WUJIE_TEXT, "name": "接口上传", "published_on": "2023-03-03"}, headers=headers
    )

    assert response.status_code == 201, response.content
    body = response.json()
    [candidate] = body["candidates"]
    assert (candidate["name"], candidate["stage"], candidate["date"], candidate["status"]) == (
        "华强光电项目", "completed", "2023-02-20", "pending",
    )  # fmt: skip
    assert candidate["investment_yuan"] == "800000000.00" and candidate["town"] == "五接镇"
    start, end = candidate["evidence"]
    assert "华强光电项目" in WUJIE_TEXT[start:end]
    document = Document.objects.get(pk=body["id"])
    assert (document.origin, document.uploaded_by) == ("api", owner)
    assert AuditEntry.objects.get(action="ingest").source == "api"
    assert not Project.objects.exists()  # nothing enters the ledger without review

    again = client.get(f"{URL}/{body['id']}", headers=headers)

    assert again.status_code == 200 and again.json()["candidates"] == body["candidates"]


def test_a_session_uploads_a_gbk_file(client, colleague):
    login(client, colleague)

    response = client.post(URL, {"file": SimpleUploadedFile("gbk.txt", WUJIE_TEXT.encode("gbk"))})

    assert response.status_code == 201, response.content
    assert response.json()["encoding"] == "gb18030"
    assert response.json()["name"] == "gbk.txt"


def test_duplicate_binary_and_empty_input_are_refused(client, owner):
    headers = bearer(key_for(owner))
    client.post(URL, {"text": WUJIE_TEXT}, headers=headers)

    duplicate = client.post(URL, {"text": WUJIE_TEXT}, headers=headers)
    binary = client.post(
        URL, {"file": SimpleUploadedFile("x.bin", b"\x00\xff\x00\x01" * 64)}, headers=headers
    )
    neither = client.post(URL, {"name": "空"}, headers=headers)

    assert duplicate.status_code == 409 and "不重复入库" in duplicate.json()["detail"]
    assert binary.status_code == 422 and "二进制" in binary.json()["detail"]
    assert neither.status_code == 422
    assert Document.objects.count() == 1


def test_no_projects_gives_an_empty_list_and_a_note(client, owner):
    response = client.post(URL, {"text": NO_PROJECTS}, headers=bearer(key_for(owner)))

    assert response.status_code == 201
    assert response.json()["candidates"] == [] and response.json()["note"]


def test_outsider_gets_404_for_another_towns_document(client, colleague, outsider, wujie):
    document = ingest(colleague, WUJIE_TEXT)

    response = client.get(f"{URL}/{document.pk}", headers=bearer(key_for(outsider)))

    assert response.status_code == 404


def test_outsider_sees_only_their_towns_candidates(client, owner, outsider, xiting):
    document = ingest(owner, WUJIE_TEXT + "\n\n" + XITING_TEXT)

    response = client.get(f"{URL}/{document.pk}", headers=bearer(key_for(outsider)))

    assert [c["name"] for c in response.json()["candidates"]] == ["宏达精密机械项目"]


def test_a_token_without_edit_rights_cannot_upload(client, district):
    auditor = create_user(username="aud", password=PASSWORD, role=Role.AUDITOR, org_unit=district)
    response = client.post(URL, {"text": WUJIE_TEXT}, headers=bearer(key_for(auditor)))

    assert response.status_code == 403
    assert not Document.objects.exists()
