"""Attraction pages as owner (五接镇 team), colleague (发改委 analyst) and outsider (西亭镇 team)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from haotong.attraction import chains, services
from haotong.attraction.models import Lead, LeadConflict
from haotong.core.models import Team
from haotong.core.services import create_team
from haotong.ledger.models import Project
from tests.attraction.conftest import make_lead

pytestmark = pytest.mark.django_db


def test_owner_sees_and_colleague_sees_the_lead_outsider_gets_404(
    client, lead, owner, colleague, outsider
):
    url = reverse("attraction:lead_detail", args=[lead.pk])
    for user, status in ((owner, 200), (colleague, 200), (outsider, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status, user


def test_the_lead_list_is_scoped_to_the_users_teams(client, lead, owner, outsider, xiting_team):
    make_lead(xiting_team, project_name="西亭项目", investor_name="西亭投资方")
    client.force_login(owner)
    body = client.get(reverse("attraction:lead_list")).content.decode()
    assert "康源电子高端IC载板项目" in body and "西亭项目" not in body
    client.force_login(outsider)
    body = client.get(reverse("attraction:lead_list")).content.decode()
    assert "康源电子高端IC载板项目" not in body and "西亭项目" in body


def test_outsider_cannot_move_or_log_on_another_towns_lead(client, lead, outsider):
    client.force_login(outsider)
    r = client.post(reverse("attraction:lead_move", args=[lead.pk]),
                    {"stage": "contacted", "on": "2022-07-01", "version": 1})  # fmt: skip
    assert r.status_code == 404
    r = client.post(reverse("attraction:lead_activity", args=[lead.pk]),
                    {"kind": "call", "on": "2022-07-01", "who": "x"})  # fmt: skip
    assert r.status_code == 404
    lead.refresh_from_db()
    assert lead.stage == "acquired" and not lead.activities.exists()


def test_owner_moving_to_an_unreachable_stage_sees_the_chinese_reason(client, lead, owner):
    client.force_login(owner)
    r = client.post(reverse("attraction:lead_move", args=[lead.pk]),
                    {"stage": "landed", "on": "2022-07-01", "version": 1}, follow=True)  # fmt: skip
    assert "落地前须先签约" in r.content.decode()
    lead.refresh_from_db()
    assert lead.stage == "acquired"


def test_owner_creates_a_lead_with_an_amount_as_people_write_it(client, owner, wujie_team):
    client.force_login(owner)
    r = client.post(reverse("attraction:lead_create"), {
        "project_name": "高德新型电子元件项目", "investor_name": "高德电子有限公司",
        "source": "agent", "team": wujie_team.pk, "intended_investment_yuan": "100亿元",
        "acquired_on": "2022-06-01",
    })  # fmt: skip
    lead = Lead.objects.get()
    assert r.status_code == 302 and r["Location"] == lead.get_absolute_url()
    assert lead.intended_investment_yuan == 10_000_000_000


def test_an_amount_that_does_not_parse_saves_nothing(client, owner, wujie_team):
    client.force_login(owner)
    r = client.post(reverse("attraction:lead_create"), {
        "project_name": "高德新型电子元件项目", "investor_name": "高德电子有限公司",
        "source": "agent", "team": wujie_team.pk, "intended_investment_yuan": "一百多个亿",
        "acquired_on": "2022-06-01",
    })  # fmt: skip
    assert r.status_code == 200
    assert "无法识别的金额" in r.content.decode()
    assert not Lead.objects.exists()


def test_outsider_cannot_pick_another_towns_team_when_creating(client, outsider, wujie_team):
    create_team(name="西亭镇招商队伍", kind=Team.Kind.TOWN, org_unit=outsider.org_unit)
    client.force_login(outsider)
    r = client.post(reverse("attraction:lead_create"), {
        "project_name": "x", "investor_name": "y", "source": "agent", "team": wujie_team.pk,
        "acquired_on": "2022-06-01",
    })  # fmt: skip
    assert r.status_code == 200 and not Lead.objects.exists()


def test_owner_signs_and_the_project_page_links_back(client, negotiating_lead, owner, wujie):
    client.force_login(owner)
    r = client.post(reverse("attraction:lead_sign", args=[negotiating_lead.pk]),
                    {"on": "2022-09-01", "town": wujie.pk, "version": negotiating_lead.version},
                    follow=True)  # fmt: skip
    assert "已进入项目台账" in r.content.decode()
    negotiating_lead.refresh_from_db()
    page = client.get(negotiating_lead.project.get_absolute_url()).content.decode()
    assert negotiating_lead.get_absolute_url() in page


def test_conflicts_are_for_district_roles(
    client, owner, colleague, outsider, wujie_team, xiting_team
):
    make_lead(wujie_team)
    make_lead(xiting_team, investor_name="康源电子有限公司", project_name="载板基地")
    url = reverse("attraction:conflict_list")
    for user, status in ((owner, 404), (outsider, 404), (colleague, 200)):
        client.force_login(user)
        assert client.get(url).status_code == status
    conflict = LeadConflict.objects.get()
    r = client.post(reverse("attraction:conflict_settle", args=[conflict.pk]),
                    {"decision": "b", "note": "西亭先签意向"}, follow=True)  # fmt: skip
    assert "由西亭镇招商队伍跟进" in r.content.decode()
    client.force_login(owner)
    r = client.post(reverse("attraction:conflict_settle", args=[conflict.pk]),
                    {"decision": "a", "note": "x"})  # fmt: skip
    assert r.status_code == 404


def test_the_chain_map_draws_links_with_counts_and_gaps(
    client, owner, colleague, outsider, wujie_team
):
    chain = chains.create_chain(actor=None, name="新一代信息技术", links=["芯片设计", "检测"],
                                source="system")  # fmt: skip
    for user in (owner, colleague, outsider):
        client.force_login(user)
        body = client.get(reverse("attraction:chain_detail", args=[chain.pk])).content.decode()
        assert 'id="chain-map"' in body and 'data-link="检测" data-firms="0"' in body
        assert "gap-empty" in body
    link = chain.links.get(name="检测")
    client.force_login(colleague)
    client.post(reverse("attraction:link_targets", args=[link.pk]), {"names": "甲检测\n乙检测"})
    client.post(reverse("attraction:link_to_leads", args=[link.pk]), {"team": wujie_team.pk})
    assert Lead.objects.filter(chain_link=link, team=wujie_team, source="chain").count() == 2
    client.force_login(owner)
    r = client.post(reverse("attraction:link_to_leads", args=[link.pk]), {"team": wujie_team.pk})
    assert r.status_code == 403


def test_enterprise_users_do_not_see_attraction(client, db, enterprise):
    from haotong.core.services import create_user

    user = create_user(username="e", password="x-pass-123", role="enterprise", org_unit=None,
                       enterprise_id=enterprise.pk)  # fmt: skip
    client.force_login(user)
    assert client.get(reverse("attraction:dashboard")).status_code == 404


def _leads(team: Team, n: int) -> None:
    for i in range(n):
        lead = make_lead(
            team, project_name=f"第{i}号项目", investor_name=f"投资方{i:03d}号有限公司"
        )
        services.log_activity(actor=None, lead=lead, kind="call", on=date(2022, 7, 1), who="张三",
                              note="", source="system")  # fmt: skip


@pytest.mark.parametrize("url_name", ["attraction:lead_list", "attraction:dashboard"])
def test_query_count_does_not_grow_with_rows(
    client, django_assert_max_num_queries, colleague, wujie_team, url_name
):
    client.force_login(colleague)
    _leads(wujie_team, 3)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse(url_name))
    _leads(wujie_team, 27)
    with django_assert_max_num_queries(len(small.captured_queries)):
        r = client.get(reverse(url_name))
    assert r.status_code == 200


def test_the_review_gate_refusal_is_shown_as_is_and_nothing_is_saved(
    client, negotiating_lead, owner, wujie
):
    client.force_login(owner)
    r = client.post(reverse("attraction:lead_sign", args=[negotiating_lead.pk]),
                    {"on": "2023-03-10", "town": wujie.pk, "version": negotiating_lead.version},
                    follow=True)  # fmt: skip
    assert "须经研判会商通过后方可签约" in r.content.decode()
    negotiating_lead.refresh_from_db()
    assert negotiating_lead.stage == "negotiating" and negotiating_lead.project is None
    assert not Project.objects.exists()


def test_chain_map_query_count_does_not_grow_with_firms(
    client, django_assert_max_num_queries, colleague
):
    from haotong.ledger import services as ledger

    chain = chains.create_chain(actor=None, name="链", links=["检测", "封装载板"], source="system")

    def firms(start: int, n: int) -> None:
        for i in range(start, start + n):
            ledger.create_enterprise(actor=None, source="system",
                                     fields={"name": f"企业{i}", "chain_link": "检测"})  # fmt: skip
        chains.sync_firms(actor=None, chain=chain, source="system")

    client.force_login(colleague)
    firms(0, 3)
    url = reverse("attraction:chain_detail", args=[chain.pk])
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    firms(3, 27)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert "企业29" in client.get(url).content.decode()


def test_the_dashboard_counts_signed_tagged_projects_and_notes_unsigned_ones(
    client, colleague, wujie
):
    from haotong.ledger import services as ledger

    for i, signed in enumerate((True, True, False)):
        p = ledger.create_project(actor=None, source="system",
                                  fields={"name": f"科创{i}", "town": wujie, "tag_tech": True})  # fmt: skip
        if signed:
            ledger.record_stage_event(actor=None, project=p, stage="signed",
                                      on=date(2022, 6, 1), source="system")  # fmt: skip
    client.force_login(colleague)
    body = client.get(reverse("attraction:dashboard")).content.decode()
    assert 'data-figure="tech">2<' in body and "另有1个未签约" in body
