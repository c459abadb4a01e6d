"""The review workflow: who may do what, bad input refused whole, every step audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haotong.core import audit
from haotong.core.models import AuditEntry
from haotong.review import services
from haotong.review.models import Opinion, Reminder, Review, ReviewPolicy, Score
from tests.review.conftest import CALLED_ON, answer, decide, scores


def test_it_invites_departments_in_parallel_with_a_working_day_deadline(
    review, env_dept, land_dept
):
    assert review.deadline == date(2023, 2, 27)  # 5 working days after Mon 2023-02-20
    assert review.reason == "总投资≥10亿元"
    assert {(i.department, i.deadline) for i in review.invitations.all()} == {
        (env_dept, date(2023, 2, 27)), (land_dept, date(2023, 2, 27)),
    }  # fmt: skip
    (entry,) = audit.entries_for(review)
    assert (entry.action, entry.after["departments"]) == (
        "review:call",
        ["区生态环境局", "区自然资源和规划分局"],
    )


def test_only_district_roles_call_reviews(major, owner, env_reviewer, env_dept):
    for actor in (owner, env_reviewer):
        with pytest.raises(PermissionDenied):
            services.start_review(actor=actor, project=major, departments=[env_dept], source="user")
    assert not Review.objects.exists()


def test_only_departments_are_invited(major, colleague, wujie):
    with pytest.raises(ValidationError, match="五接镇不是部门"):
        services.start_review(actor=colleague, project=major, departments=[wujie], source="user")


def test_a_project_has_one_open_review_at_a_time(review, colleague, env_dept):
    with pytest.raises(ValidationError, match="已有进行中的研判会商"):
        services.start_review(
            actor=colleague, project=review.project, departments=[env_dept], source="user"
        )


def test_an_out_of_range_score_is_refused_and_nothing_is_saved(review, env_reviewer):
    with pytest.raises(ValidationError) as exc:
        services.submit_opinion(
            actor=env_reviewer, review=review, scores=scores(8, technology=12),
            comments="同意", source="user",
        )  # fmt: skip
    assert exc.value.message_dict["scores"] == ["「技术先进性」的评分12超出范围（0–10）"]
    assert not Opinion.objects.exists() and not Score.objects.exists()
    assert review.invitations.filter(answered_on__isnull=False).count() == 0


def test_an_uninvited_reviewer_cannot_give_an_opinion(review, uninvited_reviewer):
    with pytest.raises(PermissionDenied):
        answer(review, uninvited_reviewer)
    assert not Opinion.objects.exists()


def test_a_changed_opinion_is_audited_with_before_and_after_scores(review, env_reviewer):
    answer(review, env_reviewer, 6)
    opinion = Opinion.objects.get()
    services.submit_opinion(
        actor=env_reviewer, review=review, scores=scores(6, technology=9), comments="补充",
        expected_version=opinion.version, source="user",
    )  # fmt: skip
    latest = AuditEntry.objects.filter(action="review:opinion").first()
    assert latest is not None
    assert (latest.before["scores"]["technology"], latest.after["scores"]["technology"]) == (
        "6.00", "9.00"
    )  # fmt: skip
    assert Score.objects.get(criterion__code="technology").value == Decimal(9)


def test_a_stale_opinion_does_not_overwrite_a_colleagues(review, env_reviewer):
    answer(review, env_reviewer, 6)
    answer_again = dict(actor=env_reviewer, review=review, comments="x", source="user")
    with pytest.raises(services.ConflictError):
        services.submit_opinion(scores=scores(9), expected_version=None, **answer_again)
    assert Score.objects.filter(value=6).count() == 6


def test_a_verdict_without_every_opinion_is_refused(review, env_reviewer, colleague):
    answer(review, env_reviewer)
    with pytest.raises(ValidationError, match="尚有1个部门未提交意见（区自然资源和规划分局）"):
        decide(review, colleague)
    review.refresh_from_db()
    assert (review.status, review.verdict) == ("open", "")


def test_a_conditional_pass_needs_conditions(review, env_reviewer, land_reviewer, colleague):
    answer(review, env_reviewer, 7)
    answer(review, land_reviewer, 7)
    with pytest.raises(ValidationError, match="须写明通过条件"):
        decide(review, colleague)
    decided = decide(review, colleague, conditions="亩均税收不低于30万元")
    assert decided.conditions == "亩均税收不低于30万元"


def test_departments_conditions_carry_into_the_verdict(
    review, env_reviewer, land_reviewer, colleague
):
    answer(review, env_reviewer, 9, conditions="落实能耗等量替代")
    answer(review, land_reviewer, 9)
    decided = decide(review, colleague)
    assert decided.get_verdict_display() == "有条件通过"
    assert decided.conditions == "区生态环境局：落实能耗等量替代"


def test_the_verdict_follows_the_rule_and_is_audited(review, env_reviewer, land_reviewer, leader):
    answer(review, env_reviewer, 10, energy_environment=2)
    answer(review, land_reviewer, 10)
    decided = decide(review, leader)
    assert (decided.status, decided.verdict, decided.decided_by) == ("decided", "rejected", leader)
    assert decided.veto_reasons == "区生态环境局：能耗与环保2分，低于否决线4分"
    entry = AuditEntry.objects.get(action="review:verdict")
    assert (entry.actor, entry.before["verdict"], entry.after["verdict"]) == (
        leader,
        "",
        "rejected",
    )


def test_reviewers_and_teams_cannot_record_verdicts(review, env_reviewer, owner):
    for actor in (env_reviewer, owner):
        with pytest.raises(PermissionDenied):
            decide(review, actor)


def test_a_stale_verdict_form_is_refused(review, env_reviewer, land_reviewer, colleague):
    answer(review, env_reviewer)
    answer(review, land_reviewer)
    with pytest.raises(services.ConflictError):
        services.record_verdict(
            actor=colleague, review=review, expected_version=review.version - 1, source="user"
        )


def test_no_opinion_after_the_verdict(review, env_reviewer, land_reviewer, colleague):
    answer(review, env_reviewer)
    answer(review, land_reviewer)
    decide(review, colleague)
    with pytest.raises(ValidationError, match="已作出结论"):
        answer(review, env_reviewer, 1)


def test_chasing_a_late_department_logs_a_reminder_with_its_lateness(review, colleague):
    from haotong.core.models import DistrictSetting

    DistrictSetting.objects.create(key="ledger_as_of", value="2023-03-03")
    late = review.invitations.get(department__name="区生态环境局")
    reminder = services.chase_invitation(
        actor=colleague, invitation=late, note="请尽快反馈", source="user", on=date(2023, 3, 3)
    )
    assert (reminder.working_days_late, reminder.sent_by) == (4, colleague)
    entry = AuditEntry.objects.get(action="review:chase")
    assert (entry.object_id, entry.source_detail) == (str(review.pk), "区生态环境局")


def test_a_department_that_answered_is_not_chased(review, env_reviewer, colleague):
    answer(review, env_reviewer)
    with pytest.raises(ValidationError, match="已提交意见，无需催办"):
        services.chase_invitation(
            actor=colleague, invitation=review.invitations.get(department__name="区生态环境局"),
            source="user",
        )  # fmt: skip
    assert not Reminder.objects.exists()


def test_publishing_the_policy_makes_a_new_audited_version(colleague):
    first = services.ensure_policy()
    second = services.publish_policy(
        actor=colleague, fields={"pass_score": Decimal(80), "note": "提高通过线"},
        criteria=[{"code": "fit", "name": "产业契合度", "min_score": 0, "max_score": 100, "weight": 1}],
        expected_version=first.version, source="user",
    )  # fmt: skip
    assert (first.version, second.version, second.pass_score) == (1, 2, Decimal(80))
    assert first.criteria.count() == 6 and second.criteria.count() == 1
    entry = AuditEntry.objects.get(action="publish", object_id=str(second.pk))
    assert entry.after["criteria"][0]["name"] == "产业契合度"


def test_a_broken_policy_is_refused_whole(colleague):
    services.ensure_policy()
    with pytest.raises(ValidationError) as exc:
        services.publish_policy(
            actor=colleague, fields={"pass_score": 50, "conditional_score": 70},
            criteria=[{"code": "env", "name": "环保", "min_score": 0, "max_score": 10, "weight": 1,
                       "veto": True}],
            expected_version=1, source="user",
        )  # fmt: skip
    assert exc.value.messages == [
        "结论规则须满足 0 ≤ 有条件通过分 ≤ 通过分 ≤ 100",
        "「环保」是一票否决项，须设否决线（高于最低分、不高于最高分）",
    ]
    assert ReviewPolicy.objects.count() == 1


def test_a_policy_edit_from_a_stale_page_is_refused(colleague):
    services.ensure_policy()
    with pytest.raises(services.ConflictError, match="已被他人修订"):
        services.publish_policy(
            actor=colleague, fields={}, criteria=[], expected_version=0, source="user"
        )


def test_old_reviews_keep_the_rules_they_were_called_under(
    review, colleague, env_reviewer, land_reviewer
):
    services.publish_policy(
        actor=colleague, fields={"pass_score": 95, "conditional_score": 90},
        criteria=[{"code": "fit", "name": "契合", "min_score": 0, "max_score": 10, "weight": 1}],
        expected_version=1, source="user",
    )  # fmt: skip
    answer(review, env_reviewer, 8)
    answer(review, land_reviewer, 8)
    assert decide(review, colleague).get_verdict_display() == "通过"  # 80 ≥ version 1's 75
    assert review.called_on == CALLED_ON
