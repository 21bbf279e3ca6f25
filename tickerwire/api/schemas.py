"""Response shapes of the JSON API (they become the OpenAPI document's schemas)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from tickerwire.articles.models import Article, ArticleTicker
from tickerwire.site.queries import ticker_url


class SectionOut(Schema):
    name: str
    slug: str
    url: str


class SectionScoreOut(Schema):
    name: str
    slug: str
    score: float
    primary: bool


class TickerTagOut(Schema):
    symbol: str
    exchange: str
    name: str
    confidence: float
    url: str


class DatelineOut(Schema):
    place: str | None = None
    date: str | None = None
    agency: str | None = None


class BlockOut(Schema):
    type: str
    text: str


class SentimentOut(Schema):
    label: str
    score: float


class FigureOut(Schema):
    value: float | None = None
    unit: str | None = None
    text: str | None = None
    metric: str | None = None
    sentence: str | None = None
    direction: str | None = None
    change: str | None = None
    period: str | None = None


class ArticleSummaryOut(Schema):
    id: int
    key: str
    url: str
    headline: str
    kind: str = Field(..., description='"story", or "flash" for a headline-only item (no body)')
    published: datetime
    updated: datetime
    revision: int
    primary_section: str | None
    summary: list[str]
    snippet: str
    tickers: list[TickerTagOut]
    cluster: str | None


class ArticleOut(ArticleSummaryOut):
    source: str
    source_site: str
    source_section: str
    published_text: str
    published_basis: Literal["source", "dateline", "received"]
    received: datetime
    byline: list[str]
    dateline: DatelineOut | None
    body: list[BlockOut]
    credits: str
    language: str
    sections: list[SectionScoreOut]
    figures: list[FigureOut]
    sentiment: SentimentOut | None


class ArticleListOut(Schema):
    items: list[ArticleSummaryOut]
    next_cursor: str | None


class RevisionOut(Schema):
    number: int
    created: datetime  # when this version was received
    published: datetime  # this version's story time (its own, its dateline's day, or when received)
    published_basis: Literal["source", "dateline", "received"]
    revision_marker: str
    headline: str
    body: list[BlockOut]
    summary: list[str]


class RelatedOut(Schema):
    score: float
    article: ArticleSummaryOut


class TickerOut(Schema):
    symbol: str
    exchange: str
    name: str
    url: str


class TickerListOut(Schema):
    items: list[TickerOut]
    next_cursor: str | None


class SeriesPointOut(Schema):
    day: date
    mentions: int
    sentiment: float | None


class TickerDetailOut(TickerOut):
    story_count: int
    stories: list[ArticleSummaryOut]
    more_stories: str | None
    series: list[SeriesPointOut]


class SearchHitOut(Schema):
    score: float
    snippet_html: str
    article: ArticleSummaryOut


class SearchOut(Schema):
    total: int = Field(description="how many stories match; with total_exact false, a lower bound")
    total_exact: bool = Field(description="false when more stories match than are ranked: the most recently "
                                          "stored ones are ranked, and total is their number")
    ticker: TickerOut | None
    items: list[SearchHitOut]
    next_cursor: str | None


class IngestItemOut(Schema):
    index: int
    status: str  # new, revised, unchanged, notice (a withdraw/kill notice), quarantined, skipped
    id: int | None = None
    key: str | None = None
    revision: int | None = None
    quarantine_id: int | None = None
    reason: str | None = None


class IngestOut(Schema):
    source: str
    items: list[IngestItemOut]


def tag_out(link: ArticleTicker) -> dict[str, Any]:
    return {
        "symbol": link.symbol,
        "exchange": link.exchange,
        "name": link.name,
        "confidence": round(link.confidence, 4),
        "url": ticker_url(link.symbol),
    }


def summary_out(article: Article, snippet_chars: int = 280) -> dict[str, Any]:
    """Return the list-item form of an article (expects ``ticker_links`` and ``primary_section`` loaded)."""
    first = next((b.get("text", "") for b in article.body or [] if b.get("type") == "paragraph"), "")
    snippet = first if len(first) <= snippet_chars else first[: snippet_chars - 1].rsplit(" ", 1)[0] + "…"
    return {
        "id": article.pk,
        "key": article.key,
        "url": article.get_absolute_url(),
        "headline": article.headline,
        "kind": article.kind,
        "published": article.published_at,
        "updated": article.updated_at,
        "revision": article.revision_count,
        "primary_section": article.primary_section.name if article.primary_section else None,
        "summary": list(article.summary or []),
        "snippet": snippet,
        "tickers": [tag_out(link) for link in article.ticker_links.all()],
        "cluster": article.cluster_key or None,
    }


def detail_out(article: Article) -> dict[str, Any]:
    """Return the full form of an article."""
    sections = [
        {"name": link.section.name, "slug": link.section.slug, "score": round(link.score, 4),
         "primary": link.section_id == article.primary_section_id}
        for link in article.section_links.select_related("section").order_by("-score")
    ]
    sentiment = article.sentiment if isinstance(article.sentiment, dict) else None
    return {
        **summary_out(article),
        "source": article.source.name,
        "source_site": article.source_site,
        "source_section": article.source_section,
        "published_text": article.published_text,
        "published_basis": article.published_basis,
        "received": article.created_at,
        "byline": list(article.byline or []),
        "dateline": article.dateline or None,
        "body": list(article.body or []),
        "credits": article.credits,
        "language": article.language,
        "sections": sections,
        "figures": [f for f in article.figures or [] if isinstance(f, dict)],
        "sentiment": sentiment if sentiment and "label" in sentiment and "score" in sentiment else None,
    }
