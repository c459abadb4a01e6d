"""Lead services: stage moves, follow-ups, signing into the ledger, duplicates, scoping."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haotong.attraction import conflicts, queries, services, stages
from haotong.attraction.models import Lead, LeadConflict, LeadStageChange
from haotong.core.models import AuditEntry, DistrictSetting
from haotong.ledger import services as ledger
from haotong.ledger.models import Project
from tests.attraction.conftest import make_lead

pytestmark = pytest.mark.django_db


def test_creating_a_lead_records_acquisition_normalised_names_and_audit(owner, wujie_team):
    lead = services.create_lead(
        actor=owner,
        source="user",
        fields={
            "project_name": "康源电子高端IC载板项目", "investor_name": "康源电子(南通)股份有限公司",
            "source": Lead.Source.FAIR, "team": wujie_team, "acquired_on": date(2022, 6, 1),
        },
    )  # fmt: skip
    assert (lead.stage, lead.stage_on, lead.investor_key) == (
        "acquired",
        date(2022, 6, 1),
        "康源电子",
    )
    assert lead.stage_changes.get().stage == "acquired"
    assert AuditEntry.objects.filter(model="attraction.lead", action="create", actor=owner).exists()


def test_a_team_member_cannot_create_a_lead_for_another_towns_team(outsider, wujie_team):
    with pytest.raises(PermissionDenied):
        services.create_lead(
            actor=outsider, source="user",
            fields={"project_name": "x", "investor_name": "y", "source": "fair",
                    "team": wujie_team, "acquired_on": date(2022, 6, 1)},
        )  # fmt: skip
    assert not Lead.objects.exists()


def test_moving_to_an_unreachable_stage_saves_nothing(owner, lead):
    with pytest.raises(ValidationError, match="落地前须先签约"):
        services.move_lead(
            actor=owner, lead=lead, stage="landed", on=date(2022, 7, 1), source="user"
        )
    lead.refresh_from_db()
    assert (lead.stage, lead.version) == ("acquired", 1)
    assert lead.stage_changes.count() == 1
    assert not AuditEntry.objects.filter(action__startswith="stage:").exists()


def test_abandoning_keeps_the_reason_and_refuses_without_one(owner, lead):
    with pytest.raises(ValidationError, match="放弃线索必须填写原因"):
        services.move_lead(
            actor=owner, lead=lead, stage="abandoned", on=date(2022, 7, 1), source="user"
        )
    services.move_lead(
        actor=owner, lead=lead, stage="abandoned", on=date(2022, 7, 1), source="user",
        reason="投资方转投外地",
    )  # fmt: skip
    assert (lead.stage, lead.abandon_reason) == ("abandoned", "投资方转投外地")


def test_a_stale_version_is_refused(owner, lead):
    services.update_lead(actor=owner, lead=lead, expected_version=1, source="user",
                         fields={"next_action": "邀请考察"})  # fmt: skip
    with pytest.raises(services.ConflictError, match="已被他人修改"):
        services.update_lead(actor=owner, lead=lead, expected_version=1, source="user",
                             fields={"next_action": "回访"})  # fmt: skip
    lead.refresh_from_db()
    assert lead.next_action == "邀请考察"


def test_signing_creates_a_ledger_project_signed_from_the_lead(owner, negotiating_lead, wujie):
    project = services.sign_lead(
        actor=owner, lead=negotiating_lead, on=date(2022, 9, 1), town=wujie, source="user"
    )
    negotiating_lead.refresh_from_db()
    assert negotiating_lead.project == project and negotiating_lead.stage == "signed"
    assert (project.name, project.owner_team, project.investment_yuan) == (
        "康源电子高端IC载板项目", negotiating_lead.team, Decimal("5000000000"),
    )  # fmt: skip
    event = project.events.get()
    assert (event.stage, event.date, event.evidence, event.source) == (
        "signed", date(2022, 9, 1), "由线索转入", "user",
    )  # fmt: skip
    assert f"线索#{negotiating_lead.pk}" in event.source_detail
    assert project.source_lead == negotiating_lead


def test_a_ledger_refusal_on_signing_undoes_everything(owner, negotiating_lead, wujie):
    ledger.create_project(
        actor=None, source="system",
        fields={"name": "康源电子高端IC载板项目", "town": wujie},
    )  # fmt: skip
    with pytest.raises(ValidationError, match="五接镇已有同名项目"):
        services.sign_lead(
            actor=owner, lead=negotiating_lead, on=date(2022, 9, 1), town=wujie, source="user"
        )
    negotiating_lead.refresh_from_db()
    assert negotiating_lead.stage == "negotiating" and negotiating_lead.project is None
    assert not LeadStageChange.objects.filter(stage="signed").exists()
    assert Project.objects.count() == 1


def test_signing_is_refused_before_negotiation(owner, lead, wujie):
    with pytest.raises(ValidationError, match="签约前须经过洽谈"):
        services.sign_lead(actor=owner, lead=lead, on=date(2022, 9, 1), town=wujie, source="user")
    assert not Project.objects.exists()


def test_follow_ups_cannot_predate_the_lead_or_be_in_the_future(owner, lead):
    with pytest.raises(ValidationError, match="早于线索获取日期"):
        services.log_activity(actor=owner, lead=lead, kind="call", on=date(2022, 5, 1),
                              who="张三", note="", source="user")  # fmt: skip
    with pytest.raises(ValidationError, match="晚于今天"):
        services.log_activity(actor=owner, lead=lead, kind="call", on=date(2999, 1, 1),
                              who="张三", note="", source="user")  # fmt: skip
    assert not lead.activities.exists()


def test_stale_leads_are_open_ones_without_follow_up_within_the_setting(owner, wujie_team):
    quiet = make_lead(wujie_team, project_name="甲项目", investor_name="甲公司")
    busy = make_lead(wujie_team, project_name="乙项目", investor_name="乙公司")
    services.log_activity(actor=owner, lead=busy, kind="visit", on=date(2023, 2, 20),
                          who="张三", note="", source="user")  # fmt: skip
    as_of = date(2023, 3, 3)
    assert list(queries.stale(Lead.objects.all(), as_of=as_of, days=services.stale_days())) == [
        quiet
    ]
    DistrictSetting.objects.create(key=services.STALE_DAYS_KEY, value="5")
    assert services.stale_days() == 5
    assert set(queries.stale(Lead.objects.all(), as_of=as_of, days=5)) == {quiet, busy}


def test_two_teams_pursuing_one_investor_raise_a_conflict_that_is_not_merged(
    wujie_team, xiting_team
):
    a = make_lead(wujie_team)
    b = make_lead(xiting_team, investor_name="康源电子(南通)股份有限公司", project_name="载板基地")
    conflict = LeadConflict.objects.get()
    assert (conflict.lead_a, conflict.lead_b, conflict.matched_on) == (a, b, "investor")
    assert Lead.objects.count() == 2
    assert conflicts.detect_all() == 0  # found once, not again


def test_settling_picks_the_owner_and_closes_the_other_lead_with_the_ruling(
    colleague, wujie_team, xiting_team
):
    a = make_lead(wujie_team)
    b = make_lead(xiting_team, investor_name="康源电子有限公司", project_name="载板基地")
    conflict = LeadConflict.objects.get()
    conflicts.settle_conflict(actor=colleague, conflict=conflict, owner_team=wujie_team,
                              note="五接镇先接触", source="user")  # fmt: skip
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.stage == "acquired" and b.stage == "abandoned"
    assert "区级裁定由五接镇招商队伍跟进" in b.abandon_reason
    conflict.refresh_from_db()
    assert (conflict.status, conflict.owner_team, conflict.settled_by) == (
        "owner_chosen", wujie_team, colleague,
    )  # fmt: skip
    assert AuditEntry.objects.filter(action="settle", actor=colleague).exists()


def test_settling_needs_a_district_role_and_a_note(owner, colleague, wujie_team, xiting_team):
    make_lead(wujie_team)
    make_lead(xiting_team, investor_name="康源电子有限公司", project_name="载板基地")
    conflict = LeadConflict.objects.get()
    with pytest.raises(PermissionDenied):
        conflicts.settle_conflict(actor=owner, conflict=conflict, owner_team=None, note="x",
                                  source="user")  # fmt: skip
    with pytest.raises(ValidationError, match="裁定必须填写说明"):
        conflicts.settle_conflict(actor=colleague, conflict=conflict, owner_team=None, note=" ",
                                  source="user")  # fmt: skip
    conflicts.settle_conflict(actor=colleague, conflict=conflict, owner_team=None,
                              note="同名不同企业", source="user")  # fmt: skip
    assert Lead.objects.filter(stage=stages.ABANDONED).count() == 0
    conflict.refresh_from_db()
    assert conflict.status == "not_duplicate"
