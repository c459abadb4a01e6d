from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from haotong.core.models import AuditEntry
from haotong.ledger import services as ledger
from haotong.ledger.models import Project


def test_stage_is_derived_from_events_and_audited(project, owner):
    ledger.record_stage_event(
        actor=owner, project=project, stage="land", on=date(2022, 8, 1), source="user"
    )
    ledger.record_stage_event(
        actor=owner, project=project, stage="started", on=date(2022, 10, 1), source="user"
    )
    project.refresh_from_db()
    assert (project.stage, project.stage_date) == ("started", date(2022, 10, 1))
    entry = AuditEntry.objects.filter(object_id=str(project.pk), action="stage:started").get()
    assert entry.actor == owner
    assert entry.before["stage"] == "land"
    assert entry.after["stage"] == "started"


def test_it_refuses_a_stage_jump_with_a_clear_message(project, owner):
    with pytest.raises(ValidationError) as err:
        ledger.record_stage_event(
            actor=owner, project=project, stage="production", on=date(2022, 8, 1), source="user"
        )
    assert "不能从「签约」直接进入「投产」" in str(err.value)
    assert project.events.count() == 1


def test_it_refuses_events_dated_in_the_future(project, colleague):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as err:
        ledger.record_stage_event(
            actor=colleague, project=project, stage="land", on=tomorrow, source="user"
        )
    assert "晚于今天" in str(err.value)


def test_outsider_cannot_record_events_on_another_towns_project(project, outsider):
    with pytest.raises(PermissionDenied):
        ledger.record_stage_event(
            actor=outsider, project=project, stage="land", on=date(2022, 8, 1), source="user"
        )
    assert project.events.count() == 1


def test_the_same_project_twice_in_one_town_is_refused(project, wujie):
    with pytest.raises(ValidationError) as err:
        ledger.create_project(
            actor=None,
            fields={"name": "康辉新材料项目", "town": wujie, "investment_yuan": Decimal(1)},
            source="user",
        )
    assert "已有同名项目" in str(err.value)
    assert Project.objects.count() == 1


def test_a_stale_edit_never_overwrites_a_newer_one(project, colleague):
    ledger.update_project(
        actor=colleague,
        project=project,
        expected_version=project.version,
        fields={"capacity_text": "A"},
        source="user",
    )
    with pytest.raises(ledger.ConflictError):
        ledger.update_project(
            actor=colleague,
            project=project,
            expected_version=project.version,
            fields={"capacity_text": "B"},
            source="user",
        )
    project.refresh_from_db()
    assert project.capacity_text == "A"


def test_malformed_credit_code_is_refused(wujie):
    with pytest.raises(ValidationError) as err:
        ledger.create_enterprise(
            actor=None,
            fields={"name": "某公司", "credit_code": "91320612MA1MXXXX0X"},
            source="user",
        )
    assert "统一社会信用代码" in str(err.value)


def test_negative_investment_is_refused(wujie):
    with pytest.raises(ValidationError):
        ledger.create_project(
            actor=None,
            fields={"name": "X", "town": wujie, "investment_yuan": Decimal(-1)},
            source="user",
        )
