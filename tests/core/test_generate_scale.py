"""``haotong generate_scale`` on a tiny scale: consistent with the stage machine,
deterministic, synthetic, and refuses a database that is not empty."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from stdnum.cn import uscc

from haotong.core.models import DistrictSetting, OrgUnit, Team, User
from haotong.ledger import stages
from haotong.ledger.models import (
    Enterprise,
    Groundbreaking,
    InvestmentReport,
    Project,
    StageEvent,
    ledger_as_of,
)


def _generate(**kw: int) -> str:
    out = StringIO()
    call_command("generate_scale", projects=kw.get("projects", 300), events_per_project=10,
                 enterprises=80, towns=20, batch_size=100, stdout=out)  # fmt: skip
    return out.getvalue()


@pytest.mark.django_db
def test_generates_a_ledger_the_stage_machine_accepts() -> None:
    _generate()
    assert Project.objects.count() == 300
    events = StageEvent.objects.count()
    assert 2400 <= events <= 3600  # ≈ K per project on average
    assert Enterprise.objects.count() == 80
    assert all(uscc.is_valid(c) for c in Enterprise.objects.values_list("credit_code", flat=True))
    today = ledger_as_of()
    for project in Project.objects.all():
        pairs = list(project.events.order_by("date", "id").values_list("stage", "date"))
        state = stages.replay(pairs, today=today)
        assert (project.stage, project.stage_date) == (state.stage or "", state.since)
    assert not Project.objects.filter(synthetic=False).exists()
    assert not StageEvent.objects.filter(synthetic=False).exists()
    assert not InvestmentReport.objects.filter(synthetic=False).exists()
    assert User.objects.filter(username="analyst", role="analyst").exists()
    assert User.objects.get(username="town").org_unit.kind == "town"
    assert StageEvent.objects.values("project").distinct().count() == 300


@pytest.mark.django_db
def test_deterministic_and_only_into_an_empty_database() -> None:
    _generate(projects=50)
    first = list(StageEvent.objects.order_by("id").values_list("project_id", "stage", "date"))
    with pytest.raises(CommandError, match="不是空的"):
        _generate(projects=50)
    StageEvent.objects.all().delete()
    InvestmentReport.objects.all().delete()
    for model in (Groundbreaking, Project, Enterprise, User, Team, DistrictSetting):
        model.objects.all().delete()
    OrgUnit.objects.exclude(parent=None).delete()
    OrgUnit.objects.all().delete()
    _generate(projects=50)
    assert (
        list(StageEvent.objects.order_by("id").values_list("project_id", "stage", "date")) == first
    )
    assert ledger_as_of().isoformat() == "2025-06-30"
