"""Outreach tasks and the grant workflow: 数据比对 → 意愿确认 → 拨付 for 免申即享,
已申报 → 拨付 for applications; every transition logged; refusals in Chinese."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haotong.core.models import AuditEntry, Role
from haotong.core.services import create_user
from haotong.policies import outreach, workflow
from haotong.policies.models import Grant, GrantEvent, OutreachTask
from tests.conftest import PASSWORD
from tests.policies.conftest import make_clause

pytestmark = pytest.mark.django_db
PAID_ON = date(2023, 3, 1)


def _step(grant: Grant, actor, to: str, **kw) -> Grant:
    return outreach.advance_grant(actor=actor, grant=grant, expected_version=grant.version,
                                  to=to, source="user", **kw)  # fmt: skip


@pytest.fixture
def auto_grant(rd_clause, firms, kjj_reviewer) -> Grant:
    return outreach.start_auto_grant(actor=kjj_reviewer, enterprise=firms["hi"],
                                     clause=rd_clause, source="user")  # fmt: skip


@pytest.fixture
def firm_user(firms):
    return create_user(username="firm", password=PASSWORD, role=Role.ENTERPRISE, org_unit=None,
                       enterprise_id=firms["hi"].pk)  # fmt: skip


class TestAutoGrant:
    def test_the_full_flow_is_logged_step_by_step(self, auto_grant, kjj_reviewer):
        assert (auto_grant.status, auto_grant.expected_yuan) == ("matched", Decimal("300000.00"))
        grant = _step(auto_grant, kjj_reviewer, "confirmed")
        grant = _step(grant, kjj_reviewer, "paid", amount_yuan=Decimal(300000), paid_on=PAID_ON)
        assert (grant.status, grant.paid_yuan, grant.paid_on) == ("paid", 300000, PAID_ON)
        steps = list(GrantEvent.objects.values_list("from_status", "to_status"))
        assert steps == [("", "matched"), ("matched", "confirmed"), ("confirmed", "paid")]
        actions = AuditEntry.objects.filter(model="policies.grant").values_list("action", flat=True)
        assert sorted(actions) == ["grant:confirmed", "grant:matched", "grant:paid"]

    def test_paying_before_the_enterprise_confirms_is_refused(self, auto_grant, kjj_reviewer):
        with pytest.raises(ValidationError) as exc:
            _step(auto_grant, kjj_reviewer, "paid", amount_yuan=Decimal(1), paid_on=PAID_ON)
        assert exc.value.messages == [
            "「数据比对」之后只能是意愿确认、企业放弃，不能直接改为「已拨付」"
        ]
        assert Grant.objects.get().status == "matched" and GrantEvent.objects.count() == 1

    def test_nothing_follows_a_payment(self, auto_grant, kjj_reviewer):
        grant = _step(auto_grant, kjj_reviewer, "confirmed")
        grant = _step(grant, kjj_reviewer, "paid", amount_yuan=Decimal(10), paid_on=PAID_ON)
        with pytest.raises(ValidationError, match="流程已结束"):
            _step(grant, kjj_reviewer, "declined")

    def test_a_payment_above_the_cap_is_refused(self, rd_clause, firms, kjj_reviewer):
        grant = outreach.start_auto_grant(actor=None, enterprise=firms["west"], clause=rd_clause,
                                          source="system")  # fmt: skip
        grant = _step(grant, kjj_reviewer, "confirmed")
        with pytest.raises(ValidationError) as exc:
            _step(grant, kjj_reviewer, "paid", amount_yuan=Decimal(2000001), paid_on=PAID_ON)
        assert "超过封顶金额" in exc.value.message_dict["amount_yuan"][0]

    def test_an_enterprise_not_eligible_cannot_be_granted(self, rd_clause, firms, kjj_reviewer):
        for name in ("lo", "blank"):  # not eligible / unknown
            with pytest.raises(ValidationError, match="不符合"):
                outreach.start_auto_grant(actor=kjj_reviewer, enterprise=firms[name],
                                          clause=rd_clause, source="user")  # fmt: skip
        assert not Grant.objects.exists()

    def test_the_enterprise_confirms_its_own_grant_but_cannot_pay_it(self, auto_grant, firm_user):
        grant = _step(auto_grant, firm_user, "confirmed")
        assert GrantEvent.objects.last().actor == firm_user
        with pytest.raises(PermissionDenied):
            _step(grant, firm_user, "paid", amount_yuan=Decimal(1), paid_on=PAID_ON)

    def test_another_department_cannot_work_the_clause(self, rd_clause, firms, hbj_reviewer):
        with pytest.raises(PermissionDenied):
            outreach.start_auto_grant(actor=hbj_reviewer, enterprise=firms["hi"],
                                      clause=rd_clause, source="user")  # fmt: skip

    def test_a_stale_step_is_refused(self, auto_grant, kjj_reviewer):
        _step(auto_grant, kjj_reviewer, "confirmed")
        with pytest.raises(ValidationError, match="已被他人更新"):
            outreach.advance_grant(actor=kjj_reviewer, grant=auto_grant, expected_version=1,
                                   to="declined", source="user")  # fmt: skip


class TestApplicationsAndCombining:
    def test_an_application_goes_straight_to_payment(self, loan_clause, firms, kjj_reviewer):
        grant = outreach.record_application(actor=kjj_reviewer, enterprise=firms["hi"],
                                            clause=loan_clause, source="user")  # fmt: skip
        assert grant.status == "applied" and not grant.auto
        grant = _step(grant, kjj_reviewer, "paid", amount_yuan=Decimal(150000), paid_on=PAID_ON)
        assert grant.paid_yuan == Decimal(150000)

    def test_auto_and_application_routes_are_not_mixed(self, rd_clause, loan_clause, firms):
        with pytest.raises(ValidationError, match="免申即享，无需申报"):
            outreach.record_application(actor=None, enterprise=firms["hi"], clause=rd_clause,
                                        source="system")  # fmt: skip
        with pytest.raises(ValidationError, match="需要企业申报"):
            outreach.start_auto_grant(actor=None, enterprise=firms["hi"], clause=loan_clause,
                                      source="system")  # fmt: skip

    def test_a_clause_that_does_not_combine_excludes_the_policys_others(
        self, policy, kjj, rd_clause, firms
    ):
        solo = make_clause(policy, kjj, "第5条", "is_high_tech", benefit_formula="1万",
                           combinable=False)  # fmt: skip
        outreach.start_auto_grant(actor=None, enterprise=firms["hi"], clause=rd_clause,
                                  source="system")  # fmt: skip
        with pytest.raises(ValidationError, match="不可与本政策其他条款叠加"):
            outreach.record_application(actor=None, enterprise=firms["hi"], clause=solo,
                                        source="system")  # fmt: skip

    def test_a_declined_grant_no_longer_blocks_combining(self, policy, kjj, rd_clause, firms):
        solo = make_clause(policy, kjj, "第5条", "is_high_tech", benefit_formula="1万",
                           combinable=False)  # fmt: skip
        grant = outreach.start_auto_grant(actor=None, enterprise=firms["hi"], clause=rd_clause,
                                          source="system")  # fmt: skip
        _step(grant, None, "declined")
        assert outreach.record_application(actor=None, enterprise=firms["hi"], clause=solo,
                                           source="system").status == "applied"  # fmt: skip


class TestOutreachTasks:
    def test_a_task_records_its_outcome(self, rd_clause, firms, kjj_reviewer):
        task = outreach.create_outreach_task(actor=kjj_reviewer, enterprise=firms["hi"],
                                             clause=rd_clause, assignee=kjj_reviewer,
                                             source="user")  # fmt: skip
        assert task.department.name == "区科技局" and task.status == "open"
        task = outreach.record_outreach_outcome(actor=kjj_reviewer, task=task, expected_version=1,
                                                outcome="will_apply", contacted_on=PAID_ON,
                                                source="user")  # fmt: skip
        assert (task.status, task.outcome, task.version) == ("done", "will_apply", 2)
        assert AuditEntry.objects.filter(model="policies.outreachtask").count() == 2

    def test_no_task_for_an_enterprise_that_does_not_qualify(self, rd_clause, firms):
        with pytest.raises(ValidationError):
            outreach.create_outreach_task(actor=None, enterprise=firms["lo"], clause=rd_clause,
                                          assignee=None, source="system")  # fmt: skip
        assert not OutreachTask.objects.exists()

    def test_an_outcome_is_required_and_the_assignee_must_be_of_the_department(
        self, rd_clause, firms, kjj_reviewer, hbj_reviewer
    ):
        with pytest.raises(ValidationError, match="不属于责任部门"):
            outreach.create_outreach_task(actor=None, enterprise=firms["hi"], clause=rd_clause,
                                          assignee=hbj_reviewer, source="system")  # fmt: skip
        task = outreach.create_outreach_task(actor=None, enterprise=firms["hi"], clause=rd_clause,
                                             assignee=None, source="system")  # fmt: skip
        with pytest.raises(ValidationError):
            outreach.record_outreach_outcome(actor=kjj_reviewer, task=task, expected_version=1,
                                             outcome="", contacted_on=PAID_ON, source="user")  # fmt: skip
        with pytest.raises(PermissionDenied):
            outreach.record_outreach_outcome(actor=hbj_reviewer, task=task, expected_version=1,
                                             outcome="declined", contacted_on=PAID_ON,
                                             source="user")  # fmt: skip


def test_the_workflow_table_has_no_way_back_from_a_final_state():
    for state in workflow.FINAL:
        for target in workflow.LABELS:
            with pytest.raises(workflow.TransitionError):
                workflow.check_transition(state, target)
