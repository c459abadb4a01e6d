"""/api/v1/ingest review: list candidates with matches, accept / edit / reject by token.

The same services as the web queue, the same scope (404), role (403), stale-version
(409) and refusal (422) answers; the candidate's audit entries say "api".
Users and texts as in test_review_services.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from haotong.core.models import AuditEntry, Role
from haotong.core.services import create_user
from haotong.ingest.models import Candidate
from haotong.ledger import services as ledger
from haotong.ledger.models import Project, StageEvent
from tests.api.conftest import bearer, key_for
from tests.conftest import PASSWORD
from tests.ingest.test_review_services import (
    KANGHUI_TEXT,
    KANGYUAN_TEXT,
    WUJIE_TEXT,
    XITING_TEXT,
    ingest,
    only_candidate,
)

URL = "/api/v1/ingest/documents"


def act(client, key: str, c: Candidate, action: str, **body):
    return client.post(
        f"{URL}/{c.document_id}/candidates/{c.pk}/{action}",
        body,
        content_type="application/json",
        headers=bearer(key),
    )


def listed(client, key: str, document_id: int) -> list[dict]:
    response = client.get(f"{URL}/{document_id}/candidates", headers=bearer(key))
    assert response.status_code == 200, response.content
    return response.json()


def test_accept_creates_a_project_with_the_document_as_the_events_source(client, owner, wujie):
    key = key_for(owner)
    document = ingest(owner, WUJIE_TEXT, name="通州日报")
    [row] = listed(client, key, document.pk)
    assert (row["status"], row["version"], row["matches"]) == ("pending", 1, [])
    assert row["ledger_preview"] == "竣工 2023年2月20日" and row["problem"] == ""
    assert "华强光电项目" in WUJIE_TEXT[row["evidence"][0] : row["evidence"][1]]

    response = act(client, key, only_candidate(document), "accept", expected_version=1)

    assert response.status_code == 200, response.content
    project = Project.objects.get(name="华强光电项目")
    event = project.events.get()
    assert (project.town, project.stage) == (wujie, "completed")
    assert (event.stage, event.date, event.source) == ("completed", date(2023, 2, 20), "document")
    assert "通州日报" in event.source_detail and event.recorded_by == owner
    body = response.json()
    assert (body["status"], body["version"], body["project_id"], body["stage_event_id"]) == (
        "accepted", 2, project.pk, event.pk,
    )  # fmt: skip
    assert body["decided_by"] == "owner" and "新建项目" in body["note"]
    entry = AuditEntry.objects.get(action="accept")
    assert (entry.actor, entry.source) == (owner, "api")
    assert entry.source_detail.startswith("API 令牌 htk_") and "通州日报" in entry.source_detail


def test_accept_into_the_suggested_existing_project(client, owner, project):
    key = key_for(owner)
    document = ingest(owner, KANGHUI_TEXT)
    [row] = listed(client, key, document.pk)
    best = row["matches"][0]
    assert (best["project_id"], best["name"], best["stage"]) == (
        project.pk,
        "康辉新材料项目",
        "signed",
    )
    assert best["score"] >= 80

    response = act(
        client, key, only_candidate(document), "accept",
        expected_version=row["version"], project_id=best["project_id"],
    )  # fmt: skip

    assert response.status_code == 200, response.content
    assert Project.objects.count() == 1
    event = project.events.get(stage="started")
    assert (event.date, event.date_precision, event.source) == (
        date(2022, 10, 1),
        "month",
        "document",
    )
    project.refresh_from_db()
    assert project.stage == "started"
    assert response.json()["project_id"] == project.pk and response.json()["matches"] == []


def test_edit_then_accept_uses_the_edited_values(client, owner, wujie):
    key = key_for(owner)
    c = only_candidate(ingest(owner, KANGYUAN_TEXT))
    assert c.town is None
    no_town = act(client, key, c, "accept", expected_version=c.version)
    assert no_town.status_code == 422 and "镇街/园区" in no_town.json()["detail"]

    edited = act(
        client, key, c, "edit", expected_version=c.version, name="康源电路载板项目",
        town_id=wujie.pk, investment_yuan="5500000000", investment_qualifier="about",
        stage="signed", date="2023年1月",
    )  # fmt: skip

    assert edited.status_code == 200, edited.content
    body = edited.json()
    assert (body["status"], body["version"], body["town"], body["date"]) == (
        "edited", c.version + 1, "五接镇", "2023-01",
    )  # fmt: skip
    assert body["ledger_preview"] == "签约 2023年1月"
    entry = AuditEntry.objects.get(action="edit")
    assert (entry.actor, entry.source) == (owner, "api")

    accepted = act(client, key, c, "accept", expected_version=body["version"])

    assert accepted.status_code == 200, accepted.content
    project = Project.objects.get(name="康源电路载板项目")
    assert (project.town, project.investment_yuan, project.investment_qualifier) == (
        wujie, Decimal("5500000000.00"), "about",
    )  # fmt: skip
    event = project.events.get()
    assert (event.stage, event.date, event.date_precision) == ("signed", date(2023, 1, 1), "month")
    c.refresh_from_db()
    assert c.original["name"] == "康源电路项目"  # the machine's reading is kept


def test_edit_changes_only_the_fields_given(client, owner, wujie):
    key = key_for(owner)
    c = only_candidate(ingest(owner, WUJIE_TEXT))

    response = act(client, key, c, "edit", expected_version=c.version, stage="started")

    assert response.status_code == 200, response.content
    c.refresh_from_db()
    assert (c.name, c.stage, c.fact_date, c.town, c.investment_yuan) == (
        "华强光电项目", "started", "2023-02-20", wujie, Decimal("800000000.00"),
    )  # fmt: skip


def test_bad_edits_are_refused_in_chinese_and_change_nothing(client, owner):
    key = key_for(owner)
    c = only_candidate(ingest(owner, WUJIE_TEXT))

    unknown_stage = act(client, key, c, "edit", expected_version=c.version, stage="finished")
    bad_date = act(client, key, c, "edit", expected_version=c.version, date="2023年13月")
    blank_name = act(client, key, c, "edit", expected_version=c.version, name="  ")
    nothing = act(client, key, c, "edit", expected_version=c.version)

    assert unknown_stage.status_code == 422 and "未知的阶段代码" in unknown_stage.json()["detail"]
    assert bad_date.status_code == 422 and "月份" in bad_date.json()["detail"]
    assert blank_name.status_code == 422 and "项目名称" in blank_name.json()["detail"]
    assert nothing.status_code == 422 and "没有要修改的字段" in nothing.json()["detail"]
    c.refresh_from_db()
    assert (c.status, c.version, c.stage) == ("pending", 1, "completed")
    assert not AuditEntry.objects.filter(action="edit").exists()


def test_reject_needs_a_reason_and_is_audited_as_api(client, owner):
    key = key_for(owner)
    c = only_candidate(ingest(owner, WUJIE_TEXT))

    blank = act(client, key, c, "reject", expected_version=c.version, reason=" ")
    response = act(client, key, c, "reject", expected_version=c.version, reason="不是本区项目")

    assert blank.status_code == 422 and "驳回理由" in blank.json()["detail"]
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["reason"]) == ("rejected", "不是本区项目")
    entry = AuditEntry.objects.get(action="reject")
    assert (entry.actor, entry.source) == (owner, "api")
    again = act(client, key, c, "accept", expected_version=response.json()["version"])
    assert again.status_code == 422 and "已驳回" in again.json()["detail"]
    assert not Project.objects.exists()


def test_a_stale_version_is_a_conflict_and_changes_nothing(client, owner, colleague, wujie):
    c = only_candidate(ingest(owner, WUJIE_TEXT))
    stale = c.version
    first = act(
        client, key_for(colleague), c, "edit", expected_version=stale, name="华强光电二期项目"
    )
    assert first.status_code == 200
    key = key_for(owner)
    audit_before = AuditEntry.objects.count()

    accept = act(client, key, c, "accept", expected_version=stale)
    edit = act(client, key, c, "edit", expected_version=stale, name="覆盖")
    reject = act(client, key, c, "reject", expected_version=stale, reason="重复")

    assert [r.status_code for r in (accept, edit, reject)] == [409, 409, 409]
    assert "已被他人处理" in accept.json()["detail"]
    c.refresh_from_db()
    assert (c.name, c.status, c.version) == ("华强光电二期项目", "edited", stale + 1)
    assert not Project.objects.exists() and not StageEvent.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_out_of_scope_documents_candidates_and_projects_are_404(
    client, owner, colleague, outsider, xiting, wujie
):
    c = only_candidate(ingest(colleague, WUJIE_TEXT))
    outsider_key = key_for(outsider)

    answers = [
        client.get(f"{URL}/{c.document_id}/candidates", headers=bearer(outsider_key)),
        act(client, outsider_key, c, "accept", expected_version=c.version),
        act(client, outsider_key, c, "edit", expected_version=c.version, name="改名"),
        act(client, outsider_key, c, "reject", expected_version=c.version, reason="无关"),
    ]

    assert [r.status_code for r in answers] == [404, 404, 404, 404]
    assert answers[1].json()["detail"] == "未找到该记录，或您无权查看"

    # A project in another town is not offered and cannot be named either.
    other = ledger.create_project(
        actor=None, fields={"name": "华强光电项目", "town": xiting}, source="system"
    )
    owner_key = key_for(owner)
    assert all(
        m["project_id"] != other.pk for m in listed(client, owner_key, c.document_id)[0]["matches"]
    )
    into_other = act(
        client, owner_key, c, "accept", expected_version=c.version, project_id=other.pk
    )
    # The candidate exists but not under another document.
    other_doc = ingest(owner, XITING_TEXT)
    wrong_doc = client.post(
        f"{URL}/{other_doc.pk}/candidates/{c.pk}/reject", {"expected_version": 1, "reason": "x"},
        content_type="application/json", headers=bearer(owner_key),
    )  # fmt: skip

    assert (into_other.status_code, wrong_doc.status_code) == (404, 404)
    c.refresh_from_db()
    assert (c.status, c.version) == ("pending", 1)
    assert not other.events.exists() and Project.objects.count() == 1


def test_roles_that_may_not_review_get_403(client, owner, district):
    c = only_candidate(ingest(owner, WUJIE_TEXT))
    auditor = create_user(username="aud", password=PASSWORD, role=Role.AUDITOR, org_unit=district)
    enterprise_user = create_user(
        username="ent", password=PASSWORD, role=Role.ENTERPRISE, org_unit=district
    )
    key = key_for(auditor)

    # An auditor reads the queue (without match suggestions) but may not act on it.
    [row] = listed(client, key, c.document_id)
    answers = [
        act(client, key, c, "accept", expected_version=c.version),
        act(client, key, c, "edit", expected_version=c.version, name="改名"),
        act(client, key, c, "reject", expected_version=c.version, reason="无关"),
        act(client, key_for(enterprise_user), c, "reject", expected_version=c.version, reason="x"),
        client.get(f"{URL}/{c.document_id}/candidates", headers=bearer(key_for(enterprise_user))),
    ]

    assert row["matches"] == [] and row["status"] == "pending"
    assert [r.status_code for r in answers] == [403, 403, 403, 403, 403]
    assert "审核" in answers[0].json()["detail"]
    c.refresh_from_db()
    assert (c.status, c.version) == ("pending", 1)
    assert not Project.objects.exists()


def test_a_stage_jump_the_ledger_refuses_is_422_and_saves_nothing(client, owner, project):
    key = key_for(owner)
    c = only_candidate(ingest(owner, KANGHUI_TEXT))
    edited = act(
        client, key, c, "edit", expected_version=c.version, stage="capacity", date="2023-02"
    )
    assert edited.status_code == 200
    audit_before = AuditEntry.objects.count()

    response = act(
        client, key, c, "accept", expected_version=edited.json()["version"], project_id=project.pk
    )

    assert response.status_code == 422
    assert "不能从「签约」直接进入「达产」" in response.json()["detail"]
    assert "stage" in response.json()["errors"]
    assert project.events.count() == 1
    project.refresh_from_db()
    assert project.stage == "signed"
    assert AuditEntry.objects.count() == audit_before
    c.refresh_from_db()
    assert (c.status, c.project, c.version) == ("edited", None, edited.json()["version"])


def test_a_refused_event_leaves_no_new_project(client, owner, wujie):
    key = key_for(owner)
    c = only_candidate(ingest(owner, WUJIE_TEXT))
    edited = act(client, key, c, "edit", expected_version=c.version, date="2099-01-01")

    response = act(client, key, c, "accept", expected_version=edited.json()["version"])

    assert response.status_code == 422 and "晚于今天" in response.json()["detail"]
    assert not Project.objects.exists() and not StageEvent.objects.exists()


def test_the_review_endpoints_are_in_the_openapi_schema(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    base = "/api/v1/ingest/documents/{document_id}/candidates"
    assert "get" in paths[base]
    for action in ("accept", "edit", "reject"):
        responses = paths[f"{base}/{{candidate_id}}/{action}"]["post"]["responses"]
        assert {"200", "403", "404", "409", "422"} <= set(responses), action
