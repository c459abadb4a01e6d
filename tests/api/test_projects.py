from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from haotong.core.models import OrgUnit, Team
from haotong.core.services import create_team
from haotong.ledger import services as ledger
from haotong.ledger.models import Project
from tests.api.conftest import bearer, key_for
from tests.conftest import login

LIST = "/api/v1/projects"


def make_project(name: str, town: OrgUnit, yuan: str, **fields: object) -> Project:
    return ledger.create_project(
        actor=None,
        fields={"name": name, "town": town, "investment_yuan": Decimal(yuan), **fields},
        source="system",
    )


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


def test_owner_lists_their_towns_project_with_every_field(client, owner, project):
    login(client, owner)

    body = client.get(LIST).json()

    assert body["count"] == 1
    item = body["items"][0]
    assert item == {
        "id": project.pk,
        "name": "康辉新材料项目",
        "town_id": project.town_id,
        "town": "五接镇",
        "investment_yuan": "12500000000.00",
        "investment_qualifier": "near",
        "stage": "signed",
        "stage_label": "签约",
        "stage_date": "2022-06-01",
        "industry_code": "C2651",
        "team_id": project.owner_team_id,
        "team": "五接镇招商队伍",
        "tags": [],
        "synthetic": False,
        "version": project.version,
    }


def test_colleague_sees_projects_of_every_town(client, colleague, project, xiting):
    make_project("西亭镇项目", xiting, "100000000")
    login(client, colleague)

    assert names(client.get(LIST)) == ["康辉新材料项目", "西亭镇项目"]


def test_outsider_gets_an_empty_list(client, outsider, project):
    login(client, outsider)

    body = client.get(LIST).json()

    assert body["count"] == 0
    assert body["items"] == []


def test_outsider_gets_404_on_detail_like_a_missing_project(client, outsider, project):
    login(client, outsider)

    hidden = client.get(f"{LIST}/{project.pk}")
    missing = client.get(f"{LIST}/{project.pk + 1000}")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert "康辉" not in hidden.content.decode()


def test_anonymous_caller_is_refused(client, project):
    response = client.get(LIST)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "登录" in response.json()["detail"]


def test_detail_includes_investors_and_events_in_date_order(client, owner, project, enterprise):
    ledger.record_stage_event(
        actor=owner, project=project, stage="land", on=date(2022, 9, 1), source="user"
    )
    login(client, owner)

    body = client.get(f"{LIST}/{project.pk}").json()

    assert body["investors"] == [
        {"id": enterprise.pk, "name": enterprise.name, "credit_code": None}
    ]
    assert [(e["stage"], e["date"]) for e in body["events"]] == [
        ("signed", "2022-06-01"),
        ("land", "2022-09-01"),
    ]
    assert body["events"][1]["recorded_by"] == "owner"
    assert body["stage"] == "land"


@pytest.fixture
def spread(wujie, xiting, wujie_team) -> dict[str, Project]:
    """Projects that differ in one attribute each, all visible to an analyst."""
    xiting_team = create_team(name="西亭镇招商队伍", kind=Team.Kind.TOWN, org_unit=xiting)
    started = make_project("开工项目", wujie, "300000000", industry_code="C3982")
    for stage, on in (("signed", date(2023, 1, 5)), ("started", date(2023, 3, 1))):
        ledger.record_stage_event(actor=None, project=started, stage=stage, on=on, source="system")
    return {
        "started": started,
        "xiting": make_project(
            "西亭化工项目", xiting, "50000000", industry_code="C2651", owner_team=xiting_team
        ),
        "big": make_project(
            "恒力产业园三期", wujie, "5000000000", aliases="恒力三期", owner_team=wujie_team
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("stage=started", ["开工项目"]),
        ("industry=C39", ["开工项目"]),
        ("industry=c2651", ["西亭化工项目"]),
        ("min_investment=300000000", ["恒力产业园三期", "开工项目"]),
        ("max_investment=300000000", ["开工项目", "西亭化工项目"]),
        ("min_investment=100000000&max_investment=1000000000", ["开工项目"]),
        ("q=恒力", ["恒力产业园三期"]),
        ("q=三期", ["恒力产业园三期"]),
    ],
)
def test_filters_narrow_the_list(client, colleague, spread, query, expected):
    login(client, colleague)

    assert names(client.get(f"{LIST}?{query}")) == expected


def test_town_and_team_filters_take_ids(client, colleague, spread, xiting, wujie_team):
    login(client, colleague)

    assert names(client.get(f"{LIST}?town={xiting.pk}")) == ["西亭化工项目"]
    assert names(client.get(f"{LIST}?team={wujie_team.pk}")) == ["恒力产业园三期"]


def test_filters_never_widen_the_callers_scope(client, owner, spread, xiting):
    login(client, owner)

    assert names(client.get(f"{LIST}?town={xiting.pk}")) == []


def test_unknown_stage_filter_is_refused_in_chinese(client, colleague, spread):
    login(client, colleague)

    response = client.get(f"{LIST}?stage=flying")

    assert response.status_code == 422
    assert response.json()["detail"] == "未知的阶段代码「flying」"


def test_pages_are_stable_and_cover_every_row_once(client, colleague, wujie):
    # Equal amounts: only the id tie-break keeps the order stable across pages.
    for i in range(7):
        make_project(f"同额项目{i}", wujie, "100000000")
    login(client, colleague)

    pages = [client.get(f"{LIST}?page_size=3&page={n}").json() for n in (1, 2, 3, 4)]

    seen = [item["id"] for page in pages for item in page["items"]]
    assert seen == sorted(seen)
    assert len(seen) == len(set(seen)) == 7
    assert [len(p["items"]) for p in pages] == [3, 3, 1, 0]
    assert pages[0]["count"] == 7 and pages[0]["pages"] == 3


def test_oversized_page_is_refused(client, colleague, project):
    login(client, colleague)

    assert client.get(f"{LIST}?page_size=1000").status_code == 422


@pytest.mark.parametrize("rows", [3, 30])
def test_list_queries_do_not_grow_with_rows(
    client, owner, wujie, wujie_team, enterprise, rows, django_assert_max_num_queries
):
    key = key_for(owner)
    for i in range(rows):
        p = make_project(f"项目{i}", wujie, str(100000000 + i), owner_team=wujie_team,
                         tag_tech=True, industry_code="C3982")  # fmt: skip
        p.investors.add(enterprise)
        ledger.record_stage_event(
            actor=None, project=p, stage="signed", on=date(2023, 1, 1), source="system"
        )
    client.get(LIST, headers=bearer(key))  # first use stamps last_used_at

    # token lookup, count, page
    with django_assert_max_num_queries(3):
        response = client.get(f"{LIST}?page_size=50", headers=bearer(key))

    assert len(response.json()["items"]) == rows


def test_detail_queries_do_not_grow_with_events(
    client, owner, project, django_assert_max_num_queries
):
    key = key_for(owner)
    for stage, on in (("land", date(2022, 7, 1)), ("approval", date(2022, 8, 1)),
                      ("started", date(2022, 9, 1)), ("completed", date(2023, 5, 1))):  # fmt: skip
        ledger.record_stage_event(actor=owner, project=project, stage=stage, on=on, source="user")
    client.get(LIST, headers=bearer(key))

    # token lookup, project, investors, events (with their recorders)
    with django_assert_max_num_queries(4):
        body = client.get(f"{LIST}/{project.pk}", headers=bearer(key)).json()

    assert len(body["events"]) == 5
