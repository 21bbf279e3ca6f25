"""Rendered-page cache for anonymous readers: shared in Django's cache, kept hot in each process's memory.

Views mark a page cacheable with :func:`mark_cacheable`, naming its group (``home``, ``section:<slug>``,
``ticker:<SYMBOL>``, ``article:<id>``). :class:`PageCacheMiddleware`, the outermost middleware, stores the
marked response as sent (every other middleware's headers included) as a :class:`StoredPage` in Django's
cache (local memory by default, Redis in scale-out) and in this process's :data:`LOCAL_PAGES`, and answers
later anonymous GETs from it once it has checked the copy is current:

- each group has a generation number kept in the cache, recorded with every page; invalidating a group
  (:func:`invalidate_groups`, called by :mod:`tickerwire.delivery.purge` after a story is stored) makes
  every page of it, whatever its query string, a miss;
- an article page also records its revision's ETag and is checked against the database (one primary-key
  read), so a new revision shows even where the purge could not reach (local memory is per process);
- everything expires after ``TICKERWIRE_PAGE_CACHE_SECONDS`` at the latest.

Behind nginx, an article page stored here is also written as a static file for nginx to serve
(:mod:`tickerwire.delivery.snapshots`, when ``TICKERWIRE_SNAPSHOT_DIR`` is set).

:class:`PageCacheApp` wraps the WSGI application (``tickerwire.config.wsgi``) and answers a request for a
page this process checked less than ``TICKERWIRE_PAGE_RECHECK_SECONDS`` ago (default 1 s) straight from
memory, before Django builds a request: that is what makes a hot page cheap. So a purge reaches a page
within that second at the latest; anything older goes through the middleware's check again.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.utils.cache import patch_vary_headers, set_response_etag
from django.utils.http import parse_etags, parse_http_date_safe

from tickerwire.articles.selectors import article_validators
from tickerwire.delivery import snapshots
from tickerwire.delivery.caching import article_etag

logger = logging.getLogger(__name__)

KEY_PREFIX = "tw:page"
GENERATION_PREFIX = "tw:gen"
_MARK = "_tickerwire_page_mark"
# What a 304 repeats of the page's headers (RFC 9110, 15.4.5).
NOT_MODIFIED_HEADERS = frozenset({"cache-control", "content-location", "date", "etag", "expires", "vary",
                                  "last-modified"})

WSGIEnviron = Mapping[str, Any]
StartResponse = Callable[..., Any]
WSGIApp = Callable[[WSGIEnviron, StartResponse], Iterable[bytes]]


@dataclass(frozen=True)
class PageMark:
    """What a view says about its page: its group and generation, and the article revision it shows."""

    group: str
    generation: int
    article_id: int | None = None
    etag: str = ""


@dataclass(frozen=True)
class StoredPage:
    """A rendered page exactly as sent to readers, with the mark it was rendered under."""

    mark: PageMark
    headers: tuple[tuple[str, str], ...]
    body: bytes
    stored_at: float

    def header(self, name: str) -> str | None:
        """Return a header's value (names compare case-insensitively), or None."""
        lowered = name.lower()
        return next((value for key, value in self.headers if key.lower() == lowered), None)

    def is_expired(self, now: float) -> bool:
        """Return whether the page outlived the page lifetime (wall clock: shared between processes)."""
        return now >= self.stored_at + page_cache_seconds()

    def not_modified_headers(self) -> list[tuple[str, str]]:
        """Return the headers a 304 for this page carries."""
        return [(key, value) for key, value in self.headers if key.lower() in NOT_MODIFIED_HEADERS]


class LocalPages:
    """This process's copies of recently checked pages: least recently used first out, bounded in bytes.

    Each entry remembers when it was last checked current (monotonic clock). Safe across server threads.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[StoredPage, float]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[StoredPage, float] | None:
        """Return the page under ``key`` and when it was last checked, or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, page: StoredPage, checked_at: float) -> None:
        """Keep ``page`` under ``key``, checked current at ``checked_at``; drop the oldest beyond the budget."""
        if len(page.body) > self.max_bytes:
            return
        with self._lock:
            self._remove(key)
            self._entries[key] = (page, checked_at)
            self._bytes += len(page.body)
            while self._bytes > self.max_bytes:
                self._remove(next(iter(self._entries)))

    def discard(self, key: str) -> None:
        """Forget the page under ``key``, if any."""
        with self._lock:
            self._remove(key)

    def discard_groups(self, groups: Iterable[str]) -> None:
        """Forget every page of these groups."""
        wanted = set(groups)
        with self._lock:
            for key in [key for key, (page, _) in self._entries.items() if page.mark.group in wanted]:
                self._remove(key)

    def clear(self) -> None:
        """Forget every page."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _remove(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry[0].body)


LOCAL_PAGES = LocalPages(max_bytes=64 * 1024 * 1024)


def page_cache_seconds() -> int:
    """Return how long a rendered page may be served from the cache without an invalidation."""
    return int(getattr(settings, "TICKERWIRE_PAGE_CACHE_SECONDS", 30))


def recheck_seconds() -> float:
    """Return how long a page checked current is served from process memory before it is checked again."""
    return float(getattr(settings, "TICKERWIRE_PAGE_RECHECK_SECONDS", 1.0))


def is_cacheable_environ(environ: WSGIEnviron) -> bool:
    """Return whether the request is an anonymous GET/HEAD whose page may be shared with other readers.

    A request for a host the site does not serve (``ALLOWED_HOSTS``) never is: Django answers it 400.
    """
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or page_cache_seconds() <= 0:
        return False
    if not is_allowed_host(str(environ.get("HTTP_HOST") or environ.get("SERVER_NAME") or ""),
                           tuple(settings.ALLOWED_HOSTS)):
        return False
    cookies = environ.get("HTTP_COOKIE", "")
    # Django's own lenient parser: a reader is signed in here exactly when the session middleware says so.
    return not cookies or settings.SESSION_COOKIE_NAME not in parse_cookie(cookies)


@lru_cache(maxsize=256)
def is_allowed_host(host: str, allowed: tuple[str, ...]) -> bool:
    """Return whether Django would serve a request naming ``host`` (``Host`` header, port included)."""
    domain, _port = split_domain_port(host)
    return bool(domain) and validate_host(domain, allowed)


def is_cacheable_request(request: HttpRequest) -> bool:
    """Return whether the request is an anonymous GET/HEAD whose page may be shared with other readers."""
    return is_cacheable_environ(request.META)


def generation(group: str) -> int:
    """Return the group's current generation (0 until first invalidated)."""
    return int(cache.get(f"{GENERATION_PREFIX}:{group}", 0))


def invalidate_groups(groups: Iterable[str]) -> None:
    """Make every cached page of these groups a miss, in every process sharing the cache.

    A generation only has to outlive the pages stored before it (they expire within the page lifetime),
    so it expires too, and a cache shared for years does not keep one key per story ever stored. This
    process's memory copies go at once; other processes' copies within :func:`recheck_seconds`.
    """
    wanted = set(groups)
    stamp = time.time_ns()
    lifetime = 2 * max(page_cache_seconds(), 1)
    cache.set_many({f"{GENERATION_PREFIX}:{group}": stamp for group in wanted}, timeout=lifetime)
    LOCAL_PAGES.discard_groups(wanted)


def mark_cacheable(request: HttpRequest, group: str, article_id: int | None = None, etag: str = "") -> None:
    """Let the middleware cache this request's page under ``group`` (read the generation before rendering)."""
    setattr(request, _MARK, PageMark(group, generation(group), article_id, etag))


def cached_page(
    group_of: Callable[..., str | None],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Mark a view's pages cacheable; ``group_of(request, *args, **kwargs)`` names the group (None: don't)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            group = group_of(request, *args, **kwargs) if is_cacheable_request(request) else None
            if group is not None:
                mark_cacheable(request, group)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def request_path(environ: WSGIEnviron) -> str:
    """Return the request's path as the server received it (script prefix included, no query string)."""
    return f"{environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', '')}"


def page_key(environ: WSGIEnviron) -> str:
    """Return the cache key of the page at the request's host, path and query string (as the server received them).

    The host is part of it because pages name it in their links when no site URL is configured; an API
    path's key also has the ``Accept`` and ``Origin`` headers.
    """
    address = f"{environ.get('HTTP_HOST', '')}{request_path(environ)}?{environ.get('QUERY_STRING', '')}"
    if address.startswith("/api/", len(str(environ.get("HTTP_HOST", "")))):
        # API answers vary by Accept (JSON or ninjs) and, through CORS, by Origin.
        address += f"|{environ.get('HTTP_ACCEPT', '')}|{environ.get('HTTP_ORIGIN', '')}"
    return f"{KEY_PREFIX}:{hashlib.blake2b(address.encode('utf-8', 'surrogateescape'), digest_size=16).hexdigest()}"


def is_current(mark: PageMark) -> bool:
    """Return whether a cached page's group was not invalidated and its article revision is still the latest."""
    if generation(mark.group) != mark.generation:
        return False
    if mark.article_id is None:
        return True
    validators = article_validators(mark.article_id)
    return validators is not None and article_etag(mark.article_id, *validators) == mark.etag


def checked_page(key: str) -> StoredPage | None:
    """Return the page under ``key`` if it is still current (checking it now), keeping it in process memory."""
    local = LOCAL_PAGES.get(key)
    page = local[0] if local is not None else cache.get(key)
    if not isinstance(page, StoredPage) or page.is_expired(time.time()) or not is_current(page.mark):
        LOCAL_PAGES.discard(key)
        return None
    LOCAL_PAGES.put(key, page, time.monotonic())
    return page


CachedReadGate = Callable[[HttpRequest], HttpResponseBase | None]
# Checks that run before a cached copy under a path prefix is served, registered by the app owning the
# prefix (tickerwire.config.wiring): one may answer instead, e.g. the API's read limit with a 429, so a
# limit holds for cached copies too. Copies under a gated prefix are never served by PageCacheApp.
_GATES: dict[str, CachedReadGate] = {}


def register_cached_read_gate(prefix: str, gate: CachedReadGate) -> None:
    """Run ``gate`` before serving any cached copy whose path starts with ``prefix`` (replaces a previous one)."""
    _GATES[prefix] = gate


def gate_answer(request: HttpRequest) -> HttpResponseBase | None:
    """Return the answer of the gate of the request's path, if it has one and it answers."""
    for prefix, gate in _GATES.items():
        if request.path.startswith(prefix):
            return gate(request)
    return None


def is_gated(environ: WSGIEnviron) -> bool:
    path = request_path(environ)
    return any(path.startswith(prefix) for prefix in _GATES)


def recently_checked_page(environ: WSGIEnviron) -> StoredPage | None:
    """Return this process's copy of the page if it was checked current within :func:`recheck_seconds`."""
    if is_gated(environ):
        return None
    local = LOCAL_PAGES.get(page_key(environ))
    if local is None:
        return None
    page, checked_at = local
    if time.monotonic() - checked_at >= recheck_seconds() or page.is_expired(time.time()):
        return None
    return page


def is_not_modified(environ: WSGIEnviron, page: StoredPage) -> bool:
    """Return whether the reader's copy matches the page's validators (If-None-Match, else If-Modified-Since)."""
    etag = page.header("ETag")
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match:
        if etag is None:
            return False
        wanted = {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
        return "*" in wanted or etag.removeprefix("W/") in wanted
    since = parse_http_date_safe(environ.get("HTTP_IF_MODIFIED_SINCE", ""))
    last_modified = parse_http_date_safe(page.header("Last-Modified") or "")
    return since is not None and last_modified is not None and last_modified <= since


def stored_page(mark: PageMark, response: HttpResponse) -> StoredPage:
    """Return a response as a page to store: validators and ``Vary: Cookie`` added, headers as sent."""
    if not response.has_header("ETag"):
        set_response_etag(response)
    patch_vary_headers(response, ("Cookie",))
    return StoredPage(mark, tuple(response.items()), response.content, time.time())


def page_response(environ: WSGIEnviron, page: StoredPage) -> HttpResponseBase:
    """Return the stored page, or a 304 when the reader's copy is current, as a Django response."""
    if is_not_modified(environ, page):
        response: HttpResponseBase = HttpResponseNotModified()
        headers = page.not_modified_headers()
    else:
        response = HttpResponse(page.body)
        headers = list(page.headers)
    for name, value in headers:
        response[name] = value
    return response


class PageCacheMiddleware:
    """Serve anonymous readers' cached pages once checked current; store the pages views marked cacheable.

    First in ``MIDDLEWARE``: the page it stores is the response as every other middleware left it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        snapshots.start_sweeper()

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not is_cacheable_request(request):
            return self.get_response(request)
        key = page_key(request.META)
        page = checked_page(key)
        if page is not None:
            refused = gate_answer(request)
            if refused is not None:
                return refused
            write_article_snapshot(request.META, page)
            return page_response(request.META, page)
        response = self.get_response(request)
        mark = getattr(request, _MARK, None)
        if isinstance(mark, PageMark) and isinstance(response, HttpResponse) and is_storable(response):
            page = stored_page(mark, response)
            cache.set(key, page, timeout=page_cache_seconds())
            LOCAL_PAGES.put(key, page, time.monotonic())
            write_article_snapshot(request.META, page)
        return response


def write_article_snapshot(environ: WSGIEnviron, page: StoredPage) -> None:
    """Write an article page as nginx's static copy, then remove it again if a purge raced the write.

    Only when snapshots are on and the request reached the application, i.e. nginx had no file for it. The
    file is dated when the page was rendered, so its age (:func:`snapshots.sweep`) counts from there.
    Checking after the rename closes the race either way round: a purge that ran before the check is seen
    by it (new generation or revision ETag), one that runs after it removes the file. A failed write only
    costs nginx the file: the page is still served, through the proxy.
    """
    if page.mark.article_id is None or environ.get("QUERY_STRING") or snapshots.snapshot_root() is None:
        return
    if is_gated(environ):  # answered through Django only (e.g. the API's read limit): never a static file
        return
    path = request_path(environ)
    try:
        written = snapshots.write_snapshot(path, page.body, modified=page.stored_at)
        if written is not None and not is_current(page.mark):
            snapshots.remove_snapshots([path])
    except OSError as exc:
        logger.warning("could not write the snapshot of %s: %s", path, exc)


def is_storable(response: HttpResponse) -> bool:
    """Return whether a response can be shared: a complete, cookie-free 200."""
    return response.status_code == 200 and not response.streaming and not response.cookies


class PageCacheApp:
    """WSGI wrapper answering hot pages from process memory before Django builds a request.

    Only pages :class:`PageCacheMiddleware` checked current within :func:`recheck_seconds` are answered
    here; everything else, and every request that is not an anonymous GET or HEAD, goes to ``app``.
    """

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnviron, start_response: StartResponse) -> Iterable[bytes]:
        page = recently_checked_page(environ) if is_cacheable_environ(environ) else None
        if page is None:
            return self.app(environ, start_response)
        write_article_snapshot(environ, page)
        if is_not_modified(environ, page):
            start_response("304 Not Modified", page.not_modified_headers())
            return []
        start_response("200 OK", list(page.headers))
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [page.body]
