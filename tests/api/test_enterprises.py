from __future__ import annotations

from decimal import Decimal

import pytest

from haotong.ledger import services as ledger
from haotong.ledger.models import Enterprise
from tests.api.conftest import bearer, key_for
from tests.conftest import login

LIST = "/api/v1/enterprises"


@pytest.fixture
def phoned(wujie) -> Enterprise:
    return ledger.create_enterprise(
        actor=None,
        fields={"name": "高德新型电子元件有限公司", "town": wujie, "contact_name": "张经理",
                "contact_phone": "13812345678", "revenue_yuan": Decimal("12000000.50")},
        source="system",
    )  # fmt: skip


def test_team_member_sees_phone_masked(client, owner, phoned):
    login(client, owner)

    item = client.get(LIST).json()["items"][0]
    detail = client.get(f"{LIST}/{phoned.pk}").json()

    assert item["contact_phone"] == detail["contact_phone"] == "138****5678"


def test_analyst_sees_phone_unmasked(client, colleague, phoned):
    login(client, colleague)

    item = client.get(LIST).json()["items"][0]
    detail = client.get(f"{LIST}/{phoned.pk}").json()

    assert item["contact_phone"] == detail["contact_phone"] == "13812345678"


def test_phone_is_masked_for_a_token_client_too(client, owner, phoned):
    item = client.get(LIST, headers=bearer(key_for(owner))).json()["items"][0]

    assert item["contact_phone"] == "138****5678"


def test_outsider_sees_no_enterprise_of_another_town(client, outsider, phoned):
    login(client, outsider)

    assert client.get(LIST).json() == {
        "count": 0,
        "page": 1,
        "page_size": 50,
        "pages": 0,
        "items": [],
    }
    assert client.get(f"{LIST}/{phoned.pk}").status_code == 404


def test_detail_amounts_are_decimal_strings(client, colleague, phoned):
    login(client, colleague)

    body = client.get(f"{LIST}/{phoned.pk}").json()

    assert body["revenue_yuan"] == "12000000.50"
    assert body["tax_yuan"] is None


def test_detail_lists_only_the_projects_the_caller_may_see(
    client, outsider, xiting, project, enterprise
):
    # The 康辉 enterprise also invests in a 西亭镇 project: the outsider sees the
    # enterprise through that project, but must not learn of the 五接镇 one.
    other = ledger.create_project(
        actor=None,
        fields={"name": "康辉西亭配套项目", "town": xiting, "investment_yuan": Decimal("80000000")},
        investors=[enterprise],
        source="system",
    )
    login(client, outsider)

    body = client.get(f"{LIST}/{enterprise.pk}").json()

    assert [p["name"] for p in body["projects"]] == [other.name]


def test_search_by_name(client, colleague, phoned, enterprise):
    login(client, colleague)

    assert [e["name"] for e in client.get(f"{LIST}?q=高德").json()["items"]] == [phoned.name]


@pytest.mark.parametrize("rows", [3, 30])
def test_list_queries_do_not_grow_with_rows(
    client, owner, wujie, rows, django_assert_max_num_queries
):
    for i in range(rows):
        ledger.create_enterprise(
            actor=None, fields={"name": f"企业{i:02d}", "town": wujie, "contact_phone": "13800000000"},
            source="system",
        )  # fmt: skip
    key = key_for(owner)
    client.get(LIST, headers=bearer(key))

    with django_assert_max_num_queries(3):
        response = client.get(LIST, headers=bearer(key))

    assert len(response.json()["items"]) == rows
