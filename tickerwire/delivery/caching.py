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


def article_etag(pk: int, updated_at: datetime, revision_count: int, discussion_at: datetime | None = None) -> str:
    """Return the quoted ETag of an article version: it changes with every revision and every change to the
    public comment list the page carries (``discussion_at``)."""
    tag = f"a{pk}-r{revision_count}-{int(updated_at.timestamp() * 1000)}"
    if discussion_at is not None:
        tag += f"-d{int(discussion_at.timestamp() * 1_000_000)}"
    return quote_etag(tag)


def article_last_modified(updated_at: datetime, discussion_at: datetime | None = None) -> datetime:
    """Return the page's Last-Modified: the latest revision or comment-list change."""
    return updated_at if discussion_at is None else max(updated_at, discussion_at)


def public_cache(response: HttpResponse, max_age: int) -> HttpResponse:
    """Mark a response cacheable by browsers and shared caches for ``max_age`` seconds."""
    patch_cache_control(response, public=True, max_age=max_age, stale_while_revalidate=STALE_WHILE_REVALIDATE)
    return response


def conditional_article_response(
    request: HttpRequest, pk: int, updated_at: datetime, revision_count: int, discussion_at: datetime | None = None
) -> HttpResponse | None:
    """Return a 304 (with validators) when the reader's copy of the article is current, else None."""
    etag = article_etag(pk, updated_at, revision_count, discussion_at)
    modified = article_last_modified(updated_at, discussion_at)
    not_modified = get_conditional_response(request, etag=etag, last_modified=int(modified.timestamp()))
    if not_modified is None:
        return None
    return public_cache(not_modified, ARTICLE_MAX_AGE)


def set_article_validators(
    response: HttpResponse, pk: int, updated_at: datetime, revision_count: int, discussion_at: datetime | None = None
) -> None:
    """Add ETag, Last-Modified and Cache-Control to a rendered article page."""
    response.headers["ETag"] = article_etag(pk, updated_at, revision_count, discussion_at)
    response.headers["Last-Modified"] = http_date(article_last_modified(updated_at, discussion_at).timestamp())
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
