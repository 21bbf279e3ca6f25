"""Fixtures for API tests: an API key, a client, and stories stored through the real ingest path."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from tickerwire.core.draft import ArticleDraft, Block, Dateline, SourceRef


def wire_story(headline: str, lead: str, *, marker: str = "", extra: str = "") -> bytes:
    """Return a short wire story written for these tests."""
    prefix = f"{marker}-" if marker else ""
    text = (
        f"{prefix}{headline}\n\n"
        f"ZENITH CITY, March 4 (Tickerwire Test Wire) - {lead}\n\n"
        "The company said demand for its products stayed strong through the quarter.\n"
    )
    if extra:
        text += f"\n{extra}\n"
    return text.encode()


def make_draft(headline: str, lead: str, published: str = "2026-03-04T10:00:00", **kw: object) -> ArticleDraft:
    return ArticleDraft(
        headline=headline,
        source=SourceRef(site="Tickerwire Test Wire", section=str(kw.pop("section", "Business"))),
        published=published,
        summary=list(kw.pop("summary", ["A test summary bullet"])),  # type: ignore[arg-type]
        byline=list(kw.pop("byline", ["Ada Fictional", "Bo Imaginary"])),  # type: ignore[arg-type]
        dateline=Dateline(place="ZENITH CITY", date="Mar 4", agency="Tickerwire Test Wire"),
        body=[Block("paragraph", lead), Block("subhead", "OUTLOOK"),
              Block("paragraph", "Analysts expect orders to keep growing <fast> & steadily.")],
        credits="(Reporting by Ada Fictional; Editing by Bo Imaginary)",
    )


@pytest.fixture(autouse=True)
def _fresh_throttles() -> None:
    cache.clear()


@pytest.fixture
def api_token(db: None) -> str:
    from tickerwire.api.actions import do_create_api_key

    return do_create_api_key("Test Newsroom").token


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def stored(db: None) -> list[int]:
    """Store three stories (oldest first) and return their ids."""
    from tickerwire.articles.actions.ingest import do_ingest_draft

    ids = []
    for day, (headline, lead) in enumerate([
        ("Orbis Widgets lifts outlook", "Orbis Widgets (MSX: ORBW) raised its outlook on Tuesday."),
        ("Halcyon Grid wins wind contract", "Halcyon Grid (MSX: HLGD) won an offshore wind contract."),
        ("Copper climbs on tight supply", "Copper prices rose 2% as smelters cut output."),
    ], start=1):
        outcome = do_ingest_draft(make_draft(headline, lead, published=f"2026-03-0{day}T10:00:00"),
                                  source_name="Test Newsroom")
        ids.append(outcome.article_id)
    return ids
