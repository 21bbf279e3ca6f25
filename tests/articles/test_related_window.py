"""The related box of a stored article: stories sharing its company's ticker come first, from a longer span too."""

from __future__ import annotations

import pytest

from tests.articles.test_enrich_store import ingest, wire_story
from tickerwire.articles.actions.tickers import do_import_tickers
from tickerwire.articles.models import Article
from tickerwire.articles.related_window import RELATED_WINDOW_DAYS, load_window
from tickerwire.enrich.ticker_directory import DirectoryEntry
from tickerwire.site.queries import article_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_process_caches")]


story = wire_story


PLANT = story(
    "Gannetry Systems to build 2 billion mark chip plant in Northreach",
    "2026-10-14T08:30:00",
    "Gannetry Systems (MSX: GNTY) said on Wednesday it would build a 2 billion mark chip packaging plant in "
    "Northreach, creating 900 jobs when it opens in 2028.",
    "The plant will package processors for data centres, the company said, and the government will pay a "
    "tenth of the cost.",
)
# Stories within a fortnight of the plant that share its words (plant, billion, marks, jobs) but not its company.
OFF_TOPIC = [
    story(
        "Marrowby Retail sales rise as shoppers return to its stores",
        "2026-10-16T07:10:00",
        "Marrowby Retail said like-for-like sales rose 2% in the quarter, and it will open a 200 million mark "
        "distribution plant that adds 300 jobs.",
        "The retailer said shoppers spent more on food and less on clothing.",
    ),
    story(
        "Parliament passes windfall tax on miners and oil producers",
        "2026-10-20T18:30:00",
        "Valmora's parliament passed a windfall tax expected to raise 1.2 billion marks a year from miners and "
        "oil producers, money the government said would pay for new power plants.",
        "Opposition lawmakers said the tax would cost jobs in the north.",
    ),
    story(
        "Copper price climbs as smelter plant shuts for repairs",
        "2026-10-22T09:00:00",
        "Copper rose 2% after a smelter plant in the south shut for repairs, cutting supply by a billion marks' "
        "worth of metal, traders said.",
    ),
]
# The company's later stories: results four weeks on and a supply deal five weeks on, beyond the fortnight.
SAME_COMPANY = [
    story(
        "Gannetry Systems beats quarterly forecasts, raises outlook",
        "2026-11-10T06:45:00",
        "Gannetry Systems (MSX: GNTY) reported third-quarter profit above forecasts on Tuesday and raised its "
        "annual outlook as orders for its processors grew.",
        "Its shares rose 6% in early trading.",
    ),
    story(
        "Cloudhollow signs chip supply deal with Gannetry",
        "2026-11-17T14:10:00",
        "Cloudhollow signed a 3 billion mark deal to buy processors from Gannetry Systems (MSX: GNTY) over five "
        "years, the two companies said.",
    ),
]


def test_the_related_box_lists_the_companys_other_stories_first(django_capture_on_commit_callbacks) -> None:
    """Stories sharing the article's ticker lead its related box, even weeks after it; word matches follow."""
    do_import_tickers([DirectoryEntry(symbol="GNTY", exchange="MSX", name="Gannetry Systems")])
    plant = ingest(PLANT, django_capture_on_commit_callbacks)
    others = [ingest(draft, django_capture_on_commit_callbacks) for draft in OFF_TOPIC]
    company = [ingest(draft, django_capture_on_commit_callbacks) for draft in SAME_COMPANY]
    assert all(abs((c.published_at - plant.published_at).days) > RELATED_WINDOW_DAYS for c in company)
    headlines = [item.headline for item in article_page(Article.objects.get(pk=plant.pk)).related]
    assert set(headlines[:2]) == {c.headline for c in company}, headlines
    assert set(headlines[2:]) <= {o.headline for o in others}


def test_the_window_reads_same_ticker_stories_from_the_longer_span_only(django_capture_on_commit_callbacks) -> None:
    """Beyond the fortnight only stories sharing a ticker join the window; without tickers none do."""
    do_import_tickers([DirectoryEntry(symbol="GNTY", exchange="MSX", name="Gannetry Systems")])
    plant = ingest(PLANT, django_capture_on_commit_callbacks)
    late_off_topic = story("Marrowby Retail opens a new plant", "2026-11-12T07:00:00",
                           "Marrowby Retail opened a distribution plant that adds 300 jobs.")
    far = ingest(late_off_topic, django_capture_on_commit_callbacks)
    results = ingest(SAME_COMPANY[0], django_capture_on_commit_callbacks)
    with_ticker = load_window(plant, None, "", "default", frozenset({"GNTY"}))
    assert results.pk in with_ticker.ids and far.pk not in with_ticker.ids
    assert results.pk not in load_window(plant, None, "", "default").ids
