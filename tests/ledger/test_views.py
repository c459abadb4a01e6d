"""The ledger pages as owner (五接镇 team), colleague (发改委 analyst) and outsider (西亭镇 team).

The ledger is as of 2023-03-03 (the demo's article date), so overdue checks are fixed:
- 康辉新材料项目  五接镇 近125亿 C2651 team 五接镇  signed 2022-06-01          → signed > half a year
- 康源电路项目    五接镇 50亿    C3982 no team 科创 signed 2023-01-05, started 2023-02-11, no report
- 西亭家纺项目    西亭镇 8000万  C1711 team 西亭镇 人才 signed 2022-09-01, started 2022-11-20, reported 2023-02
"""

from __future__ import annotations

import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from haotong.core.models import AuditEntry, DistrictSetting, Role, Team
from haotong.core.services import create_team, create_user
from haotong.ledger import services as ledger
from haotong.ledger import views
from haotong.ledger.models import AS_OF_KEY, Project
from tests.conftest import PASSWORD, login

AS_OF = date(2023, 3, 3)
KANGHUI, KANGYUAN, XITING = "康辉新材料项目", "康源电路项目", "西亭家纺项目"


# --- fixtures and helpers ---


@pytest.fixture(autouse=True)
def as_of(db):
    DistrictSetting.objects.create(key=AS_OF_KEY, value=AS_OF.isoformat())


@pytest.fixture
def xiting_team(xiting) -> Team:
    return create_team(name="西亭镇招商队伍", kind=Team.Kind.TOWN, org_unit=xiting, staff=4)


@pytest.fixture
def kangyuan(wujie) -> Project:
    p = ledger.create_project(
        actor=None,
        fields={"name": KANGYUAN, "aliases": "康源电子高端IC载板项目", "town": wujie,
                "investment_yuan": Decimal("5000000000"), "industry_code": "C3982", "tag_tech": True},
        source="system",
    )  # fmt: skip
    for stage, on in (("signed", date(2023, 1, 5)), ("started", date(2023, 2, 11))):
        ledger.record_stage_event(actor=None, project=p, stage=stage, on=on, source="system")
    return p


@pytest.fixture
def xiting_project(xiting, xiting_team) -> Project:
    firm = ledger.create_enterprise(
        actor=None,
        fields={"name": "南通西亭家纺有限公司", "town": xiting, "contact_phone": "13900001111"},
        source="system",
    )
    p = ledger.create_project(
        actor=None,
        fields={"name": XITING, "town": xiting, "investment_yuan": Decimal("80000000"),
                "industry_code": "C1711", "owner_team": xiting_team, "tag_talent": True},
        investors=[firm], source="system",
    )  # fmt: skip
    for stage, on in (("signed", date(2022, 9, 1)), ("started", date(2022, 11, 20))):
        ledger.record_stage_event(actor=None, project=p, stage=stage, on=on, source="system")
    ledger.record_investment(
        actor=None,
        project=p,
        month=date(2023, 2, 1),
        completed_yuan=Decimal("20000000"),
        source="system",
    )
    return p


@pytest.fixture
def ledger_rows(project, kangyuan, xiting_project) -> dict[str, Project]:
    return {p.name: p for p in (project, kangyuan, xiting_project)}


@pytest.fixture
def auditor(district):
    return create_user(username="auditor", password=PASSWORD, role=Role.AUDITOR, org_unit=district)


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def listed(response) -> list[str]:
    """Project names in the list's result table, in page order."""
    body = html(response)
    tbody = body[body.index("<tbody>") : body.index("</tbody>")]
    return re.findall(r'<a href="/projects/\d+/">([^<]+)</a>', tbody)


def result_count(response) -> int:
    return int(re.search(r'<span id="result-count">(\d+)</span>', html(response)).group(1))


def timeline(response) -> str:
    body = html(response)
    return body[body.index('id="timeline"') : body.index("</ol>", body.index('id="timeline"'))]


def make_projects(town, team, n: int, *, start: int = 0) -> None:
    """``n`` synthetic projects signed 2022-05-01 and started 2023-01-09."""
    for i in range(start, start + n):
        firm = ledger.create_enterprise(
            actor=None, fields={"name": f"企业{i}", "town": town}, source="system"
        )
        p = ledger.create_project(
            actor=None,
            fields={"name": f"批量项目{i}", "town": town, "investment_yuan": Decimal(100_000_000 * (i + 1)),
                    "industry_code": ("C3982", "C2651", "C1711")[i % 3], "owner_team": team,
                    "tag_tech": i % 2 == 0, "synthetic": True},
            investors=[firm], source="system",
        )  # fmt: skip
        ledger.record_stage_event(
            actor=None, project=p, stage="signed", on=date(2022, 5, 1), source="system"
        )
        ledger.record_stage_event(
            actor=None, project=p, stage="started", on=date(2023, 1, 9), source="system"
        )


# --- anonymous ---


@pytest.mark.parametrize(
    "url",
    ["/", "/projects/", "/projects/?export=xlsx", "/projects/1/", "/enterprises/", "/enterprises/1/",
     "/groundbreakings/"],
)  # fmt: skip
def test_anonymous_visitors_are_sent_to_the_login_page(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_anonymous_post_of_an_event_is_sent_to_login_and_records_nothing(client, project):
    response = client.post(
        reverse("ledger:project_record_event", args=[project.pk]), {"stage": "land"}
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert project.events.count() == 1


# --- dashboard ---


def figure(body: str, name: str) -> int:
    return int(re.search(rf'data-figure="{name}">(\d+)<', body).group(1))


def test_dashboard_shows_the_owner_only_their_towns_projects(client, owner, ledger_rows):
    login(client, owner)
    body = html(client.get(reverse("ledger:dashboard")))
    assert figure(body, "total") == 2
    assert figure(body, "under_construction") == 1
    assert figure(body, "tech") == 1
    assert figure(body, "talent") == 0
    assert KANGHUI in body and KANGYUAN in body
    assert XITING not in body


def test_dashboard_shows_the_colleague_the_whole_district(client, colleague, ledger_rows):
    login(client, colleague)
    body = html(client.get(reverse("ledger:dashboard")))
    assert figure(body, "total") == 3
    assert figure(body, "under_construction") == 2
    assert figure(body, "overdue_not_started") == 1
    assert figure(body, "overdue_no_report") == 1
    assert "数据截至 2023年3月3日" in body
    assert all(name in body for name in ledger_rows)


def test_dashboard_shows_the_outsider_nothing_of_another_town(client, outsider, ledger_rows):
    login(client, outsider)
    body = html(client.get(reverse("ledger:dashboard")))
    assert figure(body, "total") == 1
    assert XITING in body
    assert KANGHUI not in body and KANGYUAN not in body and "五接镇" not in body.split("<main>")[1]


def test_every_dashboard_figure_links_to_exactly_the_rows_that_make_it(
    client, colleague, ledger_rows, wujie
):
    # One project without stage or industry: its 未登记/未分类 buckets must link to it alone.
    ledger.create_project(actor=None, fields={"name": "待补录项目", "town": wujie}, source="system")
    login(client, colleague)
    body = html(client.get(reverse("ledger:dashboard")))
    links: list[tuple[str, int]] = []
    for href, name in re.findall(
        r'<a class="card[^"]*" href="([^"]+)"><b data-figure="(\w+)">', body
    ):
        links.append((href, figure(body, name)))
    rows = re.findall(
        r'<tr><td><a href="(/projects/\?[^"]*)">[^<]+</a></td><td class="num">(\d+)</td>', body
    )
    links += [(href.replace("&amp;", "&"), int(n)) for href, n in rows]
    chart = json.loads(
        re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', body).group(1)
    )
    for stage, key in (("started", "started"), ("production", "production")):
        links += [
            (f"/projects/?event={stage}&month={m}", n)
            for m, n in zip(chart["months"], chart[key], strict=True)
            if n
        ]
    assert len(links) >= 7 + 3 + 3 + 2 + 1  # cards, stages, industries, towns, months
    for href, expected in links:
        assert result_count(client.get(href)) == expected, href
        assert len(listed(client.get(href))) == expected, href


# --- project list and its filters ---


FILTERS = [
    ({}, {KANGHUI, KANGYUAN, XITING}),
    ({"stage": "started"}, {KANGYUAN, XITING}),
    ({"stage": "signed"}, {KANGHUI}),
    ({"industry": "C39"}, {KANGYUAN}),
    ({"industry": "c26"}, {KANGHUI}),
    ({"band": "ge50"}, {KANGHUI, KANGYUAN}),
    ({"band": "lt1"}, {XITING}),
    ({"band": "10to50"}, set()),
    ({"tag": "tech"}, {KANGYUAN}),
    ({"tag": "talent"}, {XITING}),
    ({"q": "康"}, {KANGHUI, KANGYUAN}),
    ({"q": "IC载板"}, {KANGYUAN}),  # an alias
    ({"event": "started", "month": "2023-02"}, {KANGYUAN}),
    ({"event": "started", "month": "2022-11"}, {XITING}),
    ({"event": "signed", "month": "2022-11"}, set()),
    ({"overdue": "not_started"}, {KANGHUI}),
    ({"overdue": "no_report"}, {KANGYUAN}),
    ({"synthetic": "0"}, {KANGHUI, KANGYUAN, XITING}),
    ({"synthetic": "1"}, set()),
]


@pytest.mark.parametrize(("params", "expected"), FILTERS)
def test_colleague_filters_the_list_to_exactly_the_matching_rows(
    client, colleague, ledger_rows, params, expected
):
    login(client, colleague)
    response = client.get(reverse("ledger:project_list"), params)
    assert set(listed(response)) == expected
    assert result_count(response) == len(expected)


def test_list_filters_by_town_and_team(
    client, colleague, ledger_rows, wujie, wujie_team, xiting_team
):
    login(client, colleague)
    assert set(listed(client.get("/projects/", {"town": wujie.pk}))) == {KANGHUI, KANGYUAN}
    assert set(listed(client.get("/projects/", {"team": wujie_team.pk}))) == {KANGHUI}
    assert set(listed(client.get("/projects/", {"team": xiting_team.pk}))) == {XITING}


def test_list_orders_rows_by_investment_and_totals_them(client, colleague, ledger_rows):
    login(client, colleague)
    response = client.get(reverse("ledger:project_list"))
    assert listed(response) == [KANGHUI, KANGYUAN, XITING]
    assert "3</span> 个项目，总投资 175.8亿元" in html(response)


def test_owner_filters_only_within_their_town(client, owner, ledger_rows, xiting):
    login(client, owner)
    assert set(listed(client.get("/projects/", {"stage": "started"}))) == {KANGYUAN}
    assert listed(client.get("/projects/", {"town": xiting.pk})) == []
    assert listed(client.get("/projects/", {"q": "西亭"})) == []


def test_outsider_cannot_list_another_towns_projects_by_filtering_for_them(
    client, outsider, ledger_rows, wujie
):
    login(client, outsider)
    assert listed(client.get("/projects/")) == [XITING]
    assert listed(client.get("/projects/", {"town": wujie.pk})) == []
    assert listed(client.get("/projects/", {"q": "康辉"})) == []


def test_a_bad_filter_shows_its_error_and_no_rows(client, colleague, ledger_rows):
    login(client, colleague)
    response = client.get("/projects/", {"band": "huge", "industry": "99"})
    assert listed(response) == []
    assert "筛选条件有误" in html(response)


def test_htmx_requests_get_only_the_results_fragment(client, colleague, ledger_rows):
    login(client, colleague)
    response = client.get("/projects/", {"stage": "signed"}, HTTP_HX_REQUEST="true")
    body = html(response)
    assert body.lstrip().startswith('<div id="results">')
    assert "<html" not in body and "<form" not in body
    assert listed(response) == [KANGHUI]


def test_list_pages_keep_the_filters_in_their_links(client, colleague, ledger_rows, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    login(client, colleague)
    first = client.get("/projects/", {"stage": "started"})
    assert listed(first) == [KANGYUAN]
    assert 'href="?stage=started&page=2"' in html(first)
    assert listed(client.get("/projects/", {"stage": "started", "page": 2})) == [XITING]


def test_synthetic_rows_carry_the_demo_badge(client, colleague, wujie, wujie_team):
    make_projects(wujie, wujie_team, 1)
    login(client, colleague)
    assert '<span class="badge synthetic"' in html(client.get("/projects/"))


# --- xlsx export of exactly the filtered rows ---


def exported_names(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = load_workbook(
        io.BytesIO(
            b"".join(response.streaming_content if response.streaming else [response.content])
        )
    ).active
    headers = [c.value for c in sheet[1]]
    col = headers.index("项目名称")
    return [row[col] for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.mark.parametrize(("params", "expected"), FILTERS)
def test_export_holds_exactly_the_filtered_rows(client, colleague, ledger_rows, params, expected):
    login(client, colleague)
    names = exported_names(client.get("/projects/", {**params, "export": "xlsx"}))
    assert sorted(names) == sorted(expected)


def test_export_link_on_the_page_carries_the_filters(client, colleague, ledger_rows):
    login(client, colleague)
    body = html(client.get("/projects/", {"stage": "started", "tag": "talent"}))
    href = re.search(r'id="export-xlsx" href="([^"]+)"', body).group(1).replace("&amp;", "&")
    assert exported_names(client.get("/projects/" + href)) == [XITING]


def test_owner_exports_only_their_towns_rows(client, owner, ledger_rows):
    login(client, owner)
    assert sorted(exported_names(client.get("/projects/", {"export": "xlsx"}))) == sorted(
        [KANGHUI, KANGYUAN]
    )


def test_outsider_export_holds_nothing_of_another_town(client, outsider, ledger_rows, wujie):
    login(client, outsider)
    assert exported_names(client.get("/projects/", {"export": "xlsx"})) == [XITING]
    assert exported_names(client.get("/projects/", {"town": wujie.pk, "export": "xlsx"})) == []


def test_export_has_every_row_not_just_one_page(client, colleague, wujie, wujie_team, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    make_projects(wujie, wujie_team, 5)
    login(client, colleague)
    assert len(exported_names(client.get("/projects/", {"export": "xlsx"}))) == 5


# --- queries per request do not grow with rows ---


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", ["/", "/projects/", "/projects/?stage=started&tag=tech", "/groundbreakings/"]
)
def test_queries_per_request_do_not_grow_with_the_rows(client, colleague, wujie, wujie_team, url):
    login(client, colleague)
    make_projects(wujie, wujie_team, 3)
    few = count_queries(client, url)
    make_projects(wujie, wujie_team, 27, start=3)
    assert count_queries(client, url) == few


# Session, user and setting look-ups included; a new figure may raise these, more rows may not.
QUERY_BUDGET = {"/": 13, "/projects/": 8}


@pytest.mark.parametrize("n", [3, 30])
@pytest.mark.parametrize("url", QUERY_BUDGET)
def test_dashboard_and_list_stay_within_a_fixed_query_budget(
    client, owner, wujie, wujie_team, n, url, django_assert_max_num_queries
):
    make_projects(wujie, wujie_team, n)
    login(client, owner)
    with django_assert_max_num_queries(QUERY_BUDGET[url]):
        response = client.get(url)
    assert response.status_code == 200


# --- project detail ---


def test_owner_reads_the_timeline_with_sources_evidence_and_audit(client, owner, project):
    ledger.record_stage_event(
        actor=None, project=project, stage="started", on=date(2022, 10, 1), precision="month",
        source="document", source_detail="现代快报", evidence="自去年10月开工后",
    )  # fmt: skip
    login(client, owner)
    response = client.get(project.get_absolute_url())
    body = html(response)
    events = timeline(response)
    assert events.index("2022年6月1日") < events.index("2022年10月")
    assert "签约" in events and "开工" in events
    assert "来源：文档 · 现代快报" in events and "来源：系统" in events
    assert "<blockquote>自去年10月开工后</blockquote>" in events
    assert '<dd id="stage">在建 · 2022年10月' in body
    assert "近125亿元" in body and "康辉新材料科技有限公司" in body
    audit = body[body.index("修改留痕") :]
    assert "stage:started" in audit and "stage:signed" in audit and ">create<" in audit
    assert "登记阶段事件" in body  # the owner may record the next event
    assert "本项目为演示数据" not in body


def test_colleague_reads_the_project_and_may_record_events(client, colleague, project):
    login(client, colleague)
    body = html(client.get(project.get_absolute_url()))
    assert "康辉新材料项目" in body and "登记阶段事件" in body


def test_outsider_gets_404_for_another_towns_project(client, outsider, project):
    login(client, outsider)
    assert client.get(project.get_absolute_url()).status_code == 404


def test_missing_project_is_404(client, colleague, db):
    login(client, colleague)
    assert client.get(reverse("ledger:project_detail", args=[999999])).status_code == 404


def test_auditor_reads_the_project_but_gets_no_event_form(client, auditor, project):
    login(client, auditor)
    body = html(client.get(project.get_absolute_url()))
    assert "康辉新材料项目" in body and "修改留痕" in body
    assert "登记阶段事件" not in body and "project_record_event" not in body


def test_synthetic_project_shows_the_banner(client, owner, wujie, wujie_team):
    make_projects(wujie, wujie_team, 1)
    login(client, owner)
    body = html(client.get(Project.objects.get().get_absolute_url()))
    assert "本项目为演示数据：由程序按固定随机种子生成，并非真实记录。" in body
    assert '<span class="badge synthetic"' in body


# --- recording a stage event ---


def post_event(client, project, **data):
    payload = {"stage": "land", "date": "2022-08-01", "precision": "day", "evidence": "供地批复",
               "version": project.version} | data  # fmt: skip
    return client.post(
        reverse("ledger:project_record_event", args=[project.pk]), payload, follow=True
    )


@pytest.mark.parametrize("who", ["owner", "colleague"])
def test_owner_and_colleague_record_the_next_stage(client, request, project, who):
    user = request.getfixturevalue(who)
    login(client, user)
    response = post_event(client, project)
    assert response.redirect_chain == [(project.get_absolute_url(), 302)]
    assert "已登记「供地」" in html(response)
    event = project.events.get(stage="land")
    assert (event.date, event.recorded_by, event.source, event.evidence) == (
        date(2022, 8, 1),
        user,
        "user",
        "供地批复",
    )
    project.refresh_from_db()
    assert (project.stage, project.stage_date) == ("land", date(2022, 8, 1))
    assert AuditEntry.objects.filter(actor=user, action="stage:land", source="user").count() == 1
    assert "供地批复" in timeline(response)


def test_outsider_posting_an_event_gets_404_and_nothing_is_recorded(client, outsider, project):
    login(client, outsider)
    assert post_event(client, project).status_code == 404
    assert list(project.events.values_list("stage", flat=True)) == ["signed"]


def test_auditor_posting_an_event_is_refused_and_nothing_is_recorded(client, auditor, project):
    login(client, auditor)
    assert post_event(client, project).status_code == 403
    assert list(project.events.values_list("stage", flat=True)) == ["signed"]
    assert not AuditEntry.objects.filter(actor=auditor).exists()


def test_a_stage_jump_is_refused_with_the_machines_message(client, owner, project):
    login(client, owner)
    body = html(post_event(client, project, stage="production"))
    assert "不能从「签约」直接进入「投产」。允许的下一阶段：" in body
    assert list(project.events.values_list("stage", flat=True)) == ["signed"]
    project.refresh_from_db()
    assert project.stage == "signed"


def test_a_stale_page_is_refused_and_nothing_is_recorded(client, owner, colleague, project):
    stale_version = project.version
    ledger.record_stage_event(
        actor=colleague, project=project, stage="approval", on=date(2022, 7, 1), source="user"
    )
    login(client, owner)
    body = html(post_event(client, project, version=stale_version))
    assert "该项目在您打开页面后已被他人修改" in body
    assert list(project.events.order_by("id").values_list("stage", flat=True)) == [
        "signed",
        "approval",
    ]


def test_an_event_dated_in_the_future_is_refused(client, owner, project):
    login(client, owner)
    body = html(post_event(client, project, date="2999-01-01"))
    assert "晚于今天" in body
    assert project.events.count() == 1


def test_an_incomplete_form_is_refused_with_the_field_named(client, owner, project):
    login(client, owner)
    body = html(post_event(client, project, date=""))
    assert "日期：" in body
    assert project.events.count() == 1


def test_recording_an_event_needs_post(client, owner, project):
    login(client, owner)
    assert client.get(reverse("ledger:project_record_event", args=[project.pk])).status_code == 405


# --- enterprises ---


@pytest.fixture
def firms(enterprise, xiting_project):
    enterprise.contact_name, enterprise.contact_phone = "张三", "13812345678"
    enterprise.credit_code = "91320612MA1M9H4K3Y"
    enterprise.save()
    return enterprise


def test_owner_lists_their_towns_enterprises_only(client, owner, firms):
    login(client, owner)
    body = html(client.get(reverse("ledger:enterprise_list")))
    assert "康辉新材料科技有限公司" in body and "南通西亭家纺有限公司" not in body


def test_colleague_lists_every_enterprise_and_searches_by_name_or_code(client, colleague, firms):
    login(client, colleague)
    body = html(client.get(reverse("ledger:enterprise_list")))
    assert "康辉新材料科技有限公司" in body and "南通西亭家纺有限公司" in body
    by_name = html(client.get(reverse("ledger:enterprise_list"), {"q": "西亭"}))
    assert "南通西亭家纺有限公司" in by_name and "康辉新材料科技有限公司" not in by_name
    by_code = html(client.get(reverse("ledger:enterprise_list"), {"q": "91320612ma1m9h4k3y"}))
    assert "康辉新材料科技有限公司" in by_code and "南通西亭家纺有限公司" not in by_code


def test_outsider_lists_nothing_of_another_town(client, outsider, firms):
    login(client, outsider)
    body = html(client.get(reverse("ledger:enterprise_list")))
    assert "南通西亭家纺有限公司" in body and "康辉新材料科技有限公司" not in body


def test_team_member_sees_the_contact_phone_masked(client, owner, firms, project):
    login(client, owner)
    body = html(client.get(firms.get_absolute_url()))
    assert '<span id="phone">138****5678</span>' in body
    assert "13812345678" not in body
    assert KANGHUI in body  # the enterprise's projects


def test_analyst_sees_the_contact_phone_in_full(client, colleague, firms):
    login(client, colleague)
    assert '<span id="phone">13812345678</span>' in html(client.get(firms.get_absolute_url()))


def test_outsider_gets_404_for_another_towns_enterprise(client, outsider, firms):
    login(client, outsider)
    assert client.get(firms.get_absolute_url()).status_code == 404


# --- groundbreakings (集中开工): totals computed from the projects ---


@pytest.fixture
def batch(kangyuan, xiting_project):
    return ledger.create_groundbreaking(
        actor=None, name="一季度集中开工", on=date(2023, 2, 11), projects=[kangyuan, xiting_project],
        source="document", reported_count=2, reported_total_yuan=Decimal("5080000000"),
    )  # fmt: skip


def test_colleague_sees_the_batch_totals_computed_from_its_projects(client, colleague, batch):
    login(client, colleague)
    body = html(client.get(reverse("ledger:groundbreaking_list")))
    assert "<b>2</b> 个项目，总投资 <b>50.8亿元</b>" in body
    assert "先进制造业占比 <b>0.0%</b>" in body
    assert "与台账一致" in body
    assert KANGYUAN in body and XITING in body


def test_a_changed_project_changes_the_batch_total_and_flags_the_report(
    client, colleague, batch, kangyuan
):
    ledger.update_project(
        actor=None, project=kangyuan, expected_version=kangyuan.version,
        fields={"investment_yuan": Decimal("6000000000"), "advanced_manufacturing": True}, source="system",
    )  # fmt: skip
    login(client, colleague)
    body = html(client.get(reverse("ledger:groundbreaking_list")))
    assert "总投资 <b>60.8亿元</b>" in body
    assert "先进制造业占比 <b>98.7%</b>" in body
    assert "与台账不一致，请核对" in body


def test_owner_sees_the_batch_with_only_their_towns_projects(client, owner, batch):
    login(client, owner)
    body = html(client.get(reverse("ledger:groundbreaking_list")))
    assert "<b>1</b> 个项目，总投资 <b>50亿元</b>" in body
    assert KANGYUAN in body and XITING not in body


def test_outsider_sees_no_batch_without_their_projects(client, outsider, kangyuan):
    ledger.create_groundbreaking(actor=None, name="五接镇开工", on=date(2023, 2, 11), projects=[kangyuan],
                                 source="document")  # fmt: skip
    login(client, outsider)
    body = html(client.get(reverse("ledger:groundbreaking_list")))
    assert "暂无集中开工" in body and KANGYUAN not in body


def test_dashboard_batch_line_agrees_with_the_groundbreaking_page_for_each_user(
    client, owner, colleague, outsider, batch
):
    for user, line in (
        (owner, "1个项目，总投资50亿元"),
        (colleague, "2个项目，总投资50.8亿元"),
        (outsider, "1个项目，总投资8000万元"),
    ):
        login(client, user)
        assert line in html(client.get(reverse("ledger:dashboard"))), user
