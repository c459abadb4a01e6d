"""The demo loads the seed page as a document whose facts wait for review and
match the article's projects the ledger demo already holds."""

from __future__ import annotations

from haotong.core.demo import loader
from haotong.ingest import demo
from haotong.ingest.models import Candidate, Document
from haotong.ingest.queries import matches_for
from haotong.ledger.models import Project, StageEvent


def test_the_seed_page_is_loaded_pending_and_matches_the_article_projects(db):
    loader._settings()  # the as-of date and the review cut-over the history needs
    units = loader._org_units()
    teams = loader._teams(units)
    real = loader._article_projects(units, teams)
    context = loader.DemoContext(units=units, teams=teams, enterprises=[], article_projects=real)
    events_before = StageEvent.objects.count()

    counts = demo.load(context)

    document = Document.objects.get()
    assert counts["ingest_documents"] == 1 and counts["ingest_candidates"] >= 3
    assert (document.origin, document.published_on) == ("demo", context.as_of)
    candidates = list(document.candidates.all())
    assert {c.status for c in candidates} == {Candidate.Status.PENDING}
    assert StageEvent.objects.count() == events_before  # nothing entered the ledger
    top = {
        c.name: found[0].project.name
        for c in candidates
        if (found := matches_for([c], Project.objects.all())[c.pk])
    }
    assert top["康辉新材料项目"] == "康辉新材料项目"
    assert top["康源电路项目"] == "康源电路项目"
    kanghui = next(c for c in candidates if c.name == "康辉新材料项目")
    assert kanghui.town == units["五接镇"] and kanghui.matched_project is not None
