"""Search over stored articles: the same answers on SQLite FTS5 and PostgreSQL tsvector.

The suite runs on both databases (``make test``), and every expectation here is a fixed set of
headlines, so passing on both proves the two backends agree on this query set.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tickerwire.core.draft import ArticleDraft, Block, Dateline, SourceRef
from tickerwire.search import SearchQuery, rebuild_index, search

STORIES = [
    ("Orbis Widgets lifts outlook as crude oil prices ease", "2026-03-02T09:00:00",
     "Orbis Widgets (MSX: ORBW) raised its annual outlook on Monday as lower crude oil prices cut its costs.",
     "Business"),
    ("Oil prices climb after pipeline outage in the north", "2026-03-05T10:30:00",
     "Benchmark oil prices rose 3% after an outage on the Northern Line pipeline, traders said.",
     "Commodities"),
    ("Gold slips as the dollar firms ahead of rate decision", "2026-03-06T08:15:00",
     "Gold prices eased while the dollar gained against a basket of currencies before the central bank meeting.",
     "Commodities"),
    ("Halcyon Grid wins offshore wind contract", "2026-03-07T12:00:00",
     "Halcyon Grid (MSX: HLGD) won a contract to connect three offshore wind farms, the company said.",
     "Environment"),
    ("Central bank holds rates, signals patience on inflation", "2026-03-09T14:00:00",
     "The central bank kept its benchmark rate unchanged and said inflation was easing slowly.",
     "Economy"),
    ("Orbis Widgets shares jump on record orders", "2026-03-10T16:45:00",
     "Shares of Orbis Widgets (MSX: ORBW) jumped 12% after the company reported record orders for its sensors.",
     "Stocks Market"),
]


def make_draft(headline: str, published: str, lead: str, section: str) -> ArticleDraft:
    return ArticleDraft(
        headline=headline,
        source=SourceRef(site="Tickerwire Test Wire", section=section),
        published=published,
        dateline=Dateline(place="ZENITH CITY", date="Mar 1", agency="Test Wire"),
        body=[Block("paragraph", lead), Block("paragraph", "The story continues with more detail for readers.")],
    )


@pytest.fixture
def corpus(db: None) -> dict[str, int]:
    from tickerwire.articles.actions.ingest import do_ingest_draft

    ids = {}
    for story in STORIES:
        outcome = do_ingest_draft(make_draft(*story), source_name="search-tests")
        ids[story[0]] = outcome.article_id
    return ids


def headlines(query: SearchQuery) -> set[str]:
    return {hit.article.headline for hit in search(query).hits}


def test_every_word_must_match(corpus: dict[str, int]) -> None:
    """Plain words are ANDed and stemmed: 'oil price' finds both oil-price stories and nothing else."""
    assert headlines(SearchQuery("oil price")) == {STORIES[0][0], STORIES[1][0]}


def test_phrase_and_exclusion(corpus: dict[str, int]) -> None:
    """Quoted phrases match words in order; a minus excludes."""
    assert headlines(SearchQuery('"central bank"')) == {STORIES[2][0], STORIES[4][0]}
    assert headlines(SearchQuery('"central bank" -gold')) == {STORIES[4][0]}
    assert headlines(SearchQuery('"bank central"')) == set()


def test_headline_match_ranks_first(corpus: dict[str, int]) -> None:
    """A word in the headline outranks the same word deep in another story's body."""
    results = search(SearchQuery("gold"))
    assert [hit.article.headline for hit in results.hits][0] == STORIES[2][0]


def test_snippets_highlight_terms_and_escape_html(corpus: dict[str, int]) -> None:
    """Snippets come from the body with matched words in <mark>, as safe HTML."""
    hit = search(SearchQuery("pipeline")).hits[0]
    assert "<mark>pipeline</mark>" in hit.snippet_html.lower()
    assert "<script" not in hit.snippet_html


def test_date_range_filter(corpus: dict[str, int]) -> None:
    """Since/until restrict by publication time."""
    query = SearchQuery(
        "prices",
        since=datetime(2026, 3, 4, tzinfo=UTC),
        until=datetime(2026, 3, 6, tzinfo=UTC),
    )
    assert headlines(query) == {STORIES[1][0]}


def test_paging_and_total(corpus: dict[str, int]) -> None:
    """Total counts every match; offset and limit page through them without overlap."""
    assert search(SearchQuery("the", limit=2)).total == 0  # only stop words
    all_hits = search(SearchQuery("prices", limit=10))
    assert all_hits.total == 3
    one = search(SearchQuery("prices", limit=2))
    two = search(SearchQuery("prices", limit=2, offset=2))
    assert len(one.hits) == 2 and len(two.hits) == 1
    assert {h.article.pk for h in one.hits}.isdisjoint({h.article.pk for h in two.hits})


def test_story_is_searchable_within_the_same_ingest(db: None) -> None:
    """A phrase from a body is found right after the ingest call that stored it, with no rebuild."""
    from tickerwire.articles.actions.ingest import do_ingest_draft

    do_ingest_draft(make_draft("Lumen Quarry opens a new mine", "2026-03-11T09:00:00",
                               "The quarry's granite seams run deeper than surveyors expected.", "Business"),
                    source_name="search-tests")
    assert headlines(SearchQuery('"granite seams"')) == {"Lumen Quarry opens a new mine"}


def test_revision_replaces_the_indexed_text(corpus: dict[str, int]) -> None:
    """After a story is revised, its old wording no longer matches and the new one does."""
    from tickerwire.articles.actions.ingest import do_ingest_draft

    draft = make_draft(*STORIES[3])
    draft.body.append(Block("paragraph", "Turbine makers welcomed the tender outcome."))
    assert do_ingest_draft(draft, source_name="search-tests").status == "revised"
    assert headlines(SearchQuery("turbine tender")) == {STORIES[3][0]}


def test_rebuild_gives_the_same_answers(corpus: dict[str, int]) -> None:
    """Rebuilding the index from the store changes no result."""
    before = headlines(SearchQuery("oil"))
    assert rebuild_index() == len(STORIES)
    assert headlines(SearchQuery("oil")) == before


def test_unknown_section_filter_finds_nothing(corpus: dict[str, int]) -> None:
    assert search(SearchQuery("oil", section_slug="no-such-section")).total == 0


@pytest.mark.django_db(transaction=True)
def test_flush_leaves_no_stale_index_entries() -> None:
    """After the store is flushed (as between transactional tests), old entries match nothing."""
    from django.core.management import call_command

    from tickerwire.articles.actions.ingest import do_ingest_draft

    do_ingest_draft(make_draft("Quartzline posts record quarter", "2026-03-12T09:00:00",
                               "Quartzline's zirconium sales doubled.", "Business"), source_name="search-tests")
    call_command("flush", verbosity=0, interactive=False)
    do_ingest_draft(make_draft("Unrelated follow-up story", "2026-03-12T10:00:00",
                               "Nothing about minerals here.", "Business"), source_name="search-tests")
    assert headlines(SearchQuery("zirconium")) == set()


@pytest.mark.django_db
def test_deleting_an_article_removes_it_from_the_index(corpus: dict[str, int]) -> None:
    from tickerwire.articles.models import Article

    Article.objects.filter(pk=corpus[STORIES[1][0]]).delete()
    assert headlines(SearchQuery("pipeline")) == set()
