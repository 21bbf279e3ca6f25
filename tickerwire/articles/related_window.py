"""Load the window of stored stories an article's related list is ranked over (reads only).

The window is the published articles within ``RELATED_WINDOW_DAYS`` of the article, newest first, at most
``RELATED_WINDOW_LIMIT`` of them. With an embedding model it holds the articles embedded by that model, with
the word vectors of their full texts beside the embeddings; without one it holds every article, ranked by
those word vectors alone. Vectors and word vectors are kept per process once read.
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
from tickerwire.enrich.related import WORD_FEATURES, RelatedIndex, StoryMeta, word_vectors

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


_WordRow = tuple[np.ndarray, np.ndarray]  # a sparse row's column indices and values


def _row_parts(matrix: sparse.csr_matrix) -> list[_WordRow]:
    return [
        (matrix.indices[start:end].copy(), matrix.data[start:end].copy())
        for start, end in zip(matrix.indptr[:-1], matrix.indptr[1:], strict=True)
    ]


def _stacked(rows: list[_WordRow]) -> sparse.csr_matrix:
    """Return rows kept as parts as one CSR matrix (one concatenation, not a matrix per row)."""
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(columns) for columns, _values in rows], out=indptr[1:])
    indices = np.concatenate([columns for columns, _values in rows]) if rows else np.zeros(0, dtype=np.int32)
    data = np.concatenate([values for _columns, values in rows]) if rows else np.zeros(0, dtype=np.float32)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), WORD_FEATURES))


class _WordCache:
    """Word vectors of stored articles' full texts already computed by this process.

    Like :class:`_VectorCache`, keyed by ``(id, key)``; an article's own task replaces its entry with
    :meth:`put` when the article is ranked again, so a new revision's words are used from then on.
    """

    def __init__(self) -> None:
        self._rows: dict[tuple[str, int, str], _WordRow] = {}
        self._lock = threading.Lock()

    def get(self, stories: list[tuple[int, str]], alias: str) -> sparse.csr_matrix:
        """Return the word vectors of ``(id, key)`` pairs as one matrix, reading the texts not yet seen."""
        with self._lock:
            found = {pk: row for pk, key in stories if (row := self._rows.get((alias, pk, key))) is not None}
        missing = [pk for pk, _key in stories if pk not in found]
        for start in range(0, len(missing), _VectorCache.CHUNK):
            chunk = missing[start : start + _VectorCache.CHUNK]
            rows = Article.objects.using(alias).filter(pk__in=chunk).values_list("id", "headline", "summary", "body")
            ids, texts = [], []
            for pk, headline, summary, body in rows:
                ids.append(pk)
                texts.append(full_text(headline, summary, body))
            found.update(zip(ids, _row_parts(word_vectors(texts)), strict=True))
        keys = dict(stories)
        with self._lock:
            if len(self._rows) > 4 * RELATED_WINDOW_LIMIT:
                self._rows.clear()
            for pk in missing:
                if pk in found:
                    self._rows[(alias, pk, keys[pk])] = found[pk]
        empty: _WordRow = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
        return _stacked([found.get(pk, empty) for pk, _key in stories])

    def put(self, pk: int, key: str, row: sparse.csr_matrix, alias: str) -> None:
        with self._lock:
            self._rows[(alias, pk, key)] = _row_parts(row)[0]

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()


_words = _WordCache()


def remember_vector(article: Article, vector: np.ndarray, model_name: str, alias: str) -> None:
    """Record a vector just stored, so this process's next rankings use it without reading it back."""
    pk, key = article.pk, article.key
    transaction.on_commit(lambda: _vectors.put(pk, key, vector, model_name, alias), using=alias)


def forget_vectors() -> None:
    """Drop the process's vector and word caches (tests start from an empty store)."""
    _vectors.clear()
    _words.clear()


@dataclass
class RelatedWindow:
    """Candidate ids in index order, the index, and the article's own vector (and words) in its space."""

    ids: list[int]
    index: RelatedIndex
    query: np.ndarray | sparse.spmatrix
    query_words: sparse.csr_matrix | None = None

    def scores(self, story: StoryMeta) -> np.ndarray:
        """Return every candidate's score for the article (``-inf`` for the ineligible), in ``ids`` order."""
        return self.index.scores(story, self.index.similarities(self.query, self.query_words)[0])


def article_meta(article: Article, tickers: frozenset[str]) -> StoryMeta:
    """Return what ranking needs of a stored article."""
    return StoryMeta(key=article.key, cluster=article.cluster_key, tickers=tickers, published=article.published_at)


def draft_of(headline: str, summary: list[str], body: list[dict]) -> ArticleDraft:
    """Return a draft of an article's stored fields, enough to build its embedding text."""
    blocks = [Block(b.get("type", "paragraph"), b.get("text", "")) for b in body or [] if isinstance(b, dict)]
    return ArticleDraft(headline=headline, summary=list(summary or []), body=blocks)


def full_text(headline: str, summary: list[str], body: list[dict]) -> str:
    """Return an article's headline, summary and every paragraph: the text its word vector is made of."""
    return embedding_text(draft_of(headline, summary, body), lead_chars=None)


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
    """Return the window for ``article``: embeddings of ``model_name`` and words, or words alone without a vector."""
    tickers = _tickers_by_article(article, alias)
    candidates = _candidates(article, alias)
    if vector is not None:
        candidates = candidates.filter(embedding_model=model_name).exclude(embedding=None)
    rows = list(candidates.values_list("id", "key", "cluster_key", "published_at")[:RELATED_WINDOW_LIMIT])
    stored = _vectors.get([(row[0], row[1]) for row in rows], model_name, alias) if vector is not None else {}
    ids: list[int] = []
    metas: list[StoryMeta] = []
    vectors = []
    for pk, key, cluster, published in rows:
        if vector is not None:
            candidate = stored.get(pk)
            if candidate is None or candidate.shape != vector.shape:
                continue
            vectors.append(candidate)
        ids.append(pk)
        metas.append(StoryMeta(key, cluster, frozenset(tickers.get(pk, ())), published))
    words = _words.get([(pk, meta.key) for pk, meta in zip(ids, metas, strict=True)], alias)
    own_words = word_vectors([full_text(article.headline, article.summary, article.body)])
    pk, key = article.pk, article.key
    transaction.on_commit(lambda: _words.put(pk, key, own_words, alias), using=alias)
    if vector is None:
        return RelatedWindow(ids=ids, index=RelatedIndex(metas, words), query=own_words)
    matrix = np.vstack(vectors) if vectors else np.zeros((0, vector.shape[0]), dtype=np.float32)
    return RelatedWindow(
        ids=ids,
        index=RelatedIndex(metas, matrix, words=words),
        query=vector.reshape(1, -1),
        query_words=own_words,
    )


def article_tickers(article: Article, alias: str) -> frozenset[str]:
    """Return the symbols tagged in an article."""
    symbols = ArticleTicker.objects.using(alias).filter(article=article).values_list("symbol", flat=True)
    return frozenset(symbols)
