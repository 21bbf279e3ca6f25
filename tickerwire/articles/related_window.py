"""Load the window of stored stories an article's related list is ranked over (reads only).

The window is the published articles within ``RELATED_WINDOW_DAYS`` of the article, newest first, at most
``RELATED_WINDOW_LIMIT`` of them. With an embedding model it holds the articles embedded by that model;
without one it holds every article's text, ranked by TF-IDF fitted on the window.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from scipy import sparse

from tickerwire.articles.models import Article, ArticleTicker
from tickerwire.core.draft import ArticleDraft, Block
from tickerwire.enrich.embeddings import embedding_text, vector_from_bytes
from tickerwire.enrich.related import RelatedIndex, StoryMeta

RELATED_WINDOW_DAYS = 14
RELATED_WINDOW_LIMIT = 20_000


@dataclass
class RelatedWindow:
    """Candidate ids in index order, the index, and the article's own vector in the index's space."""

    ids: list[int]
    index: RelatedIndex
    query: np.ndarray | sparse.spmatrix


def article_meta(article: Article, tickers: frozenset[str]) -> StoryMeta:
    """Return what ranking needs of a stored article."""
    return StoryMeta(key=article.key, cluster=article.cluster_key, tickers=tickers, published=article.published_at)


def draft_of(headline: str, summary: list[str], body: list[dict]) -> ArticleDraft:
    """Return a draft of an article's stored fields, enough to build its embedding text."""
    blocks = [Block(b.get("type", "paragraph"), b.get("text", "")) for b in body or [] if isinstance(b, dict)]
    return ArticleDraft(headline=headline, summary=list(summary or []), body=blocks)


def _candidates(article: Article, alias: str):  # noqa: ANN202 - a QuerySet of Article
    around = article.published_at
    return (
        Article.objects.using(alias)
        .filter(
            status=Article.Status.PUBLISHED,
            published_at__gte=around - timedelta(days=RELATED_WINDOW_DAYS),
            published_at__lte=around + timedelta(days=RELATED_WINDOW_DAYS),
        )
        .exclude(pk=article.pk)
        .order_by("-published_at", "-id")
    )


def _tickers_by_article(article: Article, alias: str) -> dict[int, set[str]]:
    around = article.published_at
    rows = ArticleTicker.objects.using(alias).filter(
        published_at__gte=around - timedelta(days=RELATED_WINDOW_DAYS),
        published_at__lte=around + timedelta(days=RELATED_WINDOW_DAYS),
    )
    found: dict[int, set[str]] = defaultdict(set)
    for article_id, symbol in rows.values_list("article_id", "symbol"):
        found[article_id].add(symbol)
    return found


def load_window(article: Article, vector: np.ndarray | None, model_name: str, alias: str) -> RelatedWindow:
    """Return the window for ``article``: embedding vectors of ``model_name``, or TF-IDF without a vector."""
    tickers = _tickers_by_article(article, alias)
    candidates = _candidates(article, alias)
    ids: list[int] = []
    metas: list[StoryMeta] = []
    if vector is not None:
        rows = (
            candidates.filter(embedding_model=model_name)
            .exclude(embedding=None)
            .values_list("id", "key", "cluster_key", "published_at", "embedding")[:RELATED_WINDOW_LIMIT]
        )
        vectors = []
        for pk, key, cluster, published, raw in rows:
            candidate = vector_from_bytes(raw)
            if candidate.shape != vector.shape:
                continue
            ids.append(pk)
            metas.append(StoryMeta(key, cluster, frozenset(tickers.get(pk, ())), published))
            vectors.append(candidate)
        matrix = np.vstack(vectors) if vectors else np.zeros((0, vector.shape[0]), dtype=np.float32)
        return RelatedWindow(ids=ids, index=RelatedIndex(metas, matrix), query=vector.reshape(1, -1))
    texts = []
    rows = candidates.values_list("id", "key", "cluster_key", "published_at", "headline", "summary", "body")
    for pk, key, cluster, published, headline, summary, body in rows[:RELATED_WINDOW_LIMIT]:
        ids.append(pk)
        metas.append(StoryMeta(key, cluster, frozenset(tickers.get(pk, ())), published))
        texts.append(embedding_text(draft_of(headline, summary, body)))
    index = RelatedIndex.from_texts(metas, texts)
    own_text = embedding_text(draft_of(article.headline, article.summary, article.body))
    return RelatedWindow(ids=ids, index=index, query=index.text_vectors([own_text]))


def article_tickers(article: Article, alias: str) -> frozenset[str]:
    """Return the symbols tagged in an article."""
    symbols = ArticleTicker.objects.using(alias).filter(article=article).values_list("symbol", flat=True)
    return frozenset(symbols)
