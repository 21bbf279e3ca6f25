"""Relevance ranks at most CANDIDATE_CAP matches, the most recently stored: search time stays bounded as the
store grows, and a capped total says so (``total_exact``) on the API and the search page.

The cap is lowered to 2 here so three matching stories are enough; on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import pytest
from django.test import Client

import tickerwire.search as search_module
from tests.search.test_search import STORIES, corpus  # noqa: F401 - corpus is a fixture
from tickerwire.search import SearchQuery, search
from tickerwire.search.backends import get_backend
from tickerwire.search.backends.base import Filters
from tickerwire.search.query import parse_query

# The three stories whose text says "prices", in the order the corpus fixture stores them.
PRICES = [STORIES[0][0], STORIES[1][0], STORIES[2][0]]


@pytest.fixture
def cap_of_two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_module, "CANDIDATE_CAP", 2)


def test_under_the_cap_the_total_is_exact(corpus: dict[str, int]) -> None:  # noqa: F811
    results = search(SearchQuery("prices"))
    assert results.total == 3 and results.total_exact
    assert {hit.article.headline for hit in results.hits} == set(PRICES)


def test_over_the_cap_the_most_recently_stored_matches_are_ranked(
    corpus: dict[str, int], cap_of_two: None  # noqa: F811
) -> None:
    results = search(SearchQuery("prices"))
    assert results.total == 2 and not results.total_exact
    newest_two = sorted((corpus[h] for h in PRICES), reverse=True)[:2]
    assert sorted((hit.article.pk for hit in results.hits), reverse=True) == newest_two
    assert not results.has_next


def test_a_cap_equal_to_the_matches_is_exact(corpus: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setattr(search_module, "CANDIDATE_CAP", 3)
    results = search(SearchQuery("prices"))
    assert results.total == 3 and results.total_exact and len(results.hits) == 3


def test_date_filters_apply_before_the_cap(corpus: dict[str, int], cap_of_two: None) -> None:  # noqa: F811
    """The oldest match is out of the capped pool, and reached again by narrowing the dates."""
    from datetime import UTC, datetime

    oldest = corpus[PRICES[0]]
    assert oldest not in {hit.article.pk for hit in search(SearchQuery("prices")).hits}
    narrowed = search(SearchQuery("prices", until=datetime(2026, 3, 3, tzinfo=UTC)))
    assert [hit.article.pk for hit in narrowed.hits] == [oldest] and narrowed.total_exact


def test_newest_first_still_orders_every_match(corpus: dict[str, int], cap_of_two: None) -> None:  # noqa: F811
    results = search(SearchQuery("prices", sort="newest"))
    assert [hit.article.headline for hit in results.hits] == list(reversed(PRICES))
    assert results.total == 2 and not results.total_exact


def test_candidates_count_up_to_one_past_the_cap(corpus: dict[str, int]) -> None:  # noqa: F811
    backend = get_backend()
    parsed = parse_query("prices")
    ids = sorted((corpus[h] for h in PRICES), reverse=True)
    assert backend.candidates(parsed, Filters(), 5)[:2] == (3, None)
    assert backend.candidates(parsed, Filters(), 3)[:2] == (3, None)
    assert backend.candidates(parsed, Filters(), 2)[:2] == (3, ids[2])
    assert backend.candidates(parsed, Filters(), 1)[:2] == (2, ids[1])
    above = backend.match(parsed, Filters(), 10, above_id=ids[2])
    assert sorted(article_id for article_id, _score in above) == sorted(ids[:2])


def test_api_and_page_say_when_the_total_is_capped(
    corpus: dict[str, int], cap_of_two: None, client: Client  # noqa: F811
) -> None:
    body = client.get("/api/v1/search", {"q": "prices"}).json()
    assert body["total"] == 2 and body["total_exact"] is False
    html = client.get("/search", {"q": "prices"}).content.decode()
    assert "2+ results" in html and "most recent matches" in html
    exact = client.get("/api/v1/search", {"q": "pipeline"}).json()
    assert exact["total"] == 1 and exact["total_exact"] is True
    assert "1 result" in client.get("/search", {"q": "pipeline"}).content.decode()


def test_postgres_window_grows_until_it_holds_the_newest_matches(
    corpus: dict[str, int], monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    """A first window of one id holds no match: it grows until the answer is that of the whole index."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the id window is the PostgreSQL backend's")
    from tickerwire.search.backends import postgres

    monkeypatch.setattr(postgres, "WINDOW_START", 1)
    backend = get_backend()
    parsed = parse_query("prices")
    ids = sorted((corpus[h] for h in PRICES), reverse=True)
    assert backend.candidates(parsed, Filters(), 1)[:2] == (2, ids[1])
    assert backend.candidates(parsed, Filters(), 3)[:2] == (3, None)
    with connection.cursor() as cursor:  # the planner settings are back as they were
        cursor.execute("SELECT current_setting('enable_indexscan'), current_setting('enable_seqscan')")
        assert cursor.fetchone() == ("on", "on")


def test_the_unpublished_statuses_are_every_status_but_published() -> None:
    """The candidates walks count hidden stories through these; a status missing here would count as visible."""
    from tickerwire.articles.models import Article
    from tickerwire.articles.visibility import PUBLISHED
    from tickerwire.search.backends.base import UNPUBLISHED

    assert set(UNPUBLISHED) == set(Article.Status.values) - {PUBLISHED}


def test_an_embargoed_story_is_walked_but_not_counted(corpus: dict[str, int]) -> None:  # noqa: F811
    """A story indexed ahead of its embargo is among the newest index entries, yet neither counted nor shown."""
    from datetime import UTC, datetime, timedelta

    from tickerwire.articles.models import Article
    from tickerwire.search import index_article

    newest = Article.objects.get(pk=max(corpus[h] for h in PRICES))
    Article.objects.filter(pk=newest.pk).update(status="embargoed",
                                                embargo_until=datetime.now(UTC) + timedelta(days=1))
    index_article(Article.objects.get(pk=newest.pk))
    counted, above, _walked = get_backend().candidates(parse_query("prices"), Filters(), 5)
    assert (counted, above) == (2, None)
    results = search(SearchQuery("prices"))
    assert results.total == 2 and newest.pk not in {hit.article.pk for hit in results.hits}
