"""HTTP caching for article pages: validators from the revision time, and conditional GET (304)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

# Short freshness: a revision must reach readers quickly; stale-while-revalidate hides the refresh cost.
ARTICLE_MAX_AGE = 60
LIST_MAX_AGE = 30
STALE_WHILE_REVALIDATE = 300


def article_etag(pk: int, updated_at: datetime, revision_count: int) -> str:
    """Return the quoted ETag of an article version: it changes with every revision."""
    return quote_etag(f"a{pk}-r{revision_count}-{int(updated_at.timestamp() * 1000)}")


def public_cache(response: HttpResponse, max_age: int) -> HttpResponse:
    """Mark a response cacheable by browsers and shared caches for ``max_age`` seconds."""
    patch_cache_control(response, public=True, max_age=max_age, stale_while_revalidate=STALE_WHILE_REVALIDATE)
    return response


def conditional_article_response(
    request: HttpRequest, pk: int, updated_at: datetime, revision_count: int
) -> HttpResponse | None:
    """Return a 304 (with validators) when the reader's copy of the article is current, else None."""
    etag = article_etag(pk, updated_at, revision_count)
    not_modified = get_conditional_response(request, etag=etag, last_modified=int(updated_at.timestamp()))
    if not_modified is None:
        return None
    return public_cache(not_modified, ARTICLE_MAX_AGE)


def set_article_validators(response: HttpResponse, pk: int, updated_at: datetime, revision_count: int) -> None:
    """Add ETag, Last-Modified and Cache-Control to a rendered article page."""
    response.headers["ETag"] = article_etag(pk, updated_at, revision_count)
    response.headers["Last-Modified"] = http_date(updated_at.timestamp())
    public_cache(response, ARTICLE_MAX_AGE)


def list_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Give a list page's successful responses a short public Cache-Control."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            public_cache(response, LIST_MAX_AGE)
        return response

    return wrapper
