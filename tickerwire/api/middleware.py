"""API middleware: refuse query strings with NUL characters; share anonymous reads through the page cache.

PostgreSQL rejects ``\\x00`` in any text value, so a filter such as ``?section=a%00b`` would otherwise
end as a 500 there (and silently match nothing on SQLite). Both now get the API's 400 error shape.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from tickerwire.articles.selectors import article_validators
from tickerwire.delivery.caching import article_etag
from tickerwire.delivery.page_cache import is_cacheable_request, mark_cacheable

SYMBOL = re.compile(r"[A-Z0-9][A-Z0-9.\-]{0,15}")


class RejectNulInQuery:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") and _has_nul(request):
            return JsonResponse(
                {"error": {"code": "invalid_request", "message": "query parameters may not contain NUL characters",
                           "status": 400}},
                status=400,
            )
        return self.get_response(request)


def _has_nul(request: HttpRequest) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists())


class ShareAnonymousReads:
    """Let the page cache keep anonymous API reads as it keeps pages, in the groups a story's purge clears.

    An article's endpoints share the article page's group, a ticker's its ticker page's group, and lists,
    search and sections the ``api`` group that every stored, revised or withdrawn story invalidates. The
    key of an API copy includes ``Accept`` and ``Origin`` (JSON or ninjs; CORS headers per origin), see
    :func:`tickerwire.delivery.page_cache.page_key`. A read answered from the cache is counted by the same
    read limit as one rendered (:func:`cached_read_gate`, registered in tickerwire.config.wiring).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: object, view_args: tuple, view_kwargs: dict) -> None:
        if not request.path.startswith("/api/") or not is_cacheable_request(request):
            return None
        match = request.resolver_match
        group = api_group(match.url_name if match else None, view_kwargs)
        if group is None:
            return None
        if group.startswith("article:"):
            # As for the article page: the copy carries the revision's ETag and is checked against the row,
            # so a revision or a withdrawal shows at once even in a process no purge reached.
            pk = int(group.removeprefix("article:"))
            validators = article_validators(pk)
            if validators is None:
                return None  # gone or never public: the view answers, nothing is kept
            mark_cacheable(request, group, article_id=pk, etag=article_etag(pk, *validators))
        else:
            mark_cacheable(request, group)
        return None


def cached_read_gate(request: HttpRequest) -> HttpResponse | None:
    """Count a cached API read against the anonymous read limit; a 429 in the API's shape when over it."""
    from tickerwire.api.main import too_many_requests
    from tickerwire.api.throttles import ReadThrottle

    throttle = ReadThrottle()
    if throttle.allow_request(request):
        return None
    return too_many_requests(request, throttle.wait())


def api_group(url_name: str | None, kwargs: dict) -> str | None:
    """Return the page-cache group of an API read (None: not shared)."""
    if url_name in (None, "ingest"):
        return None
    article_id = str(kwargs.get("article_id", ""))
    if article_id:
        # Ids past a 64-bit key are no article's: the view answers them, nothing is kept.
        return f"article:{int(article_id)}" if article_id.isdigit() and int(article_id) < 2**63 else None
    if url_name == "ticker_detail":
        symbol = str(kwargs.get("symbol", "")).upper()
        return f"ticker:{symbol}" if SYMBOL.fullmatch(symbol) else None
    return "api"
