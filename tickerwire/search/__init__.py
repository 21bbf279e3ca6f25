"""One search API over published articles; the backend follows the database in use.

``search(SearchQuery(text="oil prices", symbol="XOM"))`` returns ranked hits with highlighted snippets on
SQLite (FTS5, bm25) and PostgreSQL (tsvector + GIN, ts_rank) alike. Ranking is hybrid: the text score,
then a re-rank of the best text hits by embedding similarity (when articles have embeddings) and recency.
The index follows the store: it is updated inside the ingest transaction, by the ``story_stored`` event
(:mod:`tickerwire.articles.events`). :func:`matches` checks one story against a query (saved searches).

Both are safe to call with any text: a text over the bounds of :mod:`tickerwire.search.query` raises
:class:`QueryTooComplex` before the database is asked, and the database work of one call runs within
``TICKERWIRE_SEARCH_BUDGET_SECONDS`` (per statement on PostgreSQL), past which :class:`SearchTimedOut`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from tickerwire.search.backends import get_backend
from tickerwire.search.backends.base import Filters, SearchDocument, SearchTimedOut, render_marked
from tickerwire.search.query import ParsedQuery, QueryTooComplex, parse_query

if TYPE_CHECKING:
    from tickerwire.articles.models import Article, Ticker

# How many text hits are re-ranked; enough to reorder the first pages, few enough to stay fast.
RERANK_POOL = 200
# How many matches are ranked by text relevance at most: the most recently stored ones (ten times the
# re-rank pool). Ranking and counting every match made search time grow with the store (p95 2.9x from
# 10,000 to 100,000 stories, bench/scale.py); past the cap the total is shown as "2,000+". Date filters
# apply before the cap, so older stories stay reachable by narrowing the dates.
CANDIDATE_CAP = 2000
TEXT_WEIGHT = 0.6
SEMANTIC_WEIGHT = 0.25
RECENCY_WEIGHT = 0.15
RECENCY_HALF_LIFE_DAYS = 30.0
# How results are ordered: hybrid relevance (the default), or newest first among every match.
SORTS = ("relevance", "newest")


@dataclass(frozen=True)
class SearchQuery:
    """What a reader asked for: the search box text and the filters beside it."""

    text: str
    section_slug: str | None = None
    symbol: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    offset: int = 0
    limit: int = 20
    sort: str = "relevance"  # one of SORTS


@dataclass
class SearchHit:
    article: Article
    score: float
    snippet_html: str


@dataclass
class SearchResults:
    query: SearchQuery
    total: int
    hits: list[SearchHit] = field(default_factory=list)
    ticker: Ticker | None = None  # a query naming a ticker leads with that ticker
    # False when more than CANDIDATE_CAP stories matched: ``total`` is then the cap, a lower bound.
    total_exact: bool = True

    @property
    def has_next(self) -> bool:
        return self.query.offset + len(self.hits) < min(self.total, RERANK_POOL)


def search(query: SearchQuery) -> SearchResults:
    """Return one page of ranked, highlighted results for a query."""
    from tickerwire.articles.models import Article, Section

    parsed = parse_query(query.text)
    ticker = find_ticker(query.text)
    section_id = None
    if query.section_slug:
        section_id = Section.objects.filter(slug=query.section_slug).values_list("id", flat=True).first()
        if section_id is None:
            return SearchResults(query=query, total=0, ticker=ticker)
    if parsed.is_empty:
        return SearchResults(query=query, total=0, ticker=ticker)
    filters = Filters(section_id=section_id, symbol=query.symbol, since=query.since, until=query.until)
    if query.sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {query.sort!r}")
    backend = get_backend()
    newest = query.sort == "newest"
    with backend.time_budget(budget_seconds()):
        counted, above_id, walked = backend.candidates(parsed, filters, CANDIDATE_CAP)
        if not counted:
            return SearchResults(query=query, total=0, ticker=ticker)
        if newest:  # newest first orders every match by publication time, not only the most recently stored
            matched = backend.match(parsed, filters, RERANK_POOL, newest=True)
        else:
            matched = backend.match(parsed, filters, RERANK_POOL, above_id=above_id, ids=walked)
        if not matched:
            return SearchResults(query=query, total=0, ticker=ticker)
        total, total_exact = min(counted, CANDIDATE_CAP), counted <= CANDIDATE_CAP
        # Newest first: the database already ordered every match by time, so the pool is the newest ones.
        ranked = matched if newest else rerank(parsed, query.text, matched)
        page = ranked[query.offset : query.offset + query.limit]
        ids = [article_id for article_id, _score in page]
        articles = Article.objects.in_bulk(ids)
        snippets = backend.snippets(parsed, ids)
    hits = [
        SearchHit(article=articles[article_id], score=score, snippet_html=render_marked(snippets.get(article_id, "")))
        for article_id, score in page
        if article_id in articles
    ]
    return SearchResults(query=query, total=total, hits=hits, ticker=ticker, total_exact=total_exact)


def matches(article: Article, query: SearchQuery) -> bool:
    """Return whether a stored, visible article is among the results of ``query`` (its filters included).

    The same backend and the same SQL as :func:`search` decide, restricted to that one article, so a saved
    search and its alert can never disagree.
    """
    from tickerwire.articles.models import Section

    parsed = parse_query(query.text)
    if parsed.is_empty:
        return False
    section_id = None
    if query.section_slug:
        section_id = Section.objects.filter(slug=query.section_slug).values_list("id", flat=True).first()
        if section_id is None:
            return False
    filters = Filters(
        section_id=section_id, symbol=query.symbol, since=query.since, until=query.until, article_id=article.pk
    )
    backend = get_backend()
    with backend.time_budget(budget_seconds()):
        return bool(backend.match(parsed, filters, 1))


def budget_seconds() -> float:
    """Return how long one search may spend in the database (``TICKERWIRE_SEARCH_BUDGET_SECONDS``)."""
    return float(getattr(settings, "TICKERWIRE_SEARCH_BUDGET_SECONDS", 2.0))


def rerank(parsed: ParsedQuery, text: str, matched: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Blend text relevance with embedding similarity and recency; return (id, score) best first."""
    from tickerwire.articles.models import Article

    best = max(score for _id, score in matched) or 1.0
    rows = Article.objects.filter(pk__in=[i for i, _s in matched]).values_list(
        "pk", "published_at", "embedding", "embedding_model"
    )
    info = {pk: (published, embedding, model) for pk, published, embedding, model in rows}
    similarities = semantic_similarities(text, {pk: (emb, model) for pk, (_p, emb, model) in info.items()})
    now = timezone.now()
    scored = []
    for article_id, text_score in matched:
        published = info.get(article_id, (now, None, ""))[0]
        age_days = max((now - published).total_seconds() / 86400.0, 0.0)
        recency = math.exp(-math.log(2) * age_days / RECENCY_HALF_LIFE_DAYS)
        semantic = similarities.get(article_id, 0.0)
        score = TEXT_WEIGHT * (text_score / best) + SEMANTIC_WEIGHT * semantic + RECENCY_WEIGHT * recency
        scored.append((article_id, score))
    scored.sort(key=lambda pair: (-pair[1], -pair[0]))
    return scored


def semantic_similarities(text: str, embeddings: dict[int, tuple[bytes | None, str]]) -> dict[int, float]:
    """Return cosine similarity of the query to each embedded article (empty when none are embedded)."""
    from tickerwire.search.semantic import query_similarities

    return query_similarities(text, embeddings)


def find_ticker(text: str) -> Ticker | None:
    """Return the ticker a query names by symbol (``XOM``, ``$XOM``) or company name, if any."""
    from tickerwire.articles.models import Ticker

    cleaned = text.strip().lstrip("$").strip()
    if not cleaned or len(cleaned) > 80:
        return None
    if cleaned.replace(".", "").replace("-", "").isalnum() and len(cleaned) <= 6:
        by_symbol = Ticker.objects.filter(symbol=cleaned.upper()).order_by("-is_sample", "id").first()
        if by_symbol is not None and (text.strip().startswith("$") or cleaned.isupper()):
            return by_symbol
    if len(cleaned) >= 3:
        return Ticker.objects.filter(name__iexact=cleaned).order_by("id").first() or (
            Ticker.objects.filter(name__istartswith=cleaned + " ").order_by("id").first() if len(cleaned) >= 4 else None
        )
    return None


def index_article(article: Article) -> None:
    """Add or replace an article in the index; remove it when it is held or withdrawn.

    An embargoed story is indexed ahead; every query filters by :mod:`tickerwire.articles.visibility`.
    """
    from tickerwire.articles.visibility import INDEXED_STATUSES

    backend = get_backend()
    if article.status not in INDEXED_STATUSES:
        backend.remove(article.pk)
        return
    backend.index(SearchDocument.from_article(article))


def remove_article(article_id: int) -> None:
    get_backend().remove(article_id)


def rebuild_index(batch_size: int = 500) -> int:
    """Re-index every article from the store; return how many were indexed."""
    from django.db import transaction

    from tickerwire.articles.models import Article
    from tickerwire.articles.visibility import INDEXED_STATUSES

    backend = get_backend()
    count = 0
    with transaction.atomic():
        backend.clear()
        queryset = Article.objects.filter(status__in=INDEXED_STATUSES).prefetch_related("ticker_links").order_by("pk")
        for article in queryset.iterator(chunk_size=batch_size):
            backend.index(SearchDocument.from_article(article))
            count += 1
    return count


__all__ = [
    "CANDIDATE_CAP",
    "SORTS",
    "QueryTooComplex",
    "SearchHit",
    "SearchQuery",
    "SearchResults",
    "SearchTimedOut",
    "find_ticker",
    "index_article",
    "matches",
    "rebuild_index",
    "remove_article",
    "search",
]
