"""Rendered-page cache for anonymous readers, in Django's cache (local memory by default, Redis in scale-out).

Pages are grouped (``home``, ``section:<slug>``, ``ticker:<SYMBOL>``, ``article:<id>``); each group has a
generation number kept in the cache, and a page's key holds its group's generation, so invalidating a group
(:func:`invalidate_groups`, called by :mod:`tickerwire.articles.purge` after a story is stored) makes every
page of it, whatever its query string, a miss at once. Article keys also hold the revision's validators, so
a new revision is never served from the cache even by a process the purge could not reach (local memory
is per process); everything else expires after ``TICKERWIRE_PAGE_CACHE_SECONDS`` at the latest.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers, set_response_etag

KEY_PREFIX = "tw:page"
GENERATION_PREFIX = "tw:gen"


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
    """Make every cached page of these groups a miss, in every process sharing the cache."""
    stamp = time.time_ns()
    cache.set_many({f"{GENERATION_PREFIX}:{group}": stamp for group in set(groups)}, timeout=None)


def page_key(group: str, request: HttpRequest, variant: str = "") -> str:
    """Return the cache key of a page: group, generation, variant and the full path with its query."""
    path = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
    return f"{KEY_PREFIX}:{group}:{generation(group)}:{variant}:{path}"


def fetch(key: str) -> HttpResponse | None:
    """Return the cached response under ``key``, or None."""
    response = cache.get(key)
    return response if isinstance(response, HttpResponse) else None


def store(key: str, response: HttpResponse) -> None:
    """Cache a successful, cookie-free, fully rendered response under ``key``."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return
    # What ConditionalGetMiddleware and the session middleware would add, so hits and misses match.
    if not response.has_header("ETag"):
        set_response_etag(response)
    patch_vary_headers(response, ("Cookie",))
    cache.set(key, response, timeout=page_cache_seconds())


def cached_page(
    group_of: Callable[..., str | None],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Serve a view's pages from the cache; ``group_of(request, *args, **kwargs)`` names the page's group.

    A ``None`` group (e.g. a symbol that needs a redirect) bypasses the cache.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            group = group_of(request, *args, **kwargs) if is_cacheable_request(request) else None
            if group is None:
                return view(request, *args, **kwargs)
            key = page_key(group, request)
            response = fetch(key)
            if response is None:
                response = view(request, *args, **kwargs)
                store(key, response)
            return response

        return wrapper

    return decorate
