"""The one versioned update (haotong.core.services.update_versioned) behind projects,
enterprises and leads: the same refusal of stale edits, the same audit entry, and the
lead's team check between applying and saving."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haotong.attraction import services as attraction
from haotong.attraction.models import Lead
from haotong.core import audit
from haotong.core.models import AuditEntry, Team
from haotong.core.services import create_team
from haotong.ledger import services as ledger


@pytest.fixture
def lead(wujie_team) -> Lead:
    return attraction.create_lead(
        actor=None,
        fields={"project_name": "载板基地", "investor_name": "南通康源电子有限公司",
                "source": Lead.Source.FAIR, "intended_investment_yuan": Decimal("5000000000"),
                "team": wujie_team, "acquired_on": date(2022, 6, 1)},
        source="system",
    )  # fmt: skip


def updates_of(obj) -> list[AuditEntry]:
    return list(audit.entries_for(obj).filter(action="update"))


def test_a_stale_project_edit_names_the_project_and_both_versions(project, colleague):
    read = project.version
    ledger.update_project(actor=colleague, project=project, expected_version=read,
                          fields={"capacity_text": "A"}, source="user")  # fmt: skip

    with pytest.raises(ledger.ConflictError) as err:
        ledger.update_project(actor=colleague, project=project, expected_version=read,
                              fields={"capacity_text": "B"}, source="user")  # fmt: skip

    assert err.value.messages == [
        f"「康辉新材料项目」已被他人修改（您读取的是第{read}版，当前为第{read + 1}版），"
        "请刷新后重新填写"
    ]
    assert not isinstance(err.value, attraction.ConflictError)


def test_a_stale_lead_edit_names_the_lead_and_is_a_conflict_like_any_other(owner, lead):
    attraction.update_lead(actor=owner, lead=lead, expected_version=1, source="user",
                           fields={"next_action": "邀请考察"})  # fmt: skip

    with pytest.raises(ledger.ConflictError) as err:
        attraction.update_lead(actor=owner, lead=lead, expected_version=1, source="user",
                               fields={"next_action": "回访"})  # fmt: skip

    assert isinstance(err.value, attraction.ConflictError)
    assert err.value.messages == [
        "线索「载板基地」已被他人修改（您读取的是第1版，当前为第2版），请刷新后重新操作"
    ]


def test_a_lead_edit_is_audited_with_before_and_after_and_bumps_the_version(owner, lead):
    fresh = attraction.update_lead(actor=owner, lead=lead, expected_version=1, source="user",
                                   fields={"next_action": "邀请考察"}, source_detail="页面")  # fmt: skip

    assert fresh.version == 2
    [entry] = updates_of(lead)
    assert entry.actor == owner and entry.source_detail == "页面"
    assert (entry.before["next_action"], entry.after["next_action"]) == ("", "邀请考察")
    assert (entry.before["version"], entry.after["version"]) == (1, 2)


def test_a_lead_cannot_be_handed_to_a_team_out_of_reach(owner, lead, wujie_team, xiting):
    xiting_team = create_team(name="西亭镇招商队伍", kind=Team.Kind.TOWN, org_unit=xiting)

    with pytest.raises(PermissionDenied):
        attraction.update_lead(actor=owner, lead=lead, expected_version=1, source="user",
                               fields={"team": xiting_team, "next_action": "移交"})  # fmt: skip

    lead.refresh_from_db()
    assert (lead.team_id, lead.next_action, lead.version) == (wujie_team.pk, "", 1)
    assert updates_of(lead) == []


def test_an_invalid_lead_edit_saves_nothing(owner, lead):
    with pytest.raises(ValidationError):
        attraction.update_lead(actor=owner, lead=lead, expected_version=1, source="user",
                               fields={"project_name": ""})  # fmt: skip

    lead.refresh_from_db()
    assert (lead.project_name, lead.version) == ("载板基地", 1)
    assert updates_of(lead) == []
