"""Related stories: rank a recent window of stories against one story, brute force in numpy; no Django here.

The score of a candidate is its vector similarity to the story (cosine of unit vectors: sentence
embeddings, or TF-IDF when no embedding backend is configured), plus a bonus for each ticker both stories
carry and a small bonus for being published close in time. The story itself, its other revisions (same key)
and its cluster (updates and rewrites of the same story, :mod:`tickerwire.enrich.clusters`) are never
related to it. DESIGN.md keeps the vectors in the database and ranks in the application: a window of
tens of thousands of 384-float rows is a few milliseconds of matrix product, and pgvector is not available.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from tickerwire.enrich.embeddings import normalise_rows

DEFAULT_K = 5


@dataclass(frozen=True)
class StoryMeta:
    """What ranking needs to know of a story besides its vector."""

    key: str
    cluster: str = ""
    tickers: frozenset[str] = field(default_factory=frozenset)
    published: datetime | None = None


@dataclass(frozen=True)
class RelatedHit:
    key: str
    score: float


@dataclass(frozen=True)
class RelatedWeights:
    """How the parts of the score add up; bench/related_eval.py measures the defaults."""

    ticker_bonus: float = 0.03  # per shared ticker, at most ``max_shared_tickers`` of them
    max_shared_tickers: int = 2
    recency_bonus: float = 0.03  # at zero time apart, halving every ``recency_half_life_days``
    recency_half_life_days: float = 2.0
    min_similarity: float = 0.1  # below this a candidate is unrelated, whatever else it shares


DEFAULT_WEIGHTS = RelatedWeights()


def _timestamp(moment: datetime | None) -> float:
    return moment.timestamp() if moment is not None else math.nan


class RelatedIndex:
    """A window of candidate stories and their unit vectors (a dense array or a sparse TF-IDF matrix)."""

    def __init__(
        self, stories: Sequence[StoryMeta], vectors: np.ndarray | sparse.spmatrix, *, center: bool = True
    ) -> None:
        """Index the window. Dense vectors are centred on the window's mean and re-normalised when ``center``.

        Sentence embeddings share a common direction that makes every pair look somewhat alike; removing
        the window's mean spreads them out (bench/related_eval.py: +0.5 point of precision@5).
        """
        if vectors.shape[0] != len(stories):
            raise ValueError(f"{len(stories)} stories but {vectors.shape[0]} vectors")
        self.stories = list(stories)
        self.mean: np.ndarray | None = None
        if sparse.issparse(vectors):
            self.vectors = vectors
        else:
            self.vectors = np.asarray(vectors, dtype=np.float32)
            if center and len(stories) > 1:
                self.mean = self.vectors.mean(axis=0)
                self.vectors = normalise_rows(self.vectors - self.mean)
        self.vectorizer: TfidfVectorizer | None = None
        self._times = np.array([_timestamp(s.published) for s in self.stories], dtype=np.float64)
        self._by_ticker: dict[str, list[int]] = defaultdict(list)
        self._by_cluster: dict[str, list[int]] = defaultdict(list)
        self._by_key: dict[str, list[int]] = defaultdict(list)
        for index, story in enumerate(self.stories):
            for symbol in story.tickers:
                self._by_ticker[symbol].append(index)
            if story.cluster:
                self._by_cluster[story.cluster].append(index)
            self._by_key[story.key].append(index)

    @classmethod
    def from_texts(cls, stories: Sequence[StoryMeta], texts: Sequence[str]) -> RelatedIndex:
        """Return a TF-IDF index over the window's texts: the fallback when no embedding backend is set."""
        vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", dtype=np.float32)
        matrix = vectorizer.fit_transform(texts) if texts else sparse.csr_matrix((0, 0), dtype=np.float32)
        index = cls(stories, matrix)
        index.vectorizer = vectorizer
        return index

    def text_vectors(self, texts: Sequence[str]) -> sparse.spmatrix:
        """Return TF-IDF rows for query texts, in this window's vocabulary (TF-IDF indexes only)."""
        if self.vectorizer is None:
            raise TypeError("text_vectors() needs an index built by RelatedIndex.from_texts()")
        if not self.stories:
            return sparse.csr_matrix((len(texts), 0), dtype=np.float32)
        return self.vectorizer.transform(texts)

    def __len__(self) -> int:
        return len(self.stories)

    def similarities(self, queries: np.ndarray | sparse.spmatrix) -> np.ndarray:
        """Return the cosine similarities of query rows (unit vectors) to every candidate, ``(q, n)``."""
        if not self.stories:
            return np.zeros((queries.shape[0], 0), dtype=np.float32)
        if sparse.issparse(self.vectors):
            product = queries @ self.vectors.T
            return np.asarray(product.toarray() if sparse.issparse(product) else product, dtype=np.float32)
        queries = np.asarray(queries, dtype=np.float32)
        if self.mean is not None:
            queries = normalise_rows(queries - self.mean)
        return queries @ self.vectors.T

    def related(
        self,
        story: StoryMeta,
        vector: np.ndarray | sparse.spmatrix,
        *,
        k: int = DEFAULT_K,
        weights: RelatedWeights = DEFAULT_WEIGHTS,
    ) -> list[RelatedHit]:
        """Return the ``k`` best candidates for one story, best first."""
        if not sparse.issparse(vector):
            vector = np.asarray(vector, dtype=np.float32).reshape(1, -1)
        return self.related_many([story], vector, k=k, weights=weights)[0]

    def related_many(
        self,
        stories: Sequence[StoryMeta],
        vectors: np.ndarray | sparse.spmatrix,
        *,
        k: int = DEFAULT_K,
        weights: RelatedWeights = DEFAULT_WEIGHTS,
        block: int = 512,
    ) -> list[list[RelatedHit]]:
        """Return the ``k`` best candidates for each story, in blocks so memory stays ``block x n``."""
        results: list[list[RelatedHit]] = []
        for start in range(0, len(stories), block):
            sims = self.similarities(vectors[start : start + block])
            for row, story in enumerate(stories[start : start + block]):
                results.append(self._top(story, sims[row], k, weights))
        return results

    def scores(self, story: StoryMeta, sims: np.ndarray, weights: RelatedWeights = DEFAULT_WEIGHTS) -> np.ndarray:
        """Return every candidate's score for a story given its similarities; ``-inf`` marks the ineligible.

        The score is symmetric (similarity, shared tickers and time apart are), so it also tells whether the
        story belongs in a candidate's own related list.
        """
        scores = sims.astype(np.float64)
        if story.tickers and weights.ticker_bonus:
            shared = np.zeros(len(self.stories), dtype=np.float64)
            for symbol in story.tickers:
                shared[self._by_ticker.get(symbol, [])] += 1
            scores += weights.ticker_bonus * np.minimum(shared, weights.max_shared_tickers)
        if story.published is not None and weights.recency_bonus:
            days = np.abs(self._times - story.published.timestamp()) / 86400.0
            closeness = np.where(np.isnan(days), 0.0, np.exp2(-days / weights.recency_half_life_days))
            scores += weights.recency_bonus * closeness
        scores[sims < weights.min_similarity] = -np.inf
        scores[self._by_key.get(story.key, [])] = -np.inf
        if story.cluster:
            scores[self._by_cluster.get(story.cluster, [])] = -np.inf
        return scores

    def _top(self, story: StoryMeta, sims: np.ndarray, k: int, weights: RelatedWeights) -> list[RelatedHit]:
        if sims.size == 0 or k <= 0:
            return []
        scores = self.scores(story, sims, weights)
        count = min(k, int(np.isfinite(scores).sum()))
        if count == 0:
            return []
        top = np.argpartition(-scores, count - 1)[:count]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [RelatedHit(key=self.stories[i].key, score=round(float(scores[i]), 6)) for i in top]
