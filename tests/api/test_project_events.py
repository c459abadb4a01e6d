from __future__ import annotations

from datetime import date

from haotong.core.models import AuditEntry
from haotong.ledger.models import StageEvent
from tests.api.conftest import bearer, key_for
from tests.conftest import login


def events_url(project) -> str:
    return f"/api/v1/projects/{project.pk}/events"


def post(client, project, body: dict, **extra):
    return client.post(events_url(project), body, content_type="application/json", **extra)


def test_owner_lists_events(client, owner, project):
    login(client, owner)

    response = client.get(events_url(project))

    assert response.status_code == 200
    assert [(e["stage"], e["stage_label"], e["date"]) for e in response.json()] == [
        ("signed", "签约", "2022-06-01")
    ]


def test_outsider_cannot_list_events(client, outsider, project):
    login(client, outsider)

    assert client.get(events_url(project)).status_code == 404


def test_owner_records_an_event_through_the_stage_machine(client, owner, project):
    login(client, owner)

    response = post(
        client, project, {"stage": "land", "date": "2022-09-01", "evidence": "供地合同"}
    )

    assert response.status_code == 201, response.content
    assert response.json()["stage"] == "land"
    event = StageEvent.objects.get(pk=response.json()["id"])
    assert (event.source, event.recorded_by, event.evidence) == ("api", owner, "供地合同")
    project.refresh_from_db()
    assert (project.stage, project.stage_date) == ("land", date(2022, 9, 1))
    entry = AuditEntry.objects.get(action="stage:land")
    assert (entry.actor, entry.source, entry.object_id) == (owner, "api", str(project.pk))


def test_colleague_records_an_event_on_any_towns_project(client, colleague, project):
    login(client, colleague)

    assert post(client, project, {"stage": "approval", "date": "2022-08-01"}).status_code == 201


def test_forbidden_jump_is_refused_with_the_machines_chinese_reason(client, owner, project):
    login(client, owner)

    response = post(client, project, {"stage": "production", "date": "2023-01-01"})

    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith("不能从「签约」直接进入「投产」")
    assert response.json()["errors"]["stage"] == [detail]
    assert project.events.count() == 1


def test_event_dated_in_the_future_is_refused(client, owner, project):
    login(client, owner)

    response = post(client, project, {"stage": "land", "date": "2999-01-01"})

    assert response.status_code == 422
    assert "晚于今天" in response.json()["detail"]


def test_malformed_body_is_refused_in_chinese(client, owner, project):
    login(client, owner)

    response = post(client, project, {"stage": "land", "date": "昨天"})

    assert response.status_code == 422
    assert response.json()["detail"] == "请求数据格式有误，请检查各字段"
    assert project.events.count() == 1


def test_role_that_cannot_edit_gets_403_in_chinese(client, auditor, project):
    login(client, auditor)

    response = post(client, project, {"stage": "land", "date": "2022-09-01"})

    assert response.status_code == 403
    assert response.json()["detail"] == "您的角色不能修改项目台账"
    assert project.events.count() == 1


def test_outsider_gets_404_not_403_so_the_project_stays_hidden(client, outsider, project):
    login(client, outsider)

    response = post(client, project, {"stage": "land", "date": "2022-09-01"})

    assert response.status_code == 404
    assert project.events.count() == 1


def test_token_client_records_an_event_and_the_audit_names_the_token(client, owner, project):
    key = key_for(owner)

    response = post(client, project, {"stage": "land", "date": "2022-09-01", "source_detail": "市平台同步"},
                    headers=bearer(key))  # fmt: skip

    assert response.status_code == 201, response.content
    entry = AuditEntry.objects.get(action="stage:land")
    assert entry.actor == owner
    assert entry.source_detail == f"API 令牌 {key[:12]}：市平台同步"
