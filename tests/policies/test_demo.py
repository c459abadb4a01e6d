"""The policies demo: a "48+7条"-shaped package plus 富民创业贷, all synthetic,
matched once, with outreach tasks and grants in different states."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction

from haotong.core.demo import loader
from haotong.core.demo.synthetic import Generator
from haotong.policies import demo as policies_demo
from haotong.policies import eligibility
from haotong.policies.models import Clause, Eligibility, Grant, OutreachTask, Policy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def as_of():
    """The demo sets the ledger date itself (overrides tests/policies/conftest.py)."""


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The policies demo over 400 demo enterprises (the full district is tests/core's)."""
    with django_db_blocker.unblock(), transaction.atomic():
        units = loader._org_units()
        loader._settings()
        firms = loader._enterprises(Generator(), units, 400)
        context = loader.DemoContext(units=units, teams={}, enterprises=firms, article_projects=[])
        yield policies_demo.load(context)
        transaction.set_rollback(True)


def test_the_package_is_48_plus_7_clauses_and_a_startup_loan_all_synthetic(demo):
    assert all(p.synthetic for p in Policy.objects.all())
    counts = sorted(p.clauses.count() for p in Policy.objects.all())
    assert counts == [1, 7, 48] and demo["policy_clauses"] == 56
    loan = Clause.objects.get(title__startswith="富民创业贷")
    assert loan.cap_yuan == Decimal(150000) and loan.department.name == "区人社局"


def test_the_stored_match_equals_a_fresh_run(demo):
    stored = eligibility.stored_pairs(Eligibility.objects.all())
    eligibility.run_match(actor=None)
    assert eligibility.stored_pairs(Eligibility.objects.all()) == stored
    assert demo["policy_eligible_pairs"] > 0 and demo["policy_unknown_pairs"] > 0


def test_a_startup_got_15_wan_after_a_phone_call(demo):
    grant = Grant.objects.get(clause__title__startswith="富民创业贷", paid_yuan=Decimal(150000))
    task = OutreachTask.objects.get(enterprise=grant.enterprise, clause=grant.clause)
    assert task.outcome == "applied" and grant.synthetic
    assert list(grant.events.values_list("to_status", flat=True)) == ["applied", "paid"]


def test_tasks_and_grants_are_in_several_states(demo):
    assert set(OutreachTask.objects.values_list("status", flat=True)) == {"open", "done"}
    statuses = set(Grant.objects.values_list("status", flat=True))
    assert statuses == {"matched", "confirmed", "applied", "paid", "declined", "rejected"}


def test_the_demo_is_deterministic(demo):
    rules = list(Clause.objects.order_by("id").values_list("rule", flat=True))
    assert rules[0] == "rd_ratio >= 3 and is_high_tech"  # fixed by the seed
    assert len(set(rules)) > len(policies_demo.TEMPLATES)  # parameters vary across clauses
