"""Policy pages as owner (五接镇 team), colleague (发改委 analyst, policy staff),
outsider (西亭镇 team), the responsible department's reviewer and an enterprise user."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haotong.core.models import Role
from haotong.core.services import create_user
from haotong.policies import outreach
from haotong.policies.models import Clause, Eligibility, Grant, OutreachTask
from tests.conftest import PASSWORD, login
from tests.policies.conftest import make_clause, make_enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm_user(firms):
    return create_user(username="firm", password=PASSWORD, role=Role.ENTERPRISE, org_unit=None,
                       enterprise_id=firms["hi"].pk)  # fmt: skip


def _get(client, user, url):
    login(client, user)
    return client.get(url)


class TestDashboard:
    def test_the_colleague_sees_district_figures_linked_to_rows(self, client, colleague, rd_clause):
        r = _get(client, colleague, reverse("policies:index"))
        assert r.status_code == 200
        assert r.context["totals"]["due"]["n"] == 2
        assert r.context["totals"]["due"]["s"] == Decimal("2300000.00")
        town = {b.label: b for b in r.context["by_town"]}
        assert town["西亭镇"].due_count == 1
        assert f"{reverse('policies:eligible')}?status=eligible&amp;town=%E8%A5%BF" in r.text

    def test_a_town_team_sees_only_its_own_enterprises(self, client, owner, outsider, rd_clause):
        assert _get(client, owner, reverse("policies:index")).context["totals"]["due"]["n"] == 1
        r = _get(client, outsider, reverse("policies:index"))
        assert [b.label for b in r.context["by_town"]] == ["西亭镇"]

    def test_paid_grants_count_as_taken_up(self, client, colleague, rd_clause, firms):
        grant = outreach.start_auto_grant(actor=None, enterprise=firms["hi"], clause=rd_clause,
                                          source="system")  # fmt: skip
        grant = outreach.advance_grant(actor=None, grant=grant, expected_version=1,
                                       to="confirmed", source="system")  # fmt: skip
        outreach.advance_grant(actor=None, grant=grant, expected_version=2, to="paid",
                               amount_yuan=Decimal(300000), paid_on=grant.clause.policy.period_start
                               or __import__("datetime").date(2023, 3, 1), source="system")  # fmt: skip
        totals = _get(client, colleague, reverse("policies:index")).context["totals"]
        assert (totals["paid"]["n"], totals["paid"]["s"], totals["not_taken"]) == (
            1, Decimal("300000.00"), 1)  # fmt: skip

    def test_an_enterprise_user_is_sent_to_its_own_page(self, client, firm_user, firms):
        r = _get(client, firm_user, reverse("policies:index"))
        assert r.status_code == 302
        assert r.url == reverse("policies:enterprise", args=[firms["hi"].pk])


class TestCatalogueAndEditing:
    @pytest.mark.parametrize("who", ["owner", "colleague", "outsider"])
    def test_the_catalogue_is_readable_by_officials(self, client, who, rd_clause, request):
        user = request.getfixturevalue(who)
        for url in (reverse("policies:catalogue"), rd_clause.policy.get_absolute_url(),
                    rd_clause.get_absolute_url()):  # fmt: skip
            assert _get(client, user, url).status_code == 200

    def test_an_enterprise_user_does_not_see_the_catalogue_pages(
        self, client, firm_user, rd_clause
    ):
        assert _get(client, firm_user, rd_clause.get_absolute_url()).status_code == 404

    @pytest.mark.parametrize("who", ["owner", "outsider", "kjj_reviewer"])
    def test_only_policy_staff_can_open_the_editor(self, client, who, rd_clause, request):
        url = reverse("policies:clause_edit", args=[rd_clause.pk])
        assert _get(client, request.getfixturevalue(who), url).status_code == 404

    def _post(self, client, clause, rule):
        return client.post(reverse("policies:clause_edit", args=[clause.pk]), {
            "code": clause.code, "title": clause.title, "rule": rule,
            "benefit_formula": clause.benefit_formula, "cap_yuan": "2000000",
            "auto_grant": "on", "combinable": "on", "department": clause.department_id,
            "version": clause.version, "note": "提高门槛",
        })  # fmt: skip

    def test_the_colleague_edits_a_rule_and_the_matches_follow(self, client, colleague, rd_clause):
        login(client, colleague)
        r = self._post(client, rd_clause, "rd_ratio >= 5 and is_high_tech")
        assert r.status_code == 302
        assert Clause.objects.get().version == 2
        assert Eligibility.objects.filter(status="eligible").count() == 1

    def test_a_bad_rule_is_shown_with_its_position_and_nothing_is_saved(
        self, client, colleague, rd_clause
    ):
        login(client, colleague)
        r = self._post(client, rd_clause, "rd_ratio >= 5 and is_hightech")
        assert r.status_code == 400
        assert "第19个字符：未知属性「is_hightech」（是否想写「is_high_tech」？）" in r.text
        assert Clause.objects.get().rule == "rd_ratio >= 3 and is_high_tech"

    def test_a_stale_form_is_refused(self, client, colleague, rd_clause):
        login(client, colleague)
        self._post(client, rd_clause, "rd_ratio >= 4 and is_high_tech")
        r = self._post(client, rd_clause, "rd_ratio >= 6 and is_high_tech")  # still version 1
        assert r.status_code == 400 and "已被他人修改" in r.text
        assert Clause.objects.get().rule == "rd_ratio >= 4 and is_high_tech"

    def test_running_the_match_needs_policy_staff(self, client, owner, colleague, rd_clause):
        login(client, owner)
        assert client.post(reverse("policies:run")).status_code == 404
        login(client, colleague)
        assert client.post(reverse("policies:run")).status_code == 302


class TestEnterprisePages:
    @pytest.mark.parametrize("who,status", [("owner", 200), ("colleague", 200),
                                            ("outsider", 404), ("firm_user", 200)])  # fmt: skip
    def test_the_enterprise_page_is_scoped(self, client, who, status, rd_clause, firms, request):
        url = reverse("policies:enterprise", args=[firms["hi"].pk])
        r = _get(client, request.getfixturevalue(who), url)
        assert r.status_code == status
        if status == 200:
            assert "研发费用占比 4.5% ≥ 3%" in r.text and "30万元" in r.text

    def test_an_enterprise_user_sees_only_its_own_page(self, client, firm_user, firms, rd_clause):
        url = reverse("policies:enterprise", args=[firms["lo"].pk])
        assert _get(client, firm_user, url).status_code == 404
        url = reverse("policies:explanation", args=[firms["lo"].pk, rd_clause.pk])
        assert client.get(url).status_code == 404

    @pytest.mark.parametrize("who,status", [("owner", 200), ("colleague", 200), ("outsider", 404)])
    def test_the_explanation_shows_the_actual_values(self, client, who, status, rd_clause, firms,
                                                     request):  # fmt: skip
        url = reverse("policies:explanation", args=[firms["lo"].pk, rd_clause.pk])
        r = _get(client, request.getfixturevalue(who), url)
        assert r.status_code == status
        if status == 200:
            assert "研发费用占比 2.1% &lt; 3%" in r.text and "不符合" in r.text

    def test_unknown_is_shown_as_missing_data_not_as_eligible(self, client, colleague, rd_clause,
                                                             firms):  # fmt: skip
        r = _get(client, colleague, reverse("policies:enterprise", args=[firms["blank"].pk]))
        assert "无法判断（缺少数据）" in r.text and "缺少「" in r.text


class TestOutreachPages:
    @pytest.mark.parametrize("who", ["owner", "outsider", "firm_user"])
    def test_outreach_is_for_departments_and_policy_staff_only(self, client, who, rd_clause,
                                                              request):  # fmt: skip
        r = _get(client, request.getfixturevalue(who), reverse("policies:outreach"))
        assert r.status_code == 404

    def test_the_department_sees_its_clauses_with_phones_masked(self, client, kjj_reviewer,
                                                               rd_clause):  # fmt: skip
        r = _get(client, kjj_reviewer, reverse("policies:outreach"))
        assert r.status_code == 200
        assert "138****5678" in r.text and "13812345678" not in r.text
        assert len(r.context["page"]) == 2

    def test_the_policy_staff_sees_phones(self, client, colleague, rd_clause):
        assert "13812345678" in _get(client, colleague, reverse("policies:outreach")).text

    def test_another_department_does_not_see_these_clauses(self, client, hbj_reviewer, rd_clause):
        r = _get(client, hbj_reviewer, reverse("policies:outreach"))
        assert r.status_code == 200 and len(r.context["page"]) == 0

    def test_a_task_is_created_and_its_outcome_recorded(self, client, kjj_reviewer, rd_clause,
                                                       firms):  # fmt: skip
        login(client, kjj_reviewer)
        hi = firms["hi"]
        client.post(reverse("policies:task_create"), {"enterprise": hi.pk, "clause": rd_clause.pk})
        task = OutreachTask.objects.get()
        assert task.assignee == kjj_reviewer
        client.post(reverse("policies:task_outcome", args=[task.pk]),
                    {"version": 1, "outcome": "applied", "contacted_on": "2023-03-01"})  # fmt: skip
        task.refresh_from_db()
        assert (task.status, task.outcome) == ("done", "applied")

    def test_another_department_cannot_post_a_task(self, client, hbj_reviewer, rd_clause, firms):
        login(client, hbj_reviewer)
        r = client.post(reverse("policies:task_create"),
                        {"enterprise": firms["hi"].pk, "clause": rd_clause.pk})  # fmt: skip
        assert r.status_code == 404 and not OutreachTask.objects.exists()


class TestGrantPages:
    @pytest.fixture
    def grant(self, rd_clause, firms) -> Grant:
        return outreach.start_auto_grant(actor=None, enterprise=firms["hi"], clause=rd_clause,
                                         source="system")  # fmt: skip

    @pytest.mark.parametrize("who,status", [("owner", 200), ("colleague", 200), ("outsider", 404),
                                            ("firm_user", 200)])  # fmt: skip
    def test_the_grant_page_is_scoped(self, client, who, status, grant, request):
        r = _get(client, request.getfixturevalue(who), reverse("policies:grant", args=[grant.pk]))
        assert r.status_code == status

    def test_the_enterprise_confirms_through_its_page(self, client, firm_user, grant):
        login(client, firm_user)
        client.post(
            reverse("policies:grant_step", args=[grant.pk]), {"version": 1, "to": "confirmed"}
        )
        assert Grant.objects.get().status == "confirmed"

    def test_a_refused_step_is_explained_and_changes_nothing(self, client, kjj_reviewer, grant):
        login(client, kjj_reviewer)
        r = client.post(reverse("policies:grant_step", args=[grant.pk]),
                        {"version": 1, "to": "paid", "amount_yuan": "1", "paid_on": "2023-03-01"},
                        follow=True)  # fmt: skip
        assert "不能直接改为「已拨付」" in r.text
        assert Grant.objects.get().status == "matched"

    def test_the_owner_cannot_advance_a_grant(self, client, owner, grant):
        login(client, owner)
        r = client.post(reverse("policies:grant_step", args=[grant.pk]),
                        {"version": 1, "to": "confirmed"})  # fmt: skip
        assert r.status_code == 404 and Grant.objects.get().status == "matched"

    def test_the_grant_list_filters_by_status(self, client, colleague, grant):
        r = _get(client, colleague, reverse("policies:grants") + "?status=matched")
        assert len(r.context["page"]) == 1
        r = client.get(reverse("policies:grants") + "?status=paid")
        assert len(r.context["page"]) == 0


class TestQueryCounts:
    """Queries per page do not grow with the rows shown (3 vs 30)."""

    def _firms(self, wujie, start, stop):
        for i in range(start, stop):
            make_enterprise(
                f"批量企业{i:02d}", wujie, employees=10 + i, contact_phone="13900001111"
            )

    def _count(self, client, url) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    @pytest.mark.parametrize("name", ["policies:eligible", "policies:outreach", "policies:grants",
                                      "policies:index"])  # fmt: skip
    def test_lists(self, client, colleague, policy, kjj, wujie, name):
        login(client, colleague)
        counts = []
        for n in (3, 30):
            Eligibility.objects.all().delete()
            Grant.objects.all().delete()
            Clause.objects.all().delete()
            self._firms(wujie, 0 if n == 3 else 3, n)
            clause = make_clause(policy, kjj, f"第{n}条", "employees >= 10", benefit_formula="1万",
                                 auto_grant=True)  # fmt: skip
            for row in Eligibility.objects.filter(clause=clause):
                outreach.start_auto_grant(actor=None, enterprise=row.enterprise, clause=clause,
                                          source="system")  # fmt: skip
            counts.append(self._count(client, reverse(name)))
        assert counts[0] == counts[1]

    def test_enterprise_page(self, client, colleague, policy, kjj, firms):
        login(client, colleague)
        counts = []
        url = reverse("policies:enterprise", args=[firms["hi"].pk])
        for n in (3, 30):
            for i in range(n - (3 if n == 30 else 0)):
                make_clause(policy, kjj, f"第{n}-{i}条", f"employees >= {i}")
            assert Eligibility.objects.filter(enterprise=firms["hi"]).count() == n
            counts.append(self._count(client, url))
        assert counts[0] == counts[1]
