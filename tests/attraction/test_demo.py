"""The attraction demo on the article's district: the article's counts on the
dashboard, the chain with its anchors and gaps, a lead book with work in it.

Loads the ledger demo once with only this app's extension (the others have their
own tests), inside a transaction rolled back afterwards."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from haotong.attraction import chains, queries, services
from haotong.attraction.models import Chain, ChainFirm, Lead, LeadActivity, LeadConflict
from haotong.core.demo import article, loader
from haotong.core.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        pytest.MonkeyPatch.context() as mp,
    ):
        mp.setattr(loader, "DEMO_EXTENSIONS", ("haotong.attraction.demo",))
        counts = loader.load()
        yield counts
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo")
class TestAttractionDemo:
    def test_the_dashboard_shows_the_articles_counts_with_links_to_the_rows(self, client):
        client.force_login(User.objects.get(username="analyst"))
        body = client.get(reverse("attraction:dashboard")).content.decode()
        for figure, value in (
            ("tech", article.TECH_PROJECTS),
            ("talent", article.TALENT_PROJECTS),
            ("major_attraction", article.MAJOR_ATTRACTION_PROJECTS),
            ("chain_firms", article.CHAIN_FIRMS),
        ):
            assert f'data-figure="{figure}">{value}<' in body, figure
        assert "?tag=tech" in body and "?tag=talent" in body and "?tag=major_attraction" in body

    def test_the_chain_has_the_articles_links_anchors_and_49_firms(self):
        chain = Chain.objects.get(name=article.CHAIN_NAME)
        names = set(chain.links.values_list("name", flat=True))
        assert set(article.CHAIN_LINKS) <= names
        assert not chain.links.filter(name__in=article.CHAIN_LINKS, synthetic=True).exists()
        anchors = set(
            ChainFirm.objects.filter(is_anchor=True).values_list("enterprise__name", flat=True)
        )
        assert anchors == set(article.ANCHOR_FIRMS)
        assert ChainFirm.objects.count() == article.CHAIN_FIRMS
        _, ranked = chains.chain_map(chain)
        assert [g.presence.name for g in ranked if g.empty] == ["半导体设备", "晶圆制造"]

    def test_a_few_hundred_synthetic_leads_over_two_years_with_stale_ones(self, demo):
        assert 300 <= demo["leads"] == Lead.objects.count() <= 500
        assert not Lead.objects.filter(synthetic=False).exists()
        teams = Lead.objects.values("team").distinct().count()
        assert teams >= 10
        assert LeadActivity.objects.count() > 2 * Lead.objects.count()
        stale = queries.stale(Lead.objects.all(), as_of=article.ARTICLE_AS_OF,
                              days=services.stale_days())  # fmt: skip
        assert 10 <= stale.count() < Lead.objects.open().count()
        signed = Lead.objects.filter(project__isnull=False)
        assert signed.count() >= 100
        assert all(lead.project.owner_team_id == lead.team_id for lead in signed[:20])

    def test_only_the_deliberate_duplicates_conflict(self):
        assert LeadConflict.objects.filter(status="open").count() == 6
        for c in LeadConflict.objects.select_related("lead_a", "lead_b"):
            assert c.lead_a.team_id != c.lead_b.team_id
            assert c.lead_a.investor_key == c.lead_b.investor_key

    def test_the_lead_list_badges_demo_records(self, client):
        client.force_login(User.objects.get(username="wujie"))
        body = client.get(reverse("attraction:lead_list")).content.decode()
        assert "badge synthetic" in body
        assert "<td>五接镇招商队伍</td>" in body and "西亭镇招商队伍" not in body
