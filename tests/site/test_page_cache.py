"""The rendered-page cache and the purge that follows a stored story."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.site.page_cache_wsgi import Inner, wsgi_get
from tests.site.stories import BRAMBLE, ORBIS, file_under, ingest, story_draft, tag
from tickerwire.articles.actions.ingest import clear_reference_caches, do_ingest_draft
from tickerwire.articles.selectors import Placement
from tickerwire.delivery.page_cache import LocalPages, PageCacheApp, PageMark, StoredPage, invalidate_groups
from tickerwire.delivery.purge import PURGE_HEADER, purge_story_pages

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_rolled_back_ids() -> Iterator[None]:
    """Running on-commit hooks inside a test's transaction lets ingest cache ids the test then rolls back."""
    yield
    clear_reference_caches()


def queries_for(client: Client, path: str, **headers: str) -> tuple[int, str]:
    """Return how many queries a GET of ``path`` ran and the page's text."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_list_pages_are_served_from_the_cache_the_second_time(client: Client) -> None:
    """Home, section and ticker pages render once; the next anonymous GET runs no query."""
    article = ingest(story_draft(1))
    tag(article, ORBIS)
    file_under(article, "Business")
    for path in ("/", "/section/business/", f"/ticker/{ORBIS.symbol}/"):
        first, html = queries_for(client, path)
        again, cached_html = queries_for(client, path)
        assert first > 0 and again == 0, path
        assert cached_html == html


def test_article_page_hit_costs_one_validator_query(client: Client) -> None:
    """A cached article page still checks the revision (one primary-key query), then serves the copy."""
    article = ingest(story_draft(1))
    first, html = queries_for(client, article.get_absolute_url())
    again, cached_html = queries_for(client, article.get_absolute_url())
    assert first > 1 and again == 1
    assert cached_html == html


def test_a_new_revision_is_never_served_from_the_cache(client: Client) -> None:
    """The article's cache key holds its revision, so the update shows even with no purge."""
    article = ingest(story_draft(1))
    client.get(article.get_absolute_url())
    do_ingest_draft(story_draft(1, extra_paragraph="Shipments resumed on Friday."), source_name="Sample Markets Desk")
    assert "Shipments resumed on Friday." in client.get(article.get_absolute_url()).content.decode()


def test_storing_a_story_purges_the_pages_that_list_it(
    client: Client, django_capture_on_commit_callbacks: object
) -> None:
    """After the store commits, the home page and the story's ticker page show the new story at once."""
    first = ingest(story_draft(1))
    tag(first, BRAMBLE)
    client.get("/")
    client.get(f"/ticker/{BRAMBLE.symbol}/")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        second = ingest(story_draft(2, company=BRAMBLE, headline="Bramblecote Energy lifts its dividend"))
        tag(second, BRAMBLE)
    assert second.headline in client.get("/").content.decode()
    assert second.headline in client.get(f"/ticker/{BRAMBLE.symbol}/").content.decode()


def test_a_rolled_back_store_purges_nothing(client: Client, django_capture_on_commit_callbacks: object) -> None:
    """The purge waits for the commit: a store that never commits leaves cached pages alone."""
    ingest(story_draft(1))
    client.get("/")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        ingest(story_draft(2, headline="Orbis Widgets opens a second plant"))
    assert callbacks  # registered, not run: nothing is invalidated yet
    assert "Orbis Widgets opens a second plant" not in client.get("/").content.decode()


def test_signed_in_readers_bypass_the_cache(client: Client, settings: object) -> None:
    """A request carrying a session cookie is rendered for that reader, never from or into the cache."""
    ingest(story_draft(1))
    client.cookies["sessionid"] = "reader-session"
    first, _ = queries_for(client, "/")
    again, _ = queries_for(client, "/")
    assert first > 0 and again > 0


class _Recorder(BaseHTTPRequestHandler):
    seen: list[tuple[str, str | None, str | None]] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.seen.append((self.path, self.headers.get(PURGE_HEADER), self.headers.get("Host")))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def proxy() -> Iterator[str]:
    """Run a recording HTTP server standing in for the caching proxy."""
    _Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_purge_asks_the_proxy_to_refresh_each_page(proxy: str, settings: object) -> None:
    """With TICKERWIRE_PURGE_URL set, the article, home, section, ticker and feed pages are re-fetched
    through the proxy with the refresh header and the site's host name."""
    settings.TICKERWIRE_PURGE_URL = proxy  # type: ignore[attr-defined]
    settings.SITE_URL = "https://news.example.org"  # type: ignore[attr-defined]
    article = ingest(story_draft(1))
    tag(article, ORBIS)
    file_under(article, "Business")
    purge_story_pages(Placement(article.pk))
    paths = [path for path, _header, _host in _Recorder.seen]
    assert paths[0] == article.get_absolute_url()
    for expected in ("/", "/section/business/", f"/ticker/{ORBIS.symbol}/", "/feeds/rss/", "/feeds/atom/"):
        assert expected in paths
    assert {(header, host) for _path, header, host in _Recorder.seen} == {("1", "news.example.org")}


def test_a_hot_page_is_answered_before_django_with_every_header(client: Client) -> None:
    """Once the middleware stored and checked a page, the WSGI layer answers it without Django."""
    article = ingest(story_draft(1))
    path = article.get_absolute_url()
    rendered = client.get(path)
    inner = Inner()
    status, headers, body = wsgi_get(PageCacheApp(inner), path)
    assert inner.calls == 0 and status == "200 OK"
    assert body == rendered.content
    assert headers["ETag"] == rendered["ETag"]
    assert headers["X-Content-Type-Options"] == "nosniff"  # the security middleware's, stored with the page
    assert "Cookie" in headers["Vary"]


def test_the_hot_path_answers_conditional_and_head_requests(client: Client) -> None:
    article = ingest(story_draft(1))
    path = article.get_absolute_url()
    etag = client.get(path)["ETag"]
    app = PageCacheApp(Inner())
    status, headers, body = wsgi_get(app, path, HTTP_IF_NONE_MATCH=etag)
    assert status == "304 Not Modified" and body == b"" and headers["ETag"] == etag
    assert "Content-Length" not in headers
    status, headers, body = wsgi_get(app, path, method="HEAD")
    assert status == "200 OK" and body == b"" and int(headers["Content-Length"]) > 0


def test_the_hot_path_hands_over_what_it_must_not_answer(client: Client, settings: object) -> None:
    """Signed-in readers, other methods, invalidated groups and pages due a check all reach Django."""
    article = ingest(story_draft(1))
    path = article.get_absolute_url()
    client.get(path)
    client.get("/")
    inner = Inner()
    app = PageCacheApp(inner)
    wsgi_get(app, path, HTTP_COOKIE="sessionid=reader-session")
    wsgi_get(app, path, method="POST")
    wsgi_get(app, "/never-rendered/")
    assert inner.calls == 3
    invalidate_groups(["home"])
    assert wsgi_get(app, "/")[2] == b"rendered by Django"
    assert wsgi_get(app, path)[0] == "200 OK"  # the article's group was not invalidated
    settings.TICKERWIRE_PAGE_RECHECK_SECONDS = 0  # type: ignore[attr-defined]
    assert wsgi_get(app, path)[2] == b"rendered by Django"
    assert inner.calls == 5


def test_pages_kept_in_memory_stay_within_their_byte_budget() -> None:
    pages = LocalPages(max_bytes=250)
    mark = PageMark("home", 0)
    for number in range(5):
        pages.put(f"k{number}", StoredPage(mark, (), b"x" * 100, 0.0), 0.0)
    assert len(pages) == 2 and pages.get("k4") is not None and pages.get("k0") is None
    pages.put("huge", StoredPage(mark, (), b"x" * 300, 0.0), 0.0)
    assert pages.get("huge") is None and len(pages) == 2
