"""The search page with its filters and ticker card; article pages answer conditional GETs with 304."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.site.stories import ORBIS, QUILL, ingest, story_draft, tagged_story

pytestmark = pytest.mark.django_db


def test_search_finds_stories_with_highlighted_snippets(client: Client) -> None:
    """A search lists matching stories with the matched words marked."""
    hit = tagged_story(1, ORBIS, extra_paragraph="Hinge demand soared in the quarter.")
    tagged_story(2, QUILL)
    response = client.get("/search", {"q": "hinge"})
    assert response.status_code == 200
    html = response.content.decode()
    assert hit.headline in html
    assert "<mark>" in html.lower()
    assert "1 result" in html


def test_search_filters_by_section_ticker_and_dates(client: Client) -> None:
    """Section, ticker and date filters narrow the results."""
    early = tagged_story(1, ORBIS, section="Business", day=2)
    late = tagged_story(2, QUILL, section="Technology", day=20)
    both = [early.headline, late.headline]

    def found(**params: str) -> list[str]:
        html = client.get("/search", {"q": "plant", **params}).content.decode()
        return [h for h in both if h in html]

    assert found() == both
    assert found(ticker="QFM") == [late.headline]
    assert found(since="2026-03-10") == [late.headline]
    assert found(until="2026-03-02") == [early.headline]


def test_search_with_invalid_filters_says_so(client: Client) -> None:
    """Bad filter values are reported beside the form (400), not crashed on."""
    response = client.get("/search", {"q": "plant", "since": "yesterday", "ticker": "<x>"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid date." in html
    assert "A ticker is letters and digits" in html


@pytest.mark.parametrize("params", [{"until": "9999-12-31"}, {"since": "9999-12-31"}, {"since": "0001-01-01"}])
def test_search_with_a_date_out_of_range_says_so(client: Client, params: dict[str, str]) -> None:
    """A day no story can have (``until=9999-12-31`` has no next day) is a 400 beside the form, not a 500."""
    tagged_story(1, ORBIS)
    response = client.get("/search", {"q": "plant", **params})
    assert response.status_code == 400
    assert "The date is out of range: dates run from 1000-01-01 to 9998-12-31." in response.content.decode()


def test_search_for_a_symbol_leads_with_its_ticker_card(client: Client) -> None:
    """Searching a ticker symbol shows that ticker's card first, linking to its page."""
    tagged_story(1, ORBIS)
    html = client.get("/search", {"q": "ORBW"}).content.decode()
    card = html.index('class="ticker-card panel"')
    assert 'href="/ticker/ORBW/"' in html[card:]
    assert card < html.index('class="search-results"')


def test_empty_search_shows_just_the_form(client: Client) -> None:
    """The search page without a query renders the form and no results."""
    html = client.get("/search").content.decode()
    assert 'role="search"' in html and "result" not in html.split("<main")[1].lower().replace("search-results", "")


def test_article_cache_headers_and_conditional_get(client: Client) -> None:
    """Article pages are cacheable with validators; a matching conditional GET gets 304 until revised."""
    article = ingest(story_draft(1))
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "max-age=60" in cache_control and "stale-while-revalidate" in cache_control
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    ingest(story_draft(1, extra_paragraph="A correction was added."))
    revised = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert revised.status_code == 200 and revised["ETag"] != etag


def test_list_pages_are_briefly_cacheable(client: Client) -> None:
    """Home and section pages carry a short public Cache-Control."""
    assert "public" in client.get("/")["Cache-Control"]
    assert "max-age=30" in client.get("/section/business/")["Cache-Control"]
