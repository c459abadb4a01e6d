"""One filter behind the project list page and /api/v1/projects: the parameters both
accept keep the same rows on both, and each side still refuses what it refused before."""

from __future__ import annotations

import re

import pytest

from haotong.core.models import OrgUnit
from haotong.ledger.models import Project
from haotong.ledger.queries import ProjectFilter
from tests.api.test_projects import make_project
from tests.api.test_projects import spread as spread  # the API tests' fixture
from tests.conftest import login

API, PAGE = "/api/v1/projects", "/projects/"


@pytest.fixture
def rows(spread: dict[str, Project], wujie: OrgUnit) -> dict[str, Project]:
    """The API tests' spread, and one project with neither stage nor industry."""
    return {**spread, "blank": make_project("待补录项目", wujie, "1000")}


def api_names(client, params: dict[str, object]) -> set[str]:
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return {item["name"] for item in response.json()["items"]}


def page_names(client, params: dict[str, object]) -> set[str]:
    response = client.get(PAGE, params)
    assert response.status_code == 200
    body = response.content.decode()
    tbody = body[body.index("<tbody>") : body.index("</tbody>")]
    return set(re.findall(r'<a href="/projects/\d+/">([^<]+)</a>', tbody))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"stage": "started"}, {"开工项目"}),
        ({"industry": "C39"}, {"开工项目"}),
        ({"industry": "c26"}, {"西亭化工项目"}),
        ({"q": "恒力"}, {"恒力产业园三期"}),
        ({"q": "三期"}, {"恒力产业园三期"}),  # an alias
        ({"q": "  "}, {"开工项目", "西亭化工项目", "恒力产业园三期", "待补录项目"}),
    ],
)
def test_page_and_api_keep_the_same_rows(client, colleague, rows, params, expected):
    login(client, colleague)

    assert page_names(client, params) == expected
    assert api_names(client, params) == expected


def test_page_and_api_filter_town_and_team_by_the_same_ids(
    client, colleague, rows, xiting, wujie_team
):
    login(client, colleague)

    for params, expected in (
        ({"town": xiting.pk}, {"西亭化工项目"}),
        ({"team": wujie_team.pk}, {"恒力产业园三期"}),
        ({"town": xiting.pk, "team": wujie_team.pk}, set()),
    ):
        assert page_names(client, params) == expected, params
        assert api_names(client, params) == expected, params


def test_not_recorded_is_a_page_filter_the_api_still_refuses(client, colleague, rows):
    login(client, colleague)

    # Only 开工项目 has a stage event; the others have no stage recorded.
    assert page_names(client, {"stage": "none"}) == {"西亭化工项目", "恒力产业园三期", "待补录项目"}
    response = client.get(API, {"stage": "none"})
    assert response.status_code == 422
    assert response.json()["detail"] == "未知的阶段代码「none」"


def test_a_filter_object_refuses_an_overdue_check_without_a_date():
    with pytest.raises(ValueError, match="as_of"):
        ProjectFilter(overdue="not_started")
    with pytest.raises(ValueError, match="month"):
        ProjectFilter(event="started")
