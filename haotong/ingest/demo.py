"""Demo data for document intake: the seed page, read by the engine, its facts
pending review. The page is the copy kept with the gold set, so the demo does not
depend on anything outside the package."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from haotong.core.demo import article
from haotong.ingest import services
from haotong.ingest.models import Document

if TYPE_CHECKING:
    from haotong.core.demo.loader import DemoContext

SEED_PAGE = Path(__file__).resolve().parent / "gold" / "tongzhou-2023.txt"


def load(context: DemoContext) -> dict[str, int]:
    document = services.ingest_document(
        actor=None,
        name=article.SOURCE,
        data=SEED_PAGE.read_bytes(),
        # The page prints no date line; it is the 两会 special issue the ledger is as of.
        published_on=context.as_of,
        origin=Document.Origin.DEMO,
        source="document",
    )
    return {
        "ingest_documents": 1,
        "ingest_candidates": document.candidates.count(),
    }
