"""The signing gate, enforced by the stage machine's write path (UI, API, imports)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from haotong.core.models import DistrictSetting
from haotong.ledger import services as ledger
from haotong.review import services
from tests.conftest import login
from tests.review.conftest import answer, decide, make_project

AFTER_CUTOVER = date(2023, 3, 10)


def sign(project, on=AFTER_CUTOVER, stage="signed"):
    return ledger.record_stage_event(
        actor=None, project=project, stage=stage, on=on, source="system"
    )


def refusal(project, **kw) -> str:
    with pytest.raises(ValidationError) as exc:
        sign(project, **kw)
    return exc.value.message_dict["stage"][0]


def test_it_refuses_signing_a_major_project_without_review(major):
    assert refusal(major) == "该项目总投资≥10亿元，须经研判会商通过后方可签约（当前：未发起）"
    assert not major.events.exists()
    major.refresh_from_db()
    assert major.stage == ""


def test_it_refuses_signing_while_the_review_is_in_progress(review):
    assert refusal(review.project).endswith("（当前：进行中）")


def test_it_refuses_signing_after_a_review_that_did_not_pass(
    review, env_reviewer, land_reviewer, colleague
):
    answer(review, env_reviewer, energy_environment=1)
    answer(review, land_reviewer)
    decide(review, colleague)
    assert refusal(review.project).endswith("（当前：不通过）")


def test_it_allows_signing_after_a_passed_review(review, env_reviewer, land_reviewer, colleague):
    answer(review, env_reviewer, 9)
    answer(review, land_reviewer, 9)
    assert decide(review, colleague).get_verdict_display() == "通过"
    assert sign(review.project).stage == "signed"


def test_it_allows_signing_after_a_conditional_pass(review, env_reviewer, land_reviewer, colleague):
    answer(review, env_reviewer, 7)
    answer(review, land_reviewer, 7)
    assert (
        decide(review, colleague, conditions="亩均税收不低于30万元").get_verdict_display()
        == "有条件通过"
    )
    assert sign(review.project).stage == "signed"


def test_a_reopened_review_withdraws_the_earlier_pass(
    review, env_reviewer, land_reviewer, colleague, env_dept
):
    answer(review, env_reviewer, 9)
    answer(review, land_reviewer, 9)
    decide(review, colleague)
    services.start_review(
        actor=colleague, project=review.project, departments=[env_dept], source="user",
        on=date(2023, 3, 1),
    )  # fmt: skip
    assert refusal(review.project).endswith("（当前：进行中）")


def test_manufacturing_over_1_yi_needs_a_review(wujie):
    plant = make_project(wujie, name="化工中间体项目", yi=2, code="C2614")
    assert refusal(plant).startswith("该项目属制造业且总投资≥1亿元，须经研判会商通过后方可签约")


def test_a_project_under_the_thresholds_signs_freely(wujie):
    shop = make_project(wujie, name="软件园项目", yi=5, code="I6510")
    assert sign(shop).stage == "signed"


def test_a_major_project_cannot_skip_signing_by_entering_at_a_later_stage(major):
    message = refusal(major, stage="started")
    assert "（当前：未发起）" in message and "未经签约不能直接登记「开工」" in message


def test_history_before_the_cutover_is_not_rejudged(major):
    assert sign(major, on=date(2023, 3, 3)).stage == "signed"


def test_without_the_cutover_setting_every_signing_is_gated(major):
    DistrictSetting.objects.filter(key="review_required_since").delete()
    assert refusal(major, on=date(2020, 1, 1)).endswith("（当前：未发起）")


def test_the_threshold_is_the_published_policy(major, colleague):
    services.ensure_policy()
    current = services.gate.current_policy()
    services.publish_policy(
        actor=colleague,
        fields={"min_investment_yuan": 50 * 10**8, "manufacturing_sections": "B"},
        criteria=[{"code": c.code, "name": c.name, "min_score": c.min_score, "max_score": c.max_score,
                   "weight": c.weight, "veto": c.veto, "veto_below": c.veto_below}
                  for c in current.criteria.all()],
        expected_version=current.version, source="user",
    )  # fmt: skip
    assert sign(major).stage == "signed"  # 30亿 is under 50亿, and C is no longer gated


def test_the_api_refuses_signing_without_review_with_422(client, owner, wujie, wujie_team):
    project = make_project(wujie, team=wujie_team)
    login(client, owner)

    response = client.post(
        f"/api/v1/projects/{project.pk}/events",
        {"stage": "signed", "date": "2023-03-10"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["errors"]["stage"] == [
        "该项目总投资≥10亿元，须经研判会商通过后方可签约（当前：未发起）"
    ]
    assert not project.events.exists()


def test_the_ledger_page_refuses_signing_without_review(client, colleague, major):
    login(client, colleague)

    response = client.post(
        f"/projects/{major.pk}/events/",
        {"stage": "signed", "date": "2023-03-10", "precision": "day", "version": major.version},
        follow=True,
    )

    assert "须经研判会商通过后方可签约" in response.content.decode()
    assert not major.events.exists()
