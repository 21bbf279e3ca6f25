"""Load the window of stored stories an article's related list is ranked over (reads only).

The window is the published articles within ``RELATED_WINDOW_DAYS`` of the article, newest first, at most
``RELATED_WINDOW_LIMIT`` of them, and the published articles within ``RELATED_TICKER_WINDOW_DAYS`` that share
a ticker with it (a company's stories are news about it for longer than a fortnight, and wire dates spread).
With an embedding model it holds the articles embedded by that model, with the word vectors of their full
texts beside the embeddings; without one it holds every article, ranked by those word vectors alone.
Vectors and word vectors are kept per process once read.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, TypeVar

import numpy as np
from django.db import transaction
from django.db.models import Q
from scipy import sparse

from tickerwire.articles.models import Article, ArticleTicker
from tickerwire.articles.visibility import INDEXED_STATUSES
from tickerwire.core.draft import ArticleDraft, Block
from tickerwire.enrich.embeddings import embedding_parts, vector_from_bytes
from tickerwire.enrich.related import WORD_FEATURES, RelatedIndex, StoryMeta, word_vectors

RELATED_WINDOW_DAYS = 14
RELATED_WINDOW_LIMIT = 20_000
RELATED_TICKER_WINDOW_DAYS = 90
# At most this many stories per shared ticker come from the longer span (the newest first).
RELATED_TICKER_LIMIT = 200


T = TypeVar("T")


class _ArticleCache(Generic[T]):
    """Values derived from stored articles already read by this process, so each ranking reads only new ones.

    Entries are keyed by ``(alias, namespace, id, version)``, the version being the story key and its
    content hash (:func:`version_tag`): the key guards against ids reused after a rollback, the hash makes a
    revision stored by any worker a new entry, read afresh; the namespace tells apart what differs per
    setting (the embedding model).
    """

    CHUNK = 500

    def __init__(self, read: Callable[[list[int], str, str], dict[int, T]]) -> None:
        self._read = read  # (ids, namespace, alias) -> the values of those that have one
        self._values: dict[tuple[str, str, int, str], T] = {}
        self._lock = threading.Lock()

    def get(self, stories: list[tuple[int, str]], namespace: str, alias: str) -> dict[int, T]:
        """Return the values of ``(id, key)`` pairs, reading the ones not yet seen in chunks."""
        keys = dict(stories)
        with self._lock:
            found = {
                pk: v for pk, key in stories if (v := self._values.get((alias, namespace, pk, key))) is not None
            }
        missing = [pk for pk, _key in stories if pk not in found]
        for start in range(0, len(missing), self.CHUNK):
            found.update(self._read(missing[start : start + self.CHUNK], namespace, alias))
        with self._lock:
            if len(self._values) > 4 * RELATED_WINDOW_LIMIT:
                self._values.clear()
            for pk in missing:
                if pk in found:
                    self._values[(alias, namespace, pk, keys[pk])] = found[pk]
        return found

    def put(self, pk: int, key: str, value: T, namespace: str, alias: str) -> None:
        with self._lock:
            self._values[(alias, namespace, pk, key)] = value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


def _read_vectors(ids: list[int], model_name: str, alias: str) -> dict[int, np.ndarray]:
    rows = Article.objects.using(alias).filter(pk__in=ids, embedding_model=model_name).exclude(embedding=None)
    return {pk: vector_from_bytes(raw) for pk, raw in rows.values_list("id", "embedding")}


_WordRow = tuple[np.ndarray, np.ndarray]  # a sparse row's column indices and values
_NO_WORDS: _WordRow = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))


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


def _read_words(ids: list[int], _namespace: str, alias: str) -> dict[int, _WordRow]:
    """Return the word vectors of stored articles' full texts, as row parts."""
    rows = list(Article.objects.using(alias).filter(pk__in=ids).values_list("id", "headline", "summary", "body"))
    texts = [full_text(headline, summary, body) for _pk, headline, summary, body in rows]
    return dict(zip((row[0] for row in rows), _row_parts(word_vectors(texts)), strict=True))


_vectors: _ArticleCache[np.ndarray] = _ArticleCache(_read_vectors)
_words: _ArticleCache[_WordRow] = _ArticleCache(_read_words)
_WORDS = ""  # word vectors do not depend on a setting: one namespace


def remember_vector(article: Article, vector: np.ndarray, model_name: str, alias: str) -> None:
    """Record a vector just stored, so this process's next rankings use it without reading it back."""
    pk, key = article.pk, version_tag(article.key, article.content_hash)
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
    own: int | None = None  # the article's own row, when the window holds it

    def scores(self, story: StoryMeta) -> np.ndarray:
        """Return every candidate's score for the article (``-inf`` for the ineligible), in ``ids`` order."""
        return self.index.scores(story, self.index.similarities(self.query, self.query_words)[0])

    def scores_of_article(self, rows: list[int]) -> list[float]:
        """Return the article's score as each of the given window stories would rank it (``-inf``: not at all).

        Scores are not symmetric (each story's neighbourhood shapes its own), so an older story's list takes
        the article in by the score it gives it, comparable with the scores of the list it already has.
        """
        if self.own is None or not rows:
            return []
        sims = self.index.window_similarities(np.asarray(rows))
        return [float(self.index.scores(self.index.stories[row], sims[n])[self.own]) for n, row in enumerate(rows)]


def article_meta(article: Article, tickers: frozenset[str]) -> StoryMeta:
    """Return what ranking needs of a stored article."""
    return StoryMeta(key=article.key, cluster=article.cluster_key, tickers=tickers, published=article.published_at)


def draft_of(headline: str, summary: list[str], body: list[dict]) -> ArticleDraft:
    """Return a draft of an article's stored fields, enough to build its embedding text."""
    blocks = [Block(b.get("type", "paragraph"), b.get("text", "")) for b in body or [] if isinstance(b, dict)]
    return ArticleDraft(headline=headline, summary=list(summary or []), body=blocks)


def version_tag(key: str, content_hash: str) -> str:
    """Return what a cached value is kept under: the story and its version, so a revision is read afresh."""
    return f"{key}#{content_hash}"


def full_text(headline: str, summary: list[str], body: list[dict]) -> list[str]:
    """Return an article's headline, summary and every paragraph: the lines its word vector is made of."""
    return embedding_parts(draft_of(headline, summary, body), lead_chars=None)


def _within(days: int, around: datetime) -> Q:
    return Q(published_at__gte=around - timedelta(days=days), published_at__lte=around + timedelta(days=days))


def _sharing_tickers(article: Article, symbols: frozenset[str], alias: str) -> set[int]:
    """Return the ids of stories within the longer span that share one of ``symbols`` with the article."""
    found: set[int] = set()
    for symbol in sorted(symbols):
        rows = (
            ArticleTicker.objects.using(alias)
            .filter(_within(RELATED_TICKER_WINDOW_DAYS, article.published_at), symbol=symbol)
            .exclude(article_id=article.pk)
            .order_by("-published_at")
            .values_list("article_id", flat=True)[:RELATED_TICKER_LIMIT]
        )
        found.update(rows)
    return found


def _candidates(article: Article, sharing: set[int], alias: str):  # noqa: ANN202 - a QuerySet of Article
    return (
        Article.objects.using(alias)
        .filter(status__in=INDEXED_STATUSES)  # an embargoed story is ranked ahead; pages show it once visible
        .filter(_within(RELATED_WINDOW_DAYS, article.published_at) | Q(pk__in=sharing))
        .exclude(pk=article.pk)
        .order_by("-published_at", "-id")
    )


def _tickers_by_article(article: Article, sharing: set[int], alias: str) -> dict[int, set[str]]:
    rows = ArticleTicker.objects.using(alias).filter(
        _within(RELATED_WINDOW_DAYS, article.published_at) | Q(article_id__in=sharing)
    )
    found: dict[int, set[str]] = defaultdict(set)
    for article_id, symbol in rows.values_list("article_id", "symbol"):
        found[article_id].add(symbol)
    return found


def load_window(
    article: Article, vector: np.ndarray | None, model_name: str, alias: str, symbols: frozenset[str] = frozenset()
) -> RelatedWindow:
    """Return the window for ``article``: embeddings of ``model_name`` and words, or words alone without a vector.

    ``symbols`` are the article's tickers: stories sharing one are read from the longer span too.
    """
    sharing = _sharing_tickers(article, symbols, alias) if symbols else set()
    tickers = _tickers_by_article(article, sharing, alias)
    candidates = _candidates(article, sharing, alias)
    if vector is not None:
        candidates = candidates.filter(embedding_model=model_name).exclude(embedding=None)
    rows = list(candidates.values_list("id", "key", "cluster_key", "published_at", "content_hash")
                [:RELATED_WINDOW_LIMIT])
    versions = {row[0]: version_tag(row[1], row[4]) for row in rows}
    stored = _vectors.get(list(versions.items()), model_name, alias) if vector is not None else {}
    ids: list[int] = []
    metas: list[StoryMeta] = []
    vectors = []
    for pk, key, cluster, published, _hash in rows:
        if vector is not None:
            candidate = stored.get(pk)
            if candidate is None or candidate.shape != vector.shape:
                continue
            vectors.append(candidate)
        ids.append(pk)
        metas.append(StoryMeta(key, cluster, frozenset(tickers.get(pk, ())), published))
    found_words = _words.get([(pk, versions[pk]) for pk in ids], _WORDS, alias)
    own_words = word_vectors([full_text(article.headline, article.summary, article.body)])
    pk, key = article.pk, version_tag(article.key, article.content_hash)
    transaction.on_commit(lambda: _words.put(pk, key, _row_parts(own_words)[0], _WORDS, alias), using=alias)
    # The article is a row of its own window (never its own candidate: same key), so that the older stories
    # can be scored against it as they would rank it themselves.
    ids.append(article.pk)
    metas.append(article_meta(article, symbols | frozenset(tickers.get(article.pk, ()))))
    words = _stacked([*(found_words.get(pk, _NO_WORDS) for pk in ids[:-1]), _row_parts(own_words)[0]])
    if vector is None:
        return RelatedWindow(
            ids=ids, index=RelatedIndex(metas, words, fitted=len(ids) - 1), query=own_words, own=len(ids) - 1
        )
    matrix = np.vstack([*vectors, vector.astype(np.float32)])
    return RelatedWindow(
        ids=ids,
        index=RelatedIndex(metas, matrix, words=words, fitted=len(ids) - 1),
        query=vector.reshape(1, -1),
        query_words=own_words,
        own=len(ids) - 1,
    )


def article_tickers(article: Article, alias: str) -> frozenset[str]:
    """Return the symbols tagged in an article."""
    symbols = ArticleTicker.objects.using(alias).filter(article=article).values_list("symbol", flat=True)
    return frozenset(symbols)
