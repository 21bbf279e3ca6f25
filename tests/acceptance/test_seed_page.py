"""The seed page, ingested through the real path, renders with all of its parts in the seed's order, and
its related list and tickers link where they should."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from tests.acceptance.conftest import require_shared
from tests.site.page_text import assert_in_order, visible_text

SEEDS = require_shared("seeds")
SEED = SEEDS / "000_e1910754a33a6208.txt"
EXPECTED = json.loads((SEEDS / "000_e1910754a33a6208.expected.json").read_text(encoding="utf-8"))

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_html(client: Client) -> str:
    from tickerwire.articles.actions.ingest import IngestOutcome, ingest_bytes
    from tickerwire.articles.models import Article

    results = ingest_bytes(SEED.read_bytes(), fmt="auto", source_name=None, path=str(SEED))
    outcomes = [r for r in results if isinstance(r, IngestOutcome)]
    assert len(outcomes) == 1, results
    article = Article.objects.get(pk=outcomes[0].article_id)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_seed_page_renders_every_part_in_order(seed_html: str) -> None:
    """Site name, breadcrumb, section menu, headline, time, summary, byline, dateline, body with subheads,
    comments and related articles appear in the order of the seed page."""
    text = visible_text(seed_html)
    headline = EXPECTED["headline"]
    dateline = EXPECTED["dateline"]
    parts = [
        "Tickerwire", f"/ {EXPECTED['source']['section']} / {headline}",
        " ".join(EXPECTED["sections_menu"]),
        headline, "Aug 28, 2025 3:38 AM",
        *EXPECTED["summary"],
        "By Gleb Bryanski, Darya Korsunskaya, Elena Fabrichnaya and Gleb Stolyarov",
        f"{dateline['place']}, {dateline['date']} ({dateline['agency']}) -",
        *[" ".join(block["text"].split()) for block in EXPECTED["body"]],
        "Comments (0)", "Related Articles",
    ]
    for related in EXPECTED["related"]:
        parts += [related["headline"], "Mar 21, 2024", " ".join(related["snippet"].split())]
    assert_in_order(text, parts)
    assert '<time datetime="2025-08-28T03:38:00Z"' in seed_html
    subheads = re.findall(r'<h2 class="subhead">(.*?)</h2>', seed_html)
    assert subheads == ["&#x27;ECONOMY WOULD HAVE COLLAPSED&#x27;", "SHORT-TERM PLANNING"]


def test_seed_related_list_and_tickers_link(seed_html: str, client: Client) -> None:
    """Each related story links somewhere that answers, and each ticker in a related snippet links to its
    ticker page."""
    related = seed_html.split('id="related-heading"')[1]
    links = re.findall(r'<h3><a href="([^"]+)">(.*?)</a></h3>', related)
    assert [title.replace("&#x27;", "'") for _href, title in links] == [r["headline"] for r in EXPECTED["related"]]
    for href, _title in links:
        assert client.get(href.replace("&amp;", "&")).status_code == 200, href
    ticker_hrefs = re.findall(r'<a class="ticker-link" href="([^"]+)" data-symbol="([^"]+)">', related)
    assert ticker_hrefs == [
        (f"/ticker/{symbol}/", symbol) for r in EXPECTED["related"] for symbol in r["tickers"]
        for _ in range(r["snippet"].count(f"( {symbol} )"))
    ]
