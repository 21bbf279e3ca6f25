"""Rendered-page cache for anonymous readers, in Django's cache (local memory by default, Redis in scale-out).

Views mark a page cacheable with :func:`mark_cacheable`, naming its group (``home``, ``section:<slug>``,
``ticker:<SYMBOL>``, ``article:<id>``); :class:`PageCacheMiddleware` stores the marked response and serves
it to later anonymous GETs before the session, CSRF, auth and messages middleware run. Each group has a
generation number kept in the cache, recorded with every page; invalidating a group
(:func:`invalidate_groups`, called by :mod:`tickerwire.articles.purge` after a story is stored) makes every
page of it, whatever its query string, a miss at once. An article page also records the revision's ETag
and is checked against the database (one primary-key read) on every hit, so a new revision is never served
from the cache, even by a process the purge could not reach (local memory is per process). Everything
else expires after ``TICKERWIRE_PAGE_CACHE_SECONDS`` at the latest.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.http import parse_http_date_safe

from tickerwire.articles.caching import article_etag
from tickerwire.articles.queries import article_validators

KEY_PREFIX = "tw:page"
GENERATION_PREFIX = "tw:gen"
_MARK = "_tickerwire_page_mark"


@dataclass(frozen=True)
class PageMark:
    """What a view says about its page: its group and generation, and the article revision it shows."""

    group: str
    generation: int
    article_id: int | None = None
    etag: str = ""


@dataclass
class CachedPage:
    mark: PageMark
    response: HttpResponse


def page_cache_seconds() -> int:
    """Return how long a rendered page may be served from the cache without an invalidation."""
    return int(getattr(settings, "TICKERWIRE_PAGE_CACHE_SECONDS", 30))


def is_cacheable_request(request: HttpRequest) -> bool:
    """Return whether the request is an anonymous GET/HEAD whose page may be shared with other readers."""
    if request.method not in ("GET", "HEAD") or page_cache_seconds() <= 0:
        return False
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def generation(group: str) -> int:
    """Return the group's current generation (0 until first invalidated)."""
    return int(cache.get(f"{GENERATION_PREFIX}:{group}", 0))


def invalidate_groups(groups: Iterable[str]) -> None:
    """Make every cached page of these groups a miss, in every process sharing the cache.

    A generation only has to outlive the pages stored before it (they expire within the page lifetime),
    so it expires too, and a cache shared for years does not keep one key per story ever stored.
    """
    stamp = time.time_ns()
    lifetime = 2 * max(page_cache_seconds(), 1)
    cache.set_many({f"{GENERATION_PREFIX}:{group}": stamp for group in set(groups)}, timeout=lifetime)


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


def page_key(request: HttpRequest) -> str:
    """Return the cache key of the page at the request's full path (query string included)."""
    return f"{KEY_PREFIX}:{hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()}"


def is_current(mark: PageMark) -> bool:
    """Return whether a cached page's group was not invalidated and its article revision is still the latest."""
    if generation(mark.group) != mark.generation:
        return False
    if mark.article_id is None:
        return True
    validators = article_validators(mark.article_id)
    return validators is not None and article_etag(mark.article_id, *validators) == mark.etag


class PageCacheMiddleware:
    """Serve anonymous readers' cached pages early; cache the pages views marked with :func:`mark_cacheable`.

    Sits after the security, static and CORS middleware (which still process every response) and before
    the session middleware: what the inner middleware adds (ETag, ``Vary: Cookie``) is stored with the page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not is_cacheable_request(request):
            return self.get_response(request)
        key = page_key(request)
        entry = cache.get(key)
        if isinstance(entry, CachedPage) and is_current(entry.mark):
            return conditional(request, entry.response)
        response = self.get_response(request)
        mark = getattr(request, _MARK, None)
        if isinstance(mark, PageMark) and isinstance(response, HttpResponse) and is_storable(response):
            if not response.has_header("ETag"):
                set_response_etag(response)
            patch_vary_headers(response, ("Cookie",))
            cache.set(key, CachedPage(mark, response), timeout=page_cache_seconds())
        return response


def is_storable(response: HttpResponse) -> bool:
    """Return whether a response can be shared: a complete, cookie-free 200."""
    return response.status_code == 200 and not response.streaming and not response.cookies


def conditional(request: HttpRequest, response: HttpResponse) -> HttpResponseBase:
    """Answer 304 when the reader's copy matches the cached page's validators, else the page."""
    last_modified = parse_http_date_safe(response["Last-Modified"]) if response.has_header("Last-Modified") else None
    return get_conditional_response(request, etag=response.get("ETag"), last_modified=last_modified,
                                    response=response)
