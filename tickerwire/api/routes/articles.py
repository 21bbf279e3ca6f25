"""Read endpoints for articles, sections and search: thin views over queries and formatters."""

from __future__ import annotations

from datetime import UTC, datetime, time
from datetime import date as date_type
from typing import Literal

from django.db.models import Q, QuerySet, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Query, Router, Schema

from tickerwire.api.conditional import set_last_modified
from tickerwire.api.errors import READ_ERRORS, ApiError, ErrorOut, not_found
from tickerwire.api.formatters import NINJS_MEDIA_TYPE, format_canceled_ninjs, format_ninjs
from tickerwire.api.pagination import offset_cursor, read_offset_cursor, read_time_cursor, time_cursor
from tickerwire.api.schemas import (
    ArticleListOut,
    ArticleOut,
    RelatedOut,
    RevisionOut,
    SearchOut,
    SectionOut,
    detail_out,
    summary_out,
)
from tickerwire.articles.models import Article, RelatedArticle, Section
from tickerwire.articles.selectors import is_withdrawn
from tickerwire.articles.visibility import visible_q
from tickerwire.core.dates import in_story_range, story_range_text
from tickerwire.site.addresses import public_base
from tickerwire.site.queries import ticker_url

router = Router(tags=["articles"])

MAX_LIMIT = 100
# Dates are whole UTC days written YYYY-MM-DD; a plain `date` would also take numbers as timestamps.
DateField = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$", json_schema_extra={"format": "date"})



class ArticleFilters(Schema):
    section: str | None = None
    ticker: str | None = None
    since: str | None = DateField
    until: str | None = DateField
    q: str | None = None
    cluster: str | None = None
    cursor: str | None = None
    limit: int = Field(20, ge=1, le=MAX_LIMIT)


# Routes that search also answer 503 when a search runs past its time budget.
SEARCH_ERRORS = {**READ_ERRORS, 503: ErrorOut}
# One article's routes also answer 410 Gone for a withdrawn story.
ARTICLE_ERRORS = {**READ_ERRORS, 410: ErrorOut}


def published_articles() -> QuerySet[Article]:
    return (
        Article.objects.visible()
        .select_related("primary_section", "source")
        .prefetch_related("ticker_links")
    )


def day_start(day: str | None) -> datetime | None:
    """Return the start of a UTC day written YYYY-MM-DD; an impossible or out-of-range date is a 400."""
    if day is None:
        return None
    try:
        parsed = date_type.fromisoformat(day)
    except ValueError:
        raise ApiError(400, "bad_date", f"{day!r} is not a calendar date") from None
    if not in_story_range(parsed):
        raise ApiError(400, "bad_date", f"{day!r} is out of range: {story_range_text()}")
    return datetime.combine(parsed, time.min, tzinfo=UTC)


@router.get("/articles", response={200: ArticleListOut, **SEARCH_ERRORS}, summary="List articles, newest first")
def list_articles(request: HttpRequest, response: HttpResponse, filters: Query[ArticleFilters]) -> dict:
    """Filter by section slug, ticker, date range (UTC days, ``until`` exclusive), text query or cluster.

    Pages with an opaque ``cursor`` (the previous page's ``next_cursor``); with ``q`` results are ranked
    by relevance, otherwise newest first.
    """
    limit = filters.limit
    if filters.q:
        return _search_page(filters, limit)
    articles = published_articles().order_by("-published_at", "-id")
    if filters.section:
        section = Section.objects.filter(slug=filters.section).first()
        if section is None:
            raise not_found(f"section {filters.section!r}")
        articles = articles.filter(section_links__section=section)
    if filters.ticker:
        articles = articles.filter(ticker_links__symbol=filters.ticker.upper())
    if filters.since:
        articles = articles.filter(published_at__gte=day_start(filters.since))
    if filters.until:
        articles = articles.filter(published_at__lt=day_start(filters.until))
    if filters.cluster:
        articles = articles.filter(cluster_key=filters.cluster)
    if filters.cursor:
        published_at, pk = read_time_cursor(filters.cursor)
        articles = articles.filter(Q(published_at__lt=published_at) | Q(published_at=published_at, pk__lt=pk))
    page = list(articles.distinct()[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    if page:
        set_last_modified(response, max(a.updated_at for a in page))
    return {
        "items": [summary_out(a) for a in page],
        "next_cursor": time_cursor(page[-1].published_at, page[-1].pk) if more else None,
    }


def _search_page(filters: ArticleFilters, limit: int) -> dict:
    results = run_search(filters.q or "", filters.section, filters.ticker, filters.since, filters.until,
                         filters.cursor, limit)
    return {"items": [summary_out(hit.article) for hit in results.hits], "next_cursor": _next_offset(results)}


def run_search(q: str, section: str | None, ticker: str | None, since: str | None,
               until: str | None, cursor: str | None, limit: int,
               sort: str = "relevance"):  # type: ignore[no-untyped-def]
    from tickerwire.search import QueryTooComplex, SearchQuery, SearchTimedOut, search

    offset = read_offset_cursor(cursor) if cursor else 0
    try:
        results = search(SearchQuery(q, section_slug=section, symbol=ticker, since=day_start(since),
                                     until=day_start(until), offset=offset, limit=limit, sort=sort))
    except QueryTooComplex as exc:
        raise ApiError(400, "query_too_complex", f"the search is too complex: {exc.message}") from None
    except SearchTimedOut as exc:
        raise ApiError(503, "search_timeout", f"{exc}; try fewer words, or try again later") from None
    # summary_out reads both for every hit: two queries for the page instead of two per hit.
    prefetch_related_objects([hit.article for hit in results.hits], "ticker_links", "primary_section")
    return results


def _next_offset(results) -> str | None:  # type: ignore[no-untyped-def]
    if not results.has_next:
        return None
    return offset_cursor(results.query.offset + len(results.hits))


def get_article(article_id: int) -> Article:
    article = published_articles().filter(pk=article_id).first()
    if article is None:
        if is_withdrawn(article_id):
            raise ApiError(410, "withdrawn", f"article {article_id} was withdrawn")
        raise not_found(f"article {article_id}")
    return article


def wants_ninjs(request: HttpRequest, fmt: str | None) -> bool:
    if fmt is not None:
        return fmt == "ninjs"
    return NINJS_MEDIA_TYPE in request.headers.get("Accept", "")


@router.get(
    "/articles/{article_id}",
    response={200: ArticleOut, **ARTICLE_ERRORS},
    summary="One article",
    openapi_extra={
        "responses": {
            200: {
                "content": {
                    NINJS_MEDIA_TYPE: {
                        "schema": {"type": "object", "description": "IPTC ninjs 2.2 document"}
                    }
                }
            }
        }
    },
)
def article_detail(
    request: HttpRequest, response: HttpResponse, article_id: int, format: Literal["json", "ninjs"] | None = None  # noqa: A002
):
    """Return an article; ``?format=ninjs`` or ``Accept: application/ninjs+json`` gives IPTC ninjs 2.2.

    A withdrawn story is 410 Gone; asked for as ninjs, the 410 carries the ninjs document that cancels it
    (``pubstatus: canceled``, no text), so a wire client takes it down too.
    """
    try:
        article = get_article(article_id)
    except ApiError as exc:
        if exc.status == 410 and wants_ninjs(request, format):
            gone = JsonResponse(format_canceled_ninjs(Article.objects.get(pk=article_id)), status=410,
                                content_type=NINJS_MEDIA_TYPE)
            gone["Vary"] = "Accept"
            return gone
        raise
    if wants_ninjs(request, format):
        ninjs = JsonResponse(format_ninjs(article, site_url=public_base(request)), content_type=NINJS_MEDIA_TYPE)
        set_last_modified(ninjs, article.updated_at)
        ninjs["Vary"] = "Accept"
        return ninjs
    set_last_modified(response, article.updated_at)
    response["Vary"] = "Accept"
    return detail_out(article)


@router.get("/articles/{article_id}/revisions", response={200: list[RevisionOut], **ARTICLE_ERRORS},
            summary="An article's revision history, oldest first")
def article_revisions(request: HttpRequest, response: HttpResponse, article_id: int) -> list[dict]:
    article = get_article(article_id)
    set_last_modified(response, article.updated_at)
    return [
        {
            "number": revision.number,
            "created": revision.created_at,
            "published": revision.published_at or revision.created_at,
            "published_basis": revision.published_basis,
            "revision_marker": revision.revision_marker,
            "headline": revision.draft.get("headline", ""),
            "body": revision.draft.get("body", []),
            "summary": revision.draft.get("summary", []),
        }
        for revision in article.revisions.order_by("number")
    ]


@router.get("/articles/{article_id}/related", response={200: list[RelatedOut], **ARTICLE_ERRORS},
            summary="Related articles, best first")
def article_related(request: HttpRequest, response: HttpResponse, article_id: int) -> list[dict]:
    article = get_article(article_id)
    links = (
        RelatedArticle.objects.filter(visible_q("related__"), article=article)
        .select_related("related__primary_section")
        .prefetch_related("related__ticker_links")
        .order_by("-score")
    )
    set_last_modified(response, article.updated_at)
    return [{"score": round(link.score, 4), "article": summary_out(link.related)} for link in links]


@router.get("/sections", response={200: list[SectionOut], 429: READ_ERRORS[429]}, summary="The site's sections")
def list_sections(request: HttpRequest) -> list[dict]:
    return [
        {"name": s.name, "slug": s.slug, "url": s.get_absolute_url()} for s in Section.objects.order_by("position")
    ]


class SearchParams(Schema):
    q: str
    section: str | None = None
    ticker: str | None = None
    since: str | None = DateField
    until: str | None = DateField
    cursor: str | None = None
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    sort: Literal["relevance", "newest"] = Field("relevance", description="relevance (hybrid ranking) or newest")


@router.get("/search", response={200: SearchOut, **SEARCH_ERRORS}, summary="Full-text search with hybrid ranking")
def search_articles(request: HttpRequest, params: Query[SearchParams]) -> dict:
    """Search headline, summary, body and tickers: words, "phrases" and -excluded words; ``sort=newest``
    orders every match by publication time instead of relevance."""
    limit = params.limit
    results = run_search(params.q, params.section, params.ticker, params.since, params.until, params.cursor, limit,
                         sort=params.sort)
    ticker = results.ticker
    return {
        "total": results.total,
        "total_exact": results.total_exact,
        "ticker": None if ticker is None else {"symbol": ticker.symbol, "exchange": ticker.exchange,
                                               "name": ticker.name, "url": ticker_url(ticker.symbol)},
        "items": [
            {"score": round(hit.score, 6), "snippet_html": hit.snippet_html, "article": summary_out(hit.article)}
            for hit in results.hits
        ],
        "next_cursor": _next_offset(results),
    }
