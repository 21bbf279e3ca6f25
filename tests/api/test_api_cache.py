"""Anonymous API reads are kept like pages and cleared by the same story events; nothing stale is served."""

from __future__ import annotations

import pytest

from tests.api.conftest import make_draft
from tickerwire.api.middleware import api_group
from tickerwire.articles.actions.ingest import do_ingest_draft
from tickerwire.articles.actions.status import do_set_status
from tickerwire.articles.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings) -> None:
    settings.TICKERWIRE_PAGE_CACHE_SECONDS = 30
    # The purge is what these tests exercise; the embedding task after commit is not (and is slow).
    settings.TICKERWIRE_ENRICH = False


def test_a_list_is_answered_from_the_cache_until_a_story_is_stored(client, stored, django_assert_num_queries,
                                                                   django_capture_on_commit_callbacks):
    first = client.get("/api/v1/articles")
    assert first.status_code == 200 and len(first.json()["items"]) == 3
    with django_assert_num_queries(0):
        again = client.get("/api/v1/articles")
    assert again.content == first.content
    with django_capture_on_commit_callbacks(execute=True):  # the purge runs after the story's commit
        do_ingest_draft(make_draft("Nimbus Freight opens a hub", "Nimbus Freight opened a hub on Monday.",
                                   published="2026-03-09T10:00:00"), source_name="Test Newsroom")
    fresh = client.get("/api/v1/articles").json()["items"]
    assert len(fresh) == 4 and fresh[0]["headline"] == "Nimbus Freight opens a hub"


def test_json_and_ninjs_of_one_article_are_kept_apart(client, stored):
    path = f"/api/v1/articles/{stored[0]}"
    as_json = client.get(path)
    as_ninjs = client.get(path, HTTP_ACCEPT="application/ninjs+json")
    assert as_json["Content-Type"].startswith("application/json")
    assert as_ninjs["Content-Type"].startswith("application/ninjs+json")
    assert client.get(path)["Content-Type"].startswith("application/json")
    assert client.get(path, HTTP_ACCEPT="application/ninjs+json").content == as_ninjs.content


def test_a_withdrawn_story_leaves_cached_lists_and_its_own_endpoint(client, stored,
                                                                     django_capture_on_commit_callbacks):
    assert client.get(f"/api/v1/articles/{stored[1]}").status_code == 200
    assert stored[1] in [item["id"] for item in client.get("/api/v1/articles").json()["items"]]
    with django_capture_on_commit_callbacks(execute=True):
        do_set_status(stored[1], Article.Status.WITHDRAWN)
    assert client.get(f"/api/v1/articles/{stored[1]}").status_code in (404, 410)
    assert stored[1] not in [item["id"] for item in client.get("/api/v1/articles").json()["items"]]


def test_a_withdrawn_story_is_gone_even_where_no_purge_reached(client, stored):
    """No on-commit purge runs here (as in a process the purge did not reach): the row check still sees it."""
    assert client.get(f"/api/v1/articles/{stored[0]}").status_code == 200
    do_set_status(stored[0], Article.Status.WITHDRAWN)
    assert client.get(f"/api/v1/articles/{stored[0]}").status_code == 410


def test_signed_in_requests_are_never_shared(client, stored, django_assert_max_num_queries):
    client.get("/api/v1/articles")
    client.cookies["sessionid"] = "x" * 32
    with django_assert_max_num_queries(50) as queries:
        client.get("/api/v1/articles")
    assert len(queries) > 0


def test_the_read_limit_holds_for_cached_copies(client, stored, settings):
    settings.TICKERWIRE_API_READ_RATE = "3/min"
    statuses = [client.get("/api/v1/articles", REMOTE_ADDR="10.0.0.9").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    refused = client.get("/api/v1/articles", REMOTE_ADDR="10.0.0.9")
    assert refused.json()["error"]["code"] == "rate_limited" and int(refused["Retry-After"]) >= 1
    assert client.get("/api/v1/articles", REMOTE_ADDR="10.0.0.10").status_code == 200


@pytest.mark.parametrize(("url_name", "kwargs", "group"), [
    ("list_articles", {}, "api"), ("search_articles", {}, "api"), ("list_sections", {}, "api"),
    ("article_detail", {"article_id": "7"}, "article:7"), ("article_related", {"article_id": "007"}, "article:7"),
    ("article_detail", {"article_id": "x"}, None), ("article_detail", {"article_id": "1" * 30}, None),
    ("ticker_detail", {"symbol": "orbw"}, "ticker:ORBW"),
    ("ticker_detail", {"symbol": "\x05z\U0010478f"}, None),
    ("ingest", {}, None), (None, {}, None),
])
def test_groups(url_name, kwargs, group):
    assert api_group(url_name, kwargs) == group
