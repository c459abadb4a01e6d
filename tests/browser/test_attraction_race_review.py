"""Walkthroughs of the attraction, race and review pages in headless Chromium, as
the people who use them: a town team member works a lead, a 发改委 analyst reads
the race leaderboard and drills into a team's score, an invited department
reviewer gives its opinion on a major project. Each also checks that someone
outside the scope gets a 404, not the record."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from haotong.core.models import OrgUnit, Role, Team, User
from haotong.core.services import create_org_unit, create_team, create_user
from haotong.ledger import services as ledger
from haotong.ledger.models import Project
from haotong.race import services as race
from haotong.race.rules import DEFAULT_WEIGHTS
from haotong.review import services as review_services
from haotong.review.models import Opinion, Review
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user: User) -> None:
    """Log in through the form, as a person would (a fresh session each time)."""
    page.context.clear_cookies()
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(live_server.url + "/")


def messages(page) -> list[str]:
    return page.locator("ul.messages li").all_inner_texts()


# --- 1. a lead: create, follow up, move forward; another town's member gets 404 ------


def test_team_member_registers_a_lead_follows_it_up_and_moves_it_forward(
    live_server, page, owner, outsider, wujie_team
):
    sign_in(page, live_server, owner)

    # From the 招商 menu (no leads yet) to the lead list, then the registration form.
    page.click("nav >> text=招商")
    page.wait_for_url(re.compile(r"/attraction/$"))
    assert page.locator("[data-figure=leads]").inner_text() == "0"
    page.click("a.card:has-text('线索总数')")
    page.wait_for_url(re.compile(r"/attraction/leads/$"))
    page.click("h1 >> text=登记线索")
    page.wait_for_url(re.compile(r"/attraction/leads/new/$"))
    page.fill("#id_project_name", "五接镇氢能装备项目")
    page.fill("#id_investor_name", "江苏氢动力科技有限公司")
    page.select_option("#id_source", "fair")
    page.select_option("#id_team", label="五接镇招商队伍")
    page.fill("#id_intended_investment_yuan", "8000万元")
    page.fill("#id_industry_code", "c34")
    page.fill("#id_acquired_on", "2024-05-06")
    page.fill("#id_next_action", "安排赴企业总部走访")
    page.click("form.event-form button:has-text('保存')")
    page.wait_for_url(re.compile(r"/attraction/leads/\d+/$"))
    lead_url = page.url

    assert "已登记线索「五接镇氢能装备项目」" in messages(page)
    assert page.locator("h1").inner_text().startswith("五接镇氢能装备项目")
    facts = page.locator("dl.facts").inner_text()
    assert "江苏氢动力科技有限公司" in facts and "展会" in facts
    assert "五接镇招商队伍" in facts and "C34" in facts and "8000万元" in facts
    assert page.locator("#stage").inner_text() == "获取 · 2024-05-06"
    assert page.locator("#activities").inner_text().count("尚无跟进记录") == 1

    # Log a follow-up visit.
    visit = page.locator("form[action$='/activities/']")
    visit.locator("select[name=kind]").select_option("visit")
    visit.locator("input[name=on]").fill("2024-05-10")
    visit.locator("input[name=who]").fill("王科长、李干事")
    visit.locator("textarea[name=note]").fill("赴企业总部走访，对方有意在五接镇设立生产基地")
    visit.locator("button:has-text('记录跟进')").click()
    page.wait_for_selector("ul.messages >> text=已记录跟进")
    rows = page.locator("#activities tr").all_inner_texts()
    assert len(rows) == 2  # header + the visit
    assert rows[1].split("\t") == [
        "2024-05-10",
        "走访",
        "王科长、李干事",
        "赴企业总部走访，对方有意在五接镇设立生产基地",
    ]

    # Move it forward: 获取 → 接洽. Only the stages the machine allows are offered.
    move = page.locator("form[action$='/stage/']")
    offered = move.locator("select[name=stage] option").all_inner_texts()
    assert offered == ["接洽", "考察", "洽谈", "放弃"]
    move.locator("select[name=stage]").select_option("contacted")
    move.locator("input[name=on]").fill("2024-05-12")
    move.locator("input[name=reason]").fill("与董事长面谈，确认投资意向")
    move.locator("button:has-text('登记')").click()
    page.wait_for_selector("ul.messages >> text=线索已进入「接洽」")

    # The lead page shows where it stands and how it got there.
    assert page.url == lead_url
    assert page.locator("h1 small").inner_text() == "接洽"
    assert page.locator("#stage").inner_text() == "接洽 · 2024-05-12"
    history = [" ".join(t.split()) for t in page.locator("#stages li").all_inner_texts()]
    assert len(history) == 2
    assert history[0].startswith("2024-05-06 获取")
    assert history[1].startswith("2024-05-12 接洽 · 与董事长面谈，确认投资意向")
    assert "owner" in history[1]  # recorded by the team member
    audit = page.locator("table.audit").inner_text()
    assert "网页登记" in audit and "owner" in audit
    # The visit is still listed after the move.
    assert "王科长、李干事" in page.locator("#activities").inner_text()

    # A team member of another town (西亭镇) cannot open it, nor find it in the list.
    sign_in(page, live_server, outsider)
    response = page.goto(lead_url)
    assert response is not None and response.status == 404
    body = page.locator("body").inner_text()
    assert "五接镇氢能装备项目" not in body and "江苏氢动力" not in body
    page.goto(live_server.url + "/attraction/")
    assert page.locator("[data-figure=leads]").inner_text() == "0"
    page.goto(live_server.url + "/attraction/leads/")
    assert "五接镇氢能装备项目" not in page.locator("#results").inner_text()


# --- 2. race: leaderboard for a month, drill into a team's score --------------------


def scored_project(town, team, name, yi, *, signed, started=None, tech=False, done_yi=None):
    p = ledger.create_project(
        actor=None,
        fields={
            "name": name,
            "town": town,
            "investment_yuan": Decimal(yi) * 100_000_000,
            "owner_team": team,
            "tag_tech": tech,
        },
        source="system",
    )
    ledger.record_stage_event(actor=None, project=p, stage="signed", on=signed, source="system")
    if started:
        ledger.record_stage_event(
            actor=None, project=p, stage="started", on=started, source="system"
        )
    if done_yi:
        ledger.record_investment(
            actor=None,
            project=p,
            month=started or signed,
            completed_yuan=Decimal(done_yi) * 100_000_000,
            source="system",
        )
    return p


@pytest.fixture
def race_month(wujie, xiting, wujie_team) -> None:
    """February 2023 under the default rule v1:
    五接镇 — 60亿 科创 signed (30+3) and started (10) with 2亿 done (2), and a 5亿
    signing (5): 50 points; its January signing does not count in February.
    西亭镇 — a 12亿 signing: 15 points."""
    race.create_rule_version(
        actor=None,
        weights=DEFAULT_WEIGHTS,
        effective_from=date(2021, 1, 1),
        expected_version=None,
        source="system",
    )
    xiting_team = create_team(name="西亭镇招商队伍", kind=Team.Kind.TOWN, org_unit=xiting, staff=4)
    scored_project(wujie, wujie_team, "五接智能装备项目", 60, signed=date(2023, 2, 3),
                   started=date(2023, 2, 20), tech=True, done_yi=2)  # fmt: skip
    scored_project(wujie, wujie_team, "五接储能电池项目", 5, signed=date(2023, 2, 10))
    scored_project(wujie, wujie_team, "五接一月签约项目", 12, signed=date(2023, 1, 12))
    scored_project(xiting, xiting_team, "西亭新材料项目", 12, signed=date(2023, 2, 15))


def test_district_analyst_reads_the_monthly_leaderboard_and_drills_into_a_score(
    live_server, page, colleague, race_month
):
    sign_in(page, live_server, colleague)
    page.click("nav >> text=赛马")
    page.wait_for_url(re.compile(r"/race/$"))
    page.wait_for_function("() => window.htmx !== undefined")

    # Choose the month and the as-of date; the standings update in place.
    page.fill("input[name=period]", "2023-02")
    page.fill("input[name=as_of]", "2023-02-28")
    page.click("form.filters button:has-text('查看')")
    page.wait_for_url(re.compile(r"period=2023-02&as_of=2023-02-28"))
    # a swap triggered by the period field alone may land first: wait for the one
    # that carries the as-of date into its drill-down links
    page.wait_for_selector("#standings td.num a[href*='as_of=2023-02-28']")
    page.wait_for_selector("#results h2 >> text=2023-02 排名")
    assert "计分规则 v1" in page.locator("#results h2").first.inner_text()

    rows = page.locator("#standings tbody tr")
    assert rows.count() == 2
    first, second = (rows.nth(i).locator("td").all_inner_texts() for i in range(2))
    assert first[0].startswith("1") and first[1] == "五接镇招商队伍"
    assert second[0].startswith("2") and second[1] == "西亭镇招商队伍"
    assert first[3] == "50.0" and second[3] == "15.0"
    # Rule v1 does not rank per staff member, so no 人均得分 column: then 签约, 开工.
    assert (first[4], first[5], first[6]) == ("2", "1", "2.00")

    expected_events = {
        "五接镇招商队伍": {"五接智能装备项目": 3, "五接储能电池项目": 1},
        "西亭镇招商队伍": {"西亭新材料项目": 1},
    }
    for team_name, projects in expected_events.items():
        row = page.locator("#standings tbody tr", has_text=team_name)
        shown = Decimal(row.locator("td").nth(3).inner_text())
        row.locator("td.num a").first.click()
        page.wait_for_url(re.compile(r"/race/teams/\d+/\?period=2023-02&as_of=2023-02-28$"))

        assert page.locator("h1").inner_text().startswith(team_name)
        assert "2023-02 计分事件" in page.locator("h1 small").inner_text()
        total = Decimal(page.locator("#total").inner_text())
        events = page.locator("#events tbody tr")
        listed = [events.nth(i).locator("td").all_inner_texts() for i in range(events.count())]
        points = sum((Decimal(cells[6]) for cells in listed), Decimal(0))
        assert total == shown == points
        named = [cells[2] for cells in listed]
        assert {n: named.count(n) for n in set(named)} == projects
        assert "五接一月签约项目" not in page.locator("#events").inner_text()
        assert page.locator("#hidden").count() == 0  # an analyst sees every project

        page.click("text=返回排名")
        page.wait_for_url(re.compile(r"/race/\?period=2023-02&as_of=2023-02-28$"))

    # The 五接镇 events, item by item, under rule v1.
    page.locator("#standings tbody tr", has_text="五接镇招商队伍").locator("td.num a").click()
    page.wait_for_url(re.compile(r"/race/teams/\d+/"))
    events = page.locator("#events tbody tr")
    by_event = sorted(
        (cells[1], cells[2], cells[6])
        for cells in (events.nth(i).locator("td").all_inner_texts() for i in range(events.count()))
    )
    assert by_event == [
        ("开工", "五接智能装备项目", "10"),
        ("月度完成投资", "五接智能装备项目", "2"),
        ("签约", "五接储能电池项目", "5"),
        ("签约", "五接智能装备项目", "33"),
    ]


# --- 3. review: an invited department gives its opinion; others get 404 ------------


@pytest.fixture
def open_review(district, wujie, colleague):
    env = create_org_unit(name="区生态环境局", kind=OrgUnit.Kind.DEPARTMENT, parent=district)
    land = create_org_unit(
        name="区自然资源和规划分局", kind=OrgUnit.Kind.DEPARTMENT, parent=district
    )
    commerce = create_org_unit(name="区商务局", kind=OrgUnit.Kind.DEPARTMENT, parent=district)
    invited = create_user(
        username="env_reviewer", password=PASSWORD, role=Role.REVIEWER, org_unit=env
    )
    uninvited = create_user(
        username="commerce_reviewer", password=PASSWORD, role=Role.REVIEWER, org_unit=commerce
    )
    project = ledger.create_project(
        actor=None,
        fields={
            "name": "高端封装载板项目",
            "town": wujie,
            "investment_yuan": Decimal(30) * 100_000_000,
            "industry_code": "C3982",
            "land_mu": Decimal(200),
        },
        source="system",
    )
    review = review_services.start_review(
        actor=colleague, project=project, departments=[env, land], source="user"
    )
    return review, invited, uninvited


def fill_scores(page, values: dict[str, str]) -> None:
    form = page.locator("form[action$='/opinion/']")
    for code, value in values.items():
        form.locator(f"input[name=score_{code}]").fill(value)


CRITERIA = (
    "investment_intensity",
    "tax_per_mu",
    "industry_fit",
    "technology",
    "energy_environment",
    "employment",
)


def test_invited_reviewer_is_refused_an_out_of_range_score_then_gives_an_opinion(
    live_server, page, open_review
):
    review, invited, uninvited = open_review
    sign_in(page, live_server, invited)

    # From the 研判 menu to the review the department is invited to.
    page.click("nav >> text=研判")
    page.wait_for_url(re.compile(r"/review/$"))
    page.click("#reviews >> text=高端封装载板项目")
    page.wait_for_url(re.compile(rf"/review/{review.pk}/$"))
    assert page.locator("h1").inner_text() == "研判会商：高端封装载板项目"
    assert "区生态环境局意见" in page.locator("h2", has_text="意见").last.inner_text()
    env_row = page.locator("#invitations tr", has_text="区生态环境局")
    assert "待提交" in env_row.inner_text()

    # An out-of-range score: a Chinese error naming the criterion, nothing saved.
    fill_scores(page, {c: "8" for c in CRITERIA} | {"investment_intensity": "11"})
    form = page.locator("form[action$='/opinion/']")
    form.locator("textarea[name=comments]").fill("原则同意")
    form.locator("button:has-text('提交意见')").click()
    page.wait_for_selector("ul.messages li.error")
    assert messages(page) == ["「投资强度」的评分11超出范围（0–10）"]
    assert "待提交" in page.locator("#invitations tr", has_text="区生态环境局").inner_text()
    assert page.locator("#opinions table tbody tr").count() == 0  # no opinion row
    assert "原则同意" not in page.locator("#opinions table").inner_text()
    assert not Opinion.objects.filter(invitation__review=review).exists()

    # Valid scores and the department's opinion.
    fill_scores(
        page,
        {
            "investment_intensity": "8",
            "tax_per_mu": "7.5",
            "industry_fit": "9",
            "technology": "8",
            "energy_environment": "6",
            "employment": "7",
        },
    )
    form.locator("textarea[name=comments]").fill("原则同意，须在开工前取得环评批复")
    form.locator("textarea[name=conditions]").fill("落实废水零排放方案")
    form.locator("button:has-text('提交意见')").click()
    page.wait_for_selector("ul.messages >> text=已提交本部门意见")
    assert not any("超出范围" in m for m in messages(page))

    opinion_row = page.locator("#opinions table tr", has_text="区生态环境局")
    assert opinion_row.count() == 1
    cells = opinion_row.locator("td").all_inner_texts()
    assert cells[0].split() == ["区生态环境局", "env_reviewer"]
    assert cells[1:7] == ["8", "7.50", "9", "8", "6", "7"]
    assert cells[7] == "原则同意，须在开工前取得环评批复"
    assert cells[8] == "落实废水零排放方案"
    assert "已提交" in page.locator("#invitations tr", has_text="区生态环境局").inner_text()
    # The other invited department has not answered, so no verdict yet.
    assert "待提交" in page.locator("#invitations tr", has_text="区自然资源和规划分局").inner_text()
    assert page.locator("#status").inner_text() == "进行中"

    # A reviewer of a department that was not invited: 404, and an empty list.
    sign_in(page, live_server, uninvited)
    response = page.goto(f"{live_server.url}/review/{review.pk}/")
    assert response is not None and response.status == 404
    body = page.locator("body").inner_text()
    assert "高端封装载板项目" not in body and "原则同意" not in body
    page.goto(live_server.url + "/review/")
    assert page.locator("#reviews").inner_text().count("暂无研判会商") == 1
    assert Review.objects.get(pk=review.pk).status == Review.Status.OPEN
    assert Project.objects.filter(name="高端封装载板项目").count() == 1
