"""The demo district: the article's facts hold, generated records are marked, and
the same seed gives the same district.

The full load (≈300 projects, 3,000 enterprises) takes some seconds, so it runs
once for ``TestTheArticlesDistrict`` inside a transaction rolled back afterwards.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction

from haotong.core.demo import article, loader
from haotong.core.demo.synthetic import Generator
from haotong.core.models import OrgUnit, Team, User
from haotong.ledger import queries
from haotong.ledger.models import Enterprise, Groundbreaking, Project, StageEvent

pytestmark = pytest.mark.django_db
ARTICLE_NAMES = {p.name for p in article.PROJECTS}


def ledger_projects():
    """Projects the ledger loader made; the review demo adds unsigned ones under review."""
    return Project.objects.exclude(reviews__synthetic=True)


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        counts = loader.load()
        yield counts
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo")
class TestTheArticlesDistrict:
    def test_it_loads_a_district_sized_ledger(self, demo):
        assert demo["projects"] == ledger_projects().count() == loader.TOTAL_PROJECTS
        assert demo["enterprises"] == Enterprise.objects.count() == loader.TOTAL_ENTERPRISES
        assert loader.is_loaded()

    def test_kanghui_is_in_wujie_near_125_yi_started_october_2022_with_evidence(self):
        p = Project.objects.get(name="康辉新材料项目")
        assert p.town.name == "五接镇"
        assert (p.investment_yuan, p.investment_qualifier, p.investment_label) == (
            Decimal("12500000000"),
            "near",
            "近125亿元",
        )
        (event,) = p.events.all()
        assert (event.stage, event.date, event.date_precision) == (
            "started",
            date(2022, 10, 1),
            "month",
        )
        assert "自去年10月开工后" in event.evidence
        assert event.source == "document" and article.SOURCE in event.source_detail
        assert (p.stage, p.stage_date) == ("started", date(2022, 10, 1))
        assert p.owner_team.name == "五接镇招商队伍"

    def test_kangyuan_is_50_yi_and_started_on_11_february_2023(self):
        p = Project.objects.get(name="康源电路项目")
        assert p.investment_yuan == Decimal("5000000000")
        assert "康源电子高端IC载板项目" in p.aliases
        assert p.capacity_text == "年产封装载板86万平方米"
        started = p.events.get(stage="started")
        assert (started.date, started.date_precision) == (date(2023, 2, 11), "day")
        assert "正式开工建设" in started.evidence
        assert (p.stage, p.stage_date) == ("started", date(2023, 2, 11))

    def test_the_other_article_projects_have_their_amounts_and_stages(self):
        stage = dict(Project.objects.filter(name__in=ARTICLE_NAMES).values_list("name", "stage"))
        assert stage == {
            "恒力(南通)产业园三期功能性聚酯纤维项目": "production",
            "恒力(南通)产业园四期项目": "started",
            "康源电路项目": "started",
            "高德新型电子元件项目": "signed",
            "康辉新材料项目": "started",
        }
        assert Project.objects.get(name="高德新型电子元件项目").investment_yuan == Decimal(
            "10000000000"
        )
        hengli = Project.objects.get(name="恒力(南通)产业园四期项目")
        assert hengli.town.name == article.DISTRICT and hengli.investment_yuan is None

    def test_every_article_event_carries_its_sentence_as_evidence(self):
        events = StageEvent.objects.filter(project__name__in=ARTICLE_NAMES)
        assert events.count() == sum(len(p.events) for p in article.PROJECTS)
        assert not events.filter(evidence="").exists()
        assert set(events.values_list("source", flat=True)) == {"document"}

    def test_the_groundbreaking_of_11_february_is_16_projects_totalling_83_2_yi_computed(self):
        batch = Groundbreaking.objects.get(date=date(2023, 2, 11))
        summary = queries.groundbreaking_summary(batch)
        assert summary.project_count == 16
        assert summary.total_investment_yuan == Decimal("8320000000")
        assert summary.total_investment_yuan == sum(p.investment_yuan for p in batch.projects.all())
        assert summary.advanced_manufacturing_share == Decimal(1)
        assert summary.advanced_manufacturing_count_share == Decimal(1)
        assert "康源电路项目" in {p.name for p in summary.projects}
        assert (batch.reported_count, batch.reported_total_yuan) == (16, Decimal("8320000000"))
        # Every project in the batch started that day.
        assert all(
            p.events.filter(stage="started", date=date(2023, 2, 11)).exists()
            for p in summary.projects
        )

    def test_tag_counts_are_the_articles_48_74_51(self):
        assert Project.objects.filter(tag_tech=True).count() == 48
        assert Project.objects.filter(tag_talent=True).count() == 74
        assert Project.objects.filter(tag_major_attraction=True).count() == 51

    def test_44_departments_with_60_sections(self):
        assert OrgUnit.objects.filter(kind=OrgUnit.Kind.DEPARTMENT).count() == 44
        assert OrgUnit.objects.filter(kind=OrgUnit.Kind.SECTION).count() == 60
        assert (
            not OrgUnit.objects.filter(kind=OrgUnit.Kind.SECTION)
            .exclude(parent__kind="department")
            .exists()
        )

    def test_about_50_chain_firms_around_the_two_anchors(self):
        chain = Enterprise.objects.exclude(chain_link="")
        assert chain.count() == article.CHAIN_FIRMS
        assert set(chain.filter(synthetic=False).values_list("name", flat=True)) == {
            "深南电路",
            "展华电子",
        }

    def test_the_three_kinds_of_teams(self):
        assert set(Team.objects.values_list("kind", flat=True)) == {"center", "park", "town"}

    def test_generated_records_are_flagged_synthetic_and_the_articles_are_not(self):
        assert not Project.objects.filter(name__in=ARTICLE_NAMES, synthetic=True).exists()
        generated = ledger_projects().exclude(name__in=ARTICLE_NAMES)
        assert generated.count() == loader.TOTAL_PROJECTS - len(ARTICLE_NAMES)
        assert not generated.filter(synthetic=False).exists()
        assert not StageEvent.objects.filter(project__in=generated, synthetic=False).exists()
        assert not StageEvent.objects.filter(
            project__name__in=ARTICLE_NAMES, synthetic=True
        ).exists()
        assert set(
            Enterprise.objects.filter(synthetic=False).values_list("name", flat=True)
        ) == set(article.ANCHOR_FIRMS)
        assert not generated.filter(source_note="").exists()

    def test_generated_events_are_never_after_the_article(self):
        assert not StageEvent.objects.filter(date__gt=article.ARTICLE_AS_OF).exists()

    def test_demo_accounts_are_role_accounts_scoped_to_their_unit(self):
        wujie = User.objects.get(username="wujie")
        assert wujie.check_password(loader.DEMO_PASSWORD)
        towns = set(Project.objects.visible_to(wujie).values_list("town__name", flat=True))
        assert towns == {"五接镇"}
        analyst = User.objects.get(username="analyst")
        assert ledger_projects().visible_to(analyst).count() == loader.TOTAL_PROJECTS


def test_a_small_district_still_holds_the_articles_groundbreaking():
    counts = loader.load(projects=40, enterprises=120)
    assert (counts["projects"], counts["enterprises"]) == (40, 120)
    assert ledger_projects().count() == 40 and Enterprise.objects.count() == 120
    summary = queries.groundbreaking_summary(Groundbreaking.objects.get())
    assert (summary.project_count, summary.total_investment_yuan) == (16, Decimal("8320000000"))
    assert summary.advanced_manufacturing_share == Decimal(1)
    assert Project.objects.get(name="康辉新材料项目").town.name == "五接镇"


def _load_names() -> tuple[list[str], list[str]]:
    with transaction.atomic():
        loader.load(projects=40, enterprises=120)
        names = list(ledger_projects().order_by("id").values_list("name", flat=True))
        firms = list(Enterprise.objects.order_by("id").values_list("credit_code", flat=True))
        transaction.set_rollback(True)
    return names, firms


def test_the_same_seed_gives_the_same_district():
    first = _load_names()
    assert not loader.is_loaded()  # rolled back: the second load starts from nothing
    assert _load_names() == first
    assert len(set(first[0])) == 40


def test_the_generator_is_deterministic_and_a_new_seed_changes_it():
    def sample(gen: Generator) -> list[tuple[str, str, str]]:
        return [
            (e.name, e.credit_code, e.contact_phone) for e in (gen.enterprise() for _ in range(20))
        ]

    assert sample(Generator()) == sample(Generator())
    assert sample(Generator(seed=1)) != sample(Generator())
