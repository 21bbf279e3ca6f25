"""Load the window of stored stories an article's related list is ranked over (reads only).

The window is the published articles within ``RELATED_WINDOW_DAYS`` of the article, newest first, at most
``RELATED_WINDOW_LIMIT`` of them. With an embedding model it holds the articles embedded by that model;
without one it holds every article's text, ranked by TF-IDF fitted on the window.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.db import transaction
from scipy import sparse

from tickerwire.articles.models import Article, ArticleTicker
from tickerwire.core.draft import ArticleDraft, Block
from tickerwire.enrich.embeddings import embedding_text, vector_from_bytes
from tickerwire.enrich.related import RelatedIndex, StoryMeta

RELATED_WINDOW_DAYS = 14
RELATED_WINDOW_LIMIT = 20_000


class _VectorCache:
    """Stored vectors already read by this process, so each ranking reads only the new ones' bytes.

    An article's vector changes only when its own task re-embeds it, which calls :meth:`put`; a vector
    re-embedded by another process is stale here until this process restarts (a rare, harmless lag).
    """

    CHUNK = 500

    def __init__(self) -> None:
        self._vectors: dict[tuple[str, str, int, str], np.ndarray] = {}
        self._lock = threading.Lock()

    def get(self, stories: list[tuple[int, str]], model_name: str, alias: str) -> dict[int, np.ndarray]:
        """Return the vectors of ``(id, key)`` pairs; the key guards against ids reused after a rollback."""
        keys = dict(stories)
        with self._lock:
            found = {
                pk: v for pk, key in stories if (v := self._vectors.get((alias, model_name, pk, key))) is not None
            }
        missing = [pk for pk, _key in stories if pk not in found]
        for start in range(0, len(missing), self.CHUNK):
            chunk = missing[start : start + self.CHUNK]
            rows = Article.objects.using(alias).filter(pk__in=chunk, embedding_model=model_name)
            for pk, raw in rows.exclude(embedding=None).values_list("id", "embedding"):
                found[pk] = vector_from_bytes(raw)
        with self._lock:
            if len(self._vectors) > 4 * RELATED_WINDOW_LIMIT:
                self._vectors.clear()
            for pk in missing:
                if pk in found:
                    self._vectors[(alias, model_name, pk, keys[pk])] = found[pk]
        return found

    def put(self, pk: int, key: str, vector: np.ndarray, model_name: str, alias: str) -> None:
        with self._lock:
            self._vectors[(alias, model_name, pk, key)] = vector

    def clear(self) -> None:
        with self._lock:
            self._vectors.clear()


_vectors = _VectorCache()


def remember_vector(article: Article, vector: np.ndarray, model_name: str, alias: str) -> None:
    """Record a vector just stored, so this process's next rankings use it without reading it back."""
    pk, key = article.pk, article.key
    transaction.on_commit(lambda: _vectors.put(pk, key, vector, model_name, alias), using=alias)


def forget_vectors() -> None:
    """Drop the process's vector cache (tests start from an empty store)."""
    _vectors.clear()


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
        rows = list(
            candidates.filter(embedding_model=model_name)
            .exclude(embedding=None)
            .values_list("id", "key", "cluster_key", "published_at")[:RELATED_WINDOW_LIMIT]
        )
        stored = _vectors.get([(row[0], row[1]) for row in rows], model_name, alias)
        vectors = []
        for pk, key, cluster, published in rows:
            candidate = stored.get(pk)
            if candidate is None or candidate.shape != vector.shape:
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
