"""Ticker endpoints: the directory, and one ticker with its stories and daily series."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from tickerwire.api.conditional import set_last_modified
from tickerwire.api.errors import READ_ERRORS, not_found
from tickerwire.api.pagination import decode_cursor, encode_cursor
from tickerwire.api.routes.articles import MAX_LIMIT, published_articles
from tickerwire.api.schemas import TickerDetailOut, TickerListOut, summary_out
from tickerwire.articles.models import ArticleTicker, Ticker
from tickerwire.articles.visibility import visible_q
from tickerwire.site.mention_chart import daily_points
from tickerwire.site.queries import ticker_url

router = Router(tags=["tickers"])

SERIES_DAYS = 90
STORIES = 20


def ticker_out(ticker: Ticker) -> dict:
    return {"symbol": ticker.symbol, "exchange": ticker.exchange, "name": ticker.name,
            "url": ticker_url(ticker.symbol)}


@router.get("/tickers", response={200: TickerListOut, **READ_ERRORS}, summary="List or search tickers")
def list_tickers(
    request: HttpRequest, q: str | None = None, cursor: str | None = None,
    limit: int = Query(50, ge=1, le=MAX_LIMIT),  # noqa: B008
) -> dict:
    """Return tickers by symbol; ``q`` matches a symbol prefix or a word of the company name."""
    tickers = Ticker.objects.order_by("symbol", "id")
    if q:
        text = q.strip().lstrip("$")
        tickers = tickers.filter(Q(symbol__istartswith=text) | Q(name__icontains=text))
    if cursor:
        after = decode_cursor(cursor)
        tickers = tickers.filter(Q(symbol__gt=str(after.get("s", ""))) |
                                 Q(symbol=str(after.get("s", "")), id__gt=int(after.get("i", 0) or 0)))
    page = list(tickers[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    return {
        "items": [ticker_out(t) for t in page],
        "next_cursor": encode_cursor({"s": page[-1].symbol, "i": page[-1].pk}) if more else None,
    }


@router.get("/tickers/{symbol}", response={200: TickerDetailOut, **READ_ERRORS},
            summary="One ticker with its latest stories and daily mention and sentiment series")
def ticker_detail(request: HttpRequest, response: HttpResponse, symbol: str) -> dict:
    symbol = symbol.upper()
    ticker = Ticker.objects.filter(symbol=symbol).order_by("-is_sample", "id").first()
    links = ArticleTicker.objects.filter(visible_q("article__"), symbol=symbol)
    if ticker is None:
        first = links.order_by("-confidence").first()
        if first is None:
            raise not_found(f"ticker {symbol!r}")
        info = {"symbol": symbol, "exchange": first.exchange, "name": first.name or symbol,
                "url": ticker_url(symbol)}
    else:
        info = ticker_out(ticker)
    stories = list(published_articles().filter(ticker_links__symbol=symbol).order_by("-published_at", "-id")
                   [: STORIES + 1])
    count = links.count()
    series = daily_points(links.values_list("published_at", "sentiment"), days=SERIES_DAYS)
    if stories:
        set_last_modified(response, max(a.updated_at for a in stories))
    return {
        **info,
        "story_count": count,
        "stories": [summary_out(a) for a in stories[:STORIES]],
        "more_stories": f"/api/v1/articles?ticker={symbol}" if count > STORIES else None,
        "series": [{"day": p.day, "mentions": p.mentions, "sentiment": p.sentiment} for p in series],
    }
