"""Stored eligibility: a matching run stores exactly what the engine decides,
sparse; missing data is unknown, never eligible; an enterprise's change
refreshes its rows at once; explanations show the actual values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from haotong.ledger import services as ledger
from haotong.ledger.models import Enterprise
from haotong.policies import eligibility
from haotong.policies.engine.matching import match_one
from haotong.policies.models import Clause, Eligibility, MatchRun
from tests.policies.conftest import AS_OF, make_clause, make_enterprise

pytestmark = pytest.mark.django_db


def _fresh_engine_pairs() -> set[tuple[int, int, str, Decimal | None]]:
    """Every enterprise × clause through the reference interpreter, independently."""
    clauses = list(Clause.objects.order_by("id"))
    parsed = [eligibility.engine_clause(c) for c in clauses]
    out = set()
    for enterprise in Enterprise.objects.all():
        record = eligibility.enterprise_record(enterprise)
        for m in match_one(record, parsed):
            if m.eligible is not False:
                status = "eligible" if m.eligible else "unknown"
                benefit = None if m.benefit is None else Decimal(f"{m.benefit:.2f}")
                out.add((enterprise.pk, clauses[m.clause_index].pk, status, benefit))
    return out


@pytest.fixture
def more_clauses(policy, kjj, firms, wujie):
    make_clause(
        policy,
        kjj,
        "第3条",
        "town in ('五接镇') and not is_specialized",
        benefit_formula="rd_expense_yuan / land_mu",
        cap_yuan=Decimal("90000"),
    )
    make_clause(policy, kjj, "第4条", "revenue_yuan >= 5000万 or employees > 100",
                benefit_formula="")  # fmt: skip
    for i in range(6):
        make_enterprise(f"随机企业{i}", wujie if i % 2 else None, employees=i * 40,
                        revenue_yuan=Decimal(i * 20_000_000), land_mu=Decimal(i),
                        rd_expense_yuan=Decimal(i * 10_000), is_specialized=i % 3 == 0)  # fmt: skip


class TestFullRun:
    def test_stored_results_equal_a_fresh_engine_run(self, rd_clause, loan_clause, more_clauses):
        run = eligibility.run_match(actor=None)
        stored = eligibility.stored_pairs(Eligibility.objects.all())
        assert stored == _fresh_engine_pairs()
        assert run.eligible + run.unknown == len(stored) > 0
        assert set(Eligibility.objects.values_list("run", flat=True)) == {run.pk}

    def test_only_eligible_and_unknown_pairs_are_stored(self, rd_clause, firms):
        eligibility.run_match(actor=None)
        rows = {e.enterprise.name: (e.status, e.benefit_yuan) for e in Eligibility.objects.all()}
        assert rows == {
            "高研科技有限公司": ("eligible", Decimal("300000.00")),
            "西亭电子有限公司": ("eligible", Decimal("2000000.00")),  # capped at 200万
            "未知数据有限公司": ("unknown", None),
        }  # 低研制造 (2.1% < 3%) is not stored

    def test_missing_attributes_are_unknown_never_eligible(self, policy, kjj, firms):
        # output_yuan is not kept by the ledger: unknown for every enterprise
        make_clause(policy, kjj, "第8条", "output_yuan >= 1亿 or is_high_tech = false")
        statuses = set(Eligibility.objects.values_list("enterprise__name", "status"))
        assert statuses == {("未知数据有限公司", "unknown"), ("高研科技有限公司", "unknown"),
                            ("低研制造有限公司", "unknown"), ("西亭电子有限公司", "unknown")}  # fmt: skip

    def test_age_is_counted_from_the_founding_date_to_the_ledger_date(self, loan_clause, firms):
        assert eligibility.age_in_years(date(2021, 6, 1), AS_OF) == 1
        assert eligibility.age_in_years(date(2020, 3, 3), AS_OF) == 3
        assert eligibility.age_in_years(date(2020, 3, 4), AS_OF) == 2
        eligible = Eligibility.objects.filter(clause=loan_clause, status="eligible")
        assert [e.enterprise for e in eligible] == [firms["hi"]]

    def test_a_rerun_replaces_the_stored_results(self, rd_clause):
        eligibility.run_match(actor=None)
        run = eligibility.run_match(actor=None)
        assert Eligibility.objects.count() == run.eligible + run.unknown == 3

    def test_the_management_command_runs_and_stores(self, rd_clause, capsys):
        Eligibility.objects.all().delete()
        call_command("policies", "match")
        assert "符合 2 对，无法判断 1 对" in capsys.readouterr().out
        assert Eligibility.objects.count() == 3

    def test_a_team_member_cannot_run_the_match(self, rd_clause, owner):
        with pytest.raises(PermissionDenied):
            eligibility.run_match(actor=owner)


class TestIncrementalRefresh:
    def test_update_enterprise_refreshes_its_matches_at_once(self, rd_clause, firms, colleague):
        lo = firms["lo"]
        assert not Eligibility.objects.filter(enterprise=lo).exists()
        ledger.update_enterprise(actor=colleague, enterprise=lo, expected_version=lo.version,
                                 fields={"rd_ratio": Decimal("3.2")}, source="user")  # fmt: skip
        row = Eligibility.objects.get(enterprise=lo)
        assert (row.status, row.benefit_yuan) == ("eligible", Decimal("50000.00"))
        assert MatchRun.objects.first().kind == MatchRun.Kind.ENTERPRISE
        assert Eligibility.objects.count() == 4  # the others untouched

    def test_filling_in_missing_data_turns_unknown_into_a_decision(self, rd_clause, firms):
        blank = firms["blank"]
        ledger.update_enterprise(actor=None, enterprise=blank, expected_version=blank.version,
                                 fields={"is_high_tech": False, "rd_ratio": Decimal(9)},
                                 source="system")  # fmt: skip
        assert not Eligibility.objects.filter(enterprise=blank).exists()  # now plainly not

    def test_the_refreshed_rows_equal_a_fresh_engine_run(self, rd_clause, more_clauses, firms):
        eligibility.run_match(actor=None)
        hi = firms["hi"]
        ledger.update_enterprise(actor=None, enterprise=hi, expected_version=hi.version,
                                 fields={"land_mu": Decimal("12.5")}, source="system")  # fmt: skip
        assert eligibility.stored_pairs(Eligibility.objects.all()) == _fresh_engine_pairs()

    def test_a_stale_enterprise_edit_is_refused_and_nothing_changes(self, rd_clause, firms):
        lo = firms["lo"]
        ledger.update_enterprise(actor=None, enterprise=lo, expected_version=1,
                                 fields={"employees": 10}, source="system")  # fmt: skip
        with pytest.raises(ledger.ConflictError):
            ledger.update_enterprise(actor=None, enterprise=lo, expected_version=1,
                                     fields={"rd_ratio": Decimal(9)}, source="system")  # fmt: skip
        assert not Eligibility.objects.filter(enterprise=lo).exists()

    def test_update_enterprise_is_audited_and_scoped(self, firms, outsider):
        from haotong.core.models import AuditEntry

        hi = firms["hi"]
        with pytest.raises(PermissionDenied):  # 西亭镇 cannot edit a 五接镇 enterprise
            ledger.update_enterprise(actor=outsider, enterprise=hi, expected_version=1,
                                     fields={"employees": 1}, source="user")  # fmt: skip
        ledger.update_enterprise(actor=None, enterprise=hi, expected_version=1,
                                 fields={"employees": 31}, source="system")  # fmt: skip
        entry = AuditEntry.objects.get(model="ledger.enterprise", action="update")
        assert (entry.before["employees"], entry.after["employees"]) == (30, 31)


class TestExplanations:
    def test_a_failed_condition_shows_the_actual_value(self, rd_clause, firms):
        result = eligibility.explain(rd_clause, firms["lo"])
        assert result.verdict == "不符合"
        assert "✗ 研发费用占比 2.1% < 3%" in result.lines()
        assert "✓ 是高新技术企业" in result.lines()

    def test_an_eligible_pair_shows_its_amount(self, rd_clause, firms):
        lines = eligibility.explain(rd_clause, firms["hi"]).lines()
        assert lines[0] == "符合，可享 30万元"
        assert "✓ 研发费用占比 4.5% ≥ 3%" in lines

    def test_missing_data_is_named(self, rd_clause, firms):
        result = eligibility.explain(rd_clause, firms["blank"])
        assert result.verdict == "无法判断（缺少数据）"
        assert any("缺少「研发费用占比」数据" in line for line in result.lines())
