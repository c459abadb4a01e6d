"""Race pages as owner (五接镇 team), colleague (发改委 analyst), outsider (西亭镇 team)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haotong.core.models import AuditEntry, Team
from haotong.core.services import create_org_unit, create_team
from haotong.race import services
from haotong.race.models import RaceRule
from haotong.race.rules import DEFAULT_WEIGHTS
from tests.conftest import login
from tests.race.conftest import AS_OF, make_project

Q1 = "?period=2023-Q1&as_of=2023-03-03"


@pytest.mark.parametrize("who", ["owner", "colleague", "outsider"])
def test_every_team_and_district_role_sees_all_teams_standings(client, race_ledger, who, request):
    login(client, request.getfixturevalue(who))
    page = client.get(reverse("race:board") + Q1)
    assert page.status_code == 200
    html = page.content.decode()
    assert "五接镇招商队伍" in html and "西亭镇招商队伍" in html
    assert "红旗" in html and "公平性说明" in html


def test_enterprise_users_cannot_read_the_race(client, race_ledger, enterprise_user):
    login(client, enterprise_user)
    assert client.get(reverse("race:board")).status_code == 403


def test_board_filters_by_kind_and_reranks_within_it(client, race_ledger, colleague, district):
    park = create_org_unit(name="高新区", kind="park", parent=district)
    create_team(name="高新区招商队伍", kind=Team.Kind.PARK, org_unit=park, staff=3)
    login(client, colleague)
    html = client.get(reverse("race:board") + Q1 + "&kind=park").content.decode()
    assert "高新区招商队伍" in html and "五接镇招商队伍" not in html


def test_bad_period_shows_a_chinese_error(client, race_ledger, colleague):
    login(client, colleague)
    html = client.get(reverse("race:board") + "?period=2023-Q9").content.decode()
    assert "格式应为" in html


def _drill(client, team, query=Q1):
    return client.get(reverse("race:team_events", args=[team.pk]) + query)


def test_drill_down_lists_each_event_with_its_points(client, race_ledger, owner, wujie_team):
    login(client, owner)
    html = _drill(client, wujie_team).content.decode()
    assert "五接大项目" in html and 'id="total">45' in html
    assert "另有" not in html


def test_outsider_sees_the_score_but_not_projects_outside_their_scope(
    client, race_ledger, outsider, wujie_team
):
    login(client, outsider)
    page = _drill(client, wujie_team)
    html = page.content.decode()
    assert page.status_code == 200 and 'id="total">45' in html
    assert "五接大项目" not in html
    assert "另有 3 个计分事件" in html


def test_colleague_drills_into_any_team(client, race_ledger, colleague, xiting_team):
    login(client, colleague)
    assert "西亭小项目" in _drill(client, xiting_team).content.decode()


def test_drill_down_of_a_missing_team_is_404(client, race_ledger, colleague):
    login(client, colleague)
    assert client.get(reverse("race:team_events", args=[9999])).status_code == 404


@pytest.mark.parametrize("who", ["owner", "colleague", "outsider"])
def test_monthly_report_marks_red_flags_for_everyone(client, race_ledger, who, request):
    services.snapshot_month(actor=None, month=date(2023, 2, 1), source="system", as_of=AS_OF)
    login(client, request.getfixturevalue(who))
    html = client.get(reverse("race:report_month", args=["2023-02"])).content.decode()
    assert "红旗" in html and "西亭镇招商队伍" in html
    assert ("按当前台账重算" in html) == (who == "colleague")


def test_only_district_roles_recompute_a_report(client, race_ledger, owner, colleague):
    url = reverse("race:report_recompute", args=["2023-02"])
    login(client, owner)
    assert client.post(url).status_code == 403
    login(client, colleague)
    client.post(url)
    assert AuditEntry.objects.filter(model="race.racereport", actor=colleague).exists()


def _post_rule(client, **overrides):
    data = {
        "weights": json.dumps({**DEFAULT_WEIGHTS, "started": 12}),
        "effective_from": "2023-03-01",
        "note": "开工加分",
        "expected_version": "1",
    } | overrides
    return client.post(reverse("race:rules"), data)


def test_district_role_edits_weights_in_the_ui(client, race_ledger, colleague):
    login(client, colleague)
    assert _post_rule(client).status_code == 302
    assert RaceRule.objects.get(version=2).weights["started"] == 12
    board = client.get(reverse("race:board") + Q1).content.decode()
    assert "计分规则 v2" in board


def test_weights_that_do_not_parse_are_refused_with_the_key_named(client, race_ledger, colleague):
    login(client, colleague)
    page = _post_rule(client, weights='{"started": "十"}')
    assert page.status_code == 200
    assert "缺少必填的键" in page.content.decode()
    page = _post_rule(client, weights=json.dumps({**DEFAULT_WEIGHTS, "started": "十"}))
    assert "「started」必须是数字" in page.content.decode()
    assert RaceRule.objects.count() == 1


def test_stale_rule_form_is_refused(client, race_ledger, colleague):
    login(client, colleague)
    _post_rule(client)
    page = _post_rule(client, note="第二次")
    assert "已被他人修改" in page.content.decode()
    assert RaceRule.objects.count() == 2


@pytest.mark.parametrize("who", ["owner", "outsider"])
def test_team_members_read_rules_but_cannot_edit(client, race_ledger, who, request):
    login(client, request.getfixturevalue(who))
    page = client.get(reverse("race:rules"))
    assert page.status_code == 200 and "保存为新版本" not in page.content.decode()
    assert _post_rule(client).status_code == 403
    assert RaceRule.objects.count() == 1


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url)
    assert page.status_code == 200
    return len(ctx), page.content.decode()


def test_drill_down_queries_do_not_grow_with_rows(client, rule_v1, colleague, wujie, wujie_team):
    login(client, colleague)
    url = reverse("race:team_events", args=[wujie_team.pk]) + Q1
    counts = []
    for start, stop in ((0, 3), (3, 30)):
        for i in range(start, stop):
            make_project(
                wujie, wujie_team, f"项目{i}", 2, signed=date(2023, 1, 2), started=date(2023, 2, 1)
            )
        n, html = _count_queries(client, url)
        assert len(re.findall(r"/projects/\d+/", html)) == 2 * stop
        counts.append(n)
    assert counts[0] == counts[1]


def test_board_and_report_queries_do_not_grow_with_teams(client, rule_v1, colleague, district):
    login(client, colleague)
    counts = []
    for start, stop in ((0, 3), (3, 30)):
        for i in range(start, stop):
            unit = create_org_unit(name=f"镇{i}", kind="town", parent=district)
            team = create_team(name=f"镇{i}招商队伍", kind=Team.Kind.TOWN, org_unit=unit, staff=3)
            make_project(unit, team, f"镇{i}项目", 2, signed=date(2023, 1, 2))
        services.snapshot_month(actor=None, month=date(2023, 1, 1), source="system", as_of=AS_OF)
        n_board, html = _count_queries(client, reverse("race:board") + Q1)
        assert html.count("<tr data-team=") == stop
        n_report, html = _count_queries(client, reverse("race:report_month", args=["2023-01"]))
        assert html.count("招商队伍</a>") == stop
        counts.append((n_board, n_report))
    assert counts[0] == counts[1]
