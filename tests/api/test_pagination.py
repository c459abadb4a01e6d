from __future__ import annotations

from haotong.api.pagination import stable
from haotong.ledger.models import Enterprise, Project


def test_stable_adds_the_primary_key_as_last_sort_key():
    assert stable(Project.objects.order_by("-investment_yuan")).query.order_by == (
        "-investment_yuan",
        "pk",
    )
    assert stable(Enterprise.objects.all()).query.order_by == ("name", "pk")


def test_stable_keeps_an_ordering_that_already_ends_on_the_key():
    queryset = Project.objects.order_by("-investment_yuan", "id")

    assert stable(queryset).query.order_by == ("-investment_yuan", "id")
