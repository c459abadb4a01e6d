"""The catalogue's write path: rules validated by the engine on save (named part
and position, nothing saved on error), every edit kept as a version, audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haotong.core.models import AuditEntry
from haotong.policies import services
from haotong.policies.models import Clause, ClauseVersion, Eligibility
from tests.policies.conftest import make_clause

pytestmark = pytest.mark.django_db


def _update(clause: Clause, actor, **fields) -> Clause:
    return services.update_clause(actor=actor, clause=clause, expected_version=clause.version,
                                  fields=fields, source="user")  # fmt: skip


class TestRuleValidationOnSave:
    def test_an_unknown_attribute_is_rejected_with_its_position_and_a_suggestion(
        self, rd_clause, colleague
    ):
        with pytest.raises(ValidationError) as exc:
            _update(rd_clause, colleague, rule="is_high_tech and rd_ratoi >= 3")
        assert exc.value.message_dict["rule"] == [
            "第18个字符：未知属性「rd_ratoi」（是否想写「rd_ratio」？）"
        ]

    def test_a_rule_that_does_not_parse_names_where_it_stops(self, rd_clause, colleague):
        with pytest.raises(ValidationError) as exc:
            _update(rd_clause, colleague, rule="rd_ratio >= ")
        assert exc.value.message_dict["rule"][0].startswith("第13个字符：规则不完整")

    def test_comparing_text_with_a_number_is_rejected(self, rd_clause, colleague):
        with pytest.raises(ValidationError) as exc:
            _update(rd_clause, colleague, rule="town >= 5")
        assert exc.value.message_dict["rule"] == ["第9个字符：不能把文本「town」与数字「5」比较"]

    def test_a_bad_benefit_formula_is_reported_on_its_own_field(self, rd_clause, colleague):
        with pytest.raises(ValidationError) as exc:
            _update(rd_clause, colleague, benefit_formula="min(rd_expense_yuan, town)")
        assert list(exc.value.message_dict) == ["benefit_formula"]
        assert "town" in exc.value.message_dict["benefit_formula"][0]

    def test_nothing_is_saved_when_the_rule_is_bad(self, rd_clause, colleague):
        before = (Clause.objects.get().rule, ClauseVersion.objects.count(),
                  AuditEntry.objects.count(), Eligibility.objects.count())  # fmt: skip
        with pytest.raises(ValidationError):
            _update(rd_clause, colleague, title="新名称", rule="rd_ratio >>= 3")
        clause = Clause.objects.get()
        assert (clause.rule, ClauseVersion.objects.count(), AuditEntry.objects.count(),
                Eligibility.objects.count()) == before  # fmt: skip
        assert clause.title == "条款第1条" and clause.version == 1

    def test_a_new_clause_with_a_bad_rule_is_not_created(self, policy, kjj):
        with pytest.raises(ValidationError):
            make_clause(policy, kjj, "第9条", "employees > '十'")
        assert not Clause.objects.exists()

    def test_a_negative_cap_is_rejected(self, rd_clause, colleague):
        with pytest.raises(ValidationError) as exc:
            _update(rd_clause, colleague, cap_yuan=Decimal("-1"))
        assert "cap_yuan" in exc.value.message_dict

    def test_chinese_attribute_labels_and_keywords_are_accepted(self, rd_clause, colleague):
        clause = _update(rd_clause, colleague, rule="研发费用占比 >= 5 且 高新技术企业")
        assert clause.rule == "研发费用占比 >= 5 且 高新技术企业"


class TestEditing:
    def test_an_edit_keeps_the_previous_rule_as_a_version(self, rd_clause, colleague):
        clause = _update(rd_clause, colleague, rule="rd_ratio >= 5 and is_high_tech")
        versions = list(clause.versions.order_by("number").values_list("number", "rule"))
        assert versions == [(1, "rd_ratio >= 3 and is_high_tech"),
                            (2, "rd_ratio >= 5 and is_high_tech")]  # fmt: skip
        assert clause.versions.get(number=2).edited_by == colleague

    def test_an_edit_is_audited_with_before_and_after(self, rd_clause, colleague):
        _update(rd_clause, colleague, rule="rd_ratio >= 5 and is_high_tech")
        entry = AuditEntry.objects.filter(model="policies.clause", action="update").get()
        assert entry.actor == colleague and entry.source == "user"
        assert entry.before["rule"] == "rd_ratio >= 3 and is_high_tech"
        assert entry.after["rule"] == "rd_ratio >= 5 and is_high_tech"

    def test_a_stale_edit_is_refused(self, rd_clause, colleague):
        _update(rd_clause, colleague, title="第一次")
        with pytest.raises(services.ConflictError):
            services.update_clause(actor=colleague, clause=rd_clause, expected_version=1,
                                   fields={"title": "第二次"}, source="user")  # fmt: skip
        assert Clause.objects.get().title == "第一次"

    def test_an_edit_refreshes_the_clauses_stored_eligibility(self, rd_clause, colleague, firms):
        assert Eligibility.objects.filter(clause=rd_clause, status="eligible").count() == 2
        clause = _update(rd_clause, colleague, rule="rd_ratio >= 5 and is_high_tech")
        rows = Eligibility.objects.filter(clause=clause, status="eligible")
        assert [r.enterprise for r in rows] == [firms["west"]]
        assert rows.get().clause_version == 2

    @pytest.mark.parametrize("who", ["owner", "outsider", "kjj_reviewer"])
    def test_only_policy_staff_may_edit(self, rd_clause, who, request):
        with pytest.raises(PermissionDenied):
            _update(rd_clause, request.getfixturevalue(who), title="x")
