"""The review demo on a small district: cut-over date, default rules, and three
synthetic reviews (passed; in progress with a late, chased department; vetoed)."""

from __future__ import annotations

from django.db import transaction

from haotong.core.demo.loader import DemoContext
from haotong.core.models import DistrictSetting, OrgUnit, Role, Team
from haotong.core.services import create_org_unit, create_team, create_user
from haotong.ledger.models import ledger_as_of
from haotong.review import demo, queries
from haotong.review.models import Reminder, Review, ReviewPolicy
from tests.conftest import PASSWORD


def small_context(district: OrgUnit) -> DemoContext:
    units = {"通州区": district}
    for _, dept in demo.REVIEWERS:
        units[dept] = create_org_unit(name=dept, kind=OrgUnit.Kind.DEPARTMENT, parent=district)
    teams = {}
    for town in ("五接镇", "南通高新区", "西亭镇"):
        units[town] = create_org_unit(name=town, kind=OrgUnit.Kind.TOWN, parent=district)
        teams[town] = create_team(name=f"{town}招商队伍", kind=Team.Kind.TOWN, org_unit=units[town])
    for username, role in (("analyst", Role.ANALYST), ("leader", Role.LEADER)):
        create_user(username=username, password=PASSWORD, role=role, org_unit=district)
    DistrictSetting.objects.create(key="ledger_as_of", value="2023-03-03")
    return DemoContext(units=units, teams=teams, enterprises=[], article_projects=[])


def test_the_demo_makes_one_passed_one_late_and_one_vetoed_review(district):
    DistrictSetting.objects.filter(key="review_required_since").delete()

    counts = demo.load(small_context(district))

    assert counts == {"reviews": 3, "review_opinions": 13}
    assert DistrictSetting.objects.get(key="review_required_since").value == "2023-03-04"
    assert ReviewPolicy.objects.get().criteria.count() == 6
    rows = {
        r.review.project.name: r
        for r in queries.reviews_with_progress(Review.objects.all(), today=ledger_as_of())
    }
    passed, late, vetoed = (rows[p.name] for p in demo.PLANS)
    assert passed.review.get_verdict_display() == "通过"
    assert late.review.status == "open"
    assert [(o.invitation.department.name, o.late_days) for o in late.overdue] == [
        ("区商务局", 4), ("区税务局", 4),
    ]  # fmt: skip
    assert Reminder.objects.get().invitation.department.name == "区税务局"
    assert vetoed.review.get_verdict_display() == "不通过"
    assert "能耗与环保2分" in vetoed.review.veto_reasons
    assert all(r.review.synthetic and r.review.project.synthetic for r in rows.values())


def test_the_demo_is_the_same_for_the_same_seed(district):
    runs = []
    for _ in range(2):
        with transaction.atomic():
            demo.load(small_context(district))
            runs.append(list(
                Review.objects.order_by("id")
                .values_list("project__name", "project__investment_yuan", "score", "verdict")
            ))  # fmt: skip
            transaction.set_rollback(True)
    assert runs[0] == runs[1] and len(runs[0]) == 3
