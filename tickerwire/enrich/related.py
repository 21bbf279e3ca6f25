"""Related stories: rank a recent window of stories against one story, brute force in numpy; no Django here.

The similarity of a candidate blends two views of the stories, both cosines of unit vectors:

* sentence embeddings, centred on the window's mean and spread along the window's principal directions
  (the broad subjects the window's stories differ by: earnings, takeovers, trade, ...);
* shared words: log-scaled counts of the full text's words, stop words left out, weighted by the words'
  inverse document frequency in the window to a power below 1 (``IDF_POWER``).

Without an embedding backend, the shared words are the only view (bench/related_eval.py: better than TF-IDF
over the leads, and nothing to fit on the window). The score adds the candidate's mean similarity to the
story's best neighbours (pseudo-relevance feedback: a candidate close to the whole neighbourhood beats one
close to the story by a single name), a bonus per shared ticker weighed by how few of the window's stories
carry it (only for a candidate similar enough) and a small bonus for being published close in time.
In a window of 80 stories or more, the best 50 candidates by that score are then re-scored by their
own neighbourhoods, their 20 most similar stories in the window: the story's mean similarity to them is
added (a candidate whose neighbours are about the story's subject), the candidate's own mean similarity to
them taken off (a hub, close to many stories, is no more related to this one for it: the local scaling of
similarity known as CSLS); the other candidates drop out. The story itself, its other revisions (same key)
and its cluster (updates and rewrites of the same story, :mod:`tickerwire.enrich.clusters`) are never
related to it; bench/related_eval.py measures each part (the re-ranking's defaults chosen on half of its
queries, reported on the other half too).
DESIGN.md keeps the vectors in the database and ranks in the application: indexing a window of 20,000
stories takes about 0.15-0.2 s of one core (most of it spreading the embeddings), ranking one story about
30 ms (about 20 of them the re-ranking), 15 ms by words alone.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from tickerwire.enrich.embeddings import normalise_rows
from tickerwire.enrich.hashing import hashed_rows

DEFAULT_K = 5
# Share of the similarity that comes from the embeddings when the index also has word vectors.
EMBEDDING_SHARE = 0.25
# Embedding axes are scaled by the window's variance along them to this power (0: centring only).
SPREAD_POWER = 0.5
# Word counts are weighted by their inverse document frequency in the window to this power (0: no IDF).
IDF_POWER = 0.75

# Words are hashed into a fixed space, so a story's word vector needs no vocabulary fitted on a corpus and
# can be computed once and kept; 2**20 buckets make collisions between a window's words rare.
WORD_FEATURES = 2**20
_WORDS = HashingVectorizer(
    n_features=WORD_FEATURES,
    token_pattern=r"(?u)\b[^\W\d_][^\W\d_]+\b",  # words of two letters or more; numbers say little of a subject
    stop_words="english",
    alternate_sign=False,
    norm=None,
    dtype=np.float32,
)


def word_vectors(texts: Sequence[str | Sequence[str]]) -> sparse.csr_matrix:
    """Return one unit row of log-scaled word counts per text (an empty text gets a zero row).

    A text may be given as its lines (a long story's, see :func:`tickerwire.enrich.hashing.hashed_rows`).
    """
    counts = hashed_rows([[text] if isinstance(text, str) else text for text in texts], _WORDS)
    counts.data = 1.0 + np.log(counts.data)
    return sparse.csr_matrix(normalize(counts), dtype=np.float32)


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

    expansion_neighbours: int = 30  # the story's best candidates whose mean similarity is added
    expansion_weight: float = 1.0
    # Per shared ticker, times the ticker's specificity in the window (1 for a ticker no other story has,
    # falling to 0 for one every story has), summed over at most ``max_shared_tickers`` of them, and only
    # for a candidate at least ``ticker_min_similarity`` similar (two stories on one company's results
    # share its ticker; a price report that lists the company among twenty does too, and is not related).
    # The bonus is large so that a company's other stories lead the list; on the bench's tune half it costs
    # 0.004 of P@5 against the best (0.03) bonus, whose effect there is nil.
    ticker_bonus: float = 1.0
    max_shared_tickers: int = 2
    ticker_min_similarity: float = 0.2
    recency_bonus: float = 0.03  # at zero time apart, halving every ``recency_half_life_days``
    recency_half_life_days: float = 2.0
    min_similarity: float = 0.1  # below this a candidate is unrelated, whatever else it shares
    # The best ``rerank_candidates`` by the score above are re-scored by their own neighbourhoods (their
    # ``rerank_neighbours`` most similar stories in the window); every other candidate drops out. These four,
    # the expansion, EMBEDDING_SHARE and IDF_POWER were chosen on the bench's tune half of the queries only
    # (``bench/related_eval.py --pools 800``: sites of 800 stories, as the held-out check ingests).
    rerank_candidates: int = 50
    rerank_neighbours: int = 20
    reciprocal_weight: float = 0.75  # the story's mean similarity to the candidate's neighbours is added
    hub_penalty: float = 1.0  # the candidate's mean similarity to its own neighbours is taken off


DEFAULT_WEIGHTS = RelatedWeights()


# At most this many similarities (float32) are kept per index by window_similarities: 32 MB.
ROW_CACHE_ELEMENTS = 8_000_000


def _timestamp(moment: datetime | None) -> float:
    return moment.timestamp() if moment is not None else math.nan


def _window_idf(words: sparse.spmatrix, power: float) -> np.ndarray:
    """Return each word column's smoothed inverse document frequency in a window, to ``power``."""
    rows = sparse.csr_matrix(words)
    frequency = np.bincount(rows.indices, minlength=rows.shape[1]).astype(np.float32)
    return ((1.0 + np.log((1.0 + rows.shape[0]) / (1.0 + frequency))) ** power).astype(np.float32)


class RelatedIndex:
    """A window of candidate stories: unit vectors (dense embeddings, or sparse word vectors) and word vectors."""

    def __init__(
        self,
        stories: Sequence[StoryMeta],
        vectors: np.ndarray | sparse.spmatrix,
        *,
        words: sparse.spmatrix | None = None,
        center: bool = True,
        spread: float = SPREAD_POWER,
        embedding_share: float = EMBEDDING_SHARE,
        idf_power: float = IDF_POWER,
        fitted: int | None = None,
    ) -> None:
        """Index the window; dense vectors are centred on its mean and spread when ``center``.

        Sentence embeddings share a common direction that makes every pair look somewhat alike; removing
        the window's mean spreads them out. Scaling each principal axis by the window's variance along it
        (to the power ``spread``) then weighs the broad subjects the window's stories differ by above the
        details. A covariance needs more stories than dimensions, so a smaller window is only centred.

        Word vectors (``words``, or sparse ``vectors``) are weighted by each word's inverse document
        frequency in the window, to the power ``idf_power``: a word half the window uses says less of a
        story's subject than one a few stories share. The mean, the spread and the IDF come from the first
        ``fitted`` rows (all when ``None``): a window holding the ranked story as its last row is not
        shifted towards it.
        """
        if vectors.shape[0] != len(stories) or (words is not None and words.shape[0] != len(stories)):
            raise ValueError(f"{len(stories)} stories but {vectors.shape[0]} vectors")
        self.stories = list(stories)
        self.mean: np.ndarray | None = None
        self.projection: np.ndarray | None = None
        fit = len(stories) if fitted is None else min(fitted, len(stories))
        word_source = words if words is not None else vectors if sparse.issparse(vectors) else None
        self._idf = _window_idf(word_source[:fit], idf_power) if word_source is not None and idf_power else None
        if sparse.issparse(vectors):
            self.vectors = self._weigh_words(vectors)
        else:
            self.vectors = np.asarray(vectors, dtype=np.float32)
            if center and fit > 1:
                self.mean = self.vectors[:fit].mean(axis=0)
                centred = self.vectors - self.mean
                if spread and fit > centred.shape[1]:
                    # One BLAS thread: on a busy machine a multi-threaded eigh of this small matrix waits
                    # on its threads for hundreds of milliseconds instead of taking tens on one core.
                    with threadpool_limits(limits=1, user_api="blas"):
                        variances, axes = np.linalg.eigh(centred[:fit].T @ centred[:fit])
                    scale = np.clip(variances, 0.0, None) ** (spread / 2)
                    self.projection = ((axes * scale) @ axes.T).astype(np.float32)
                    centred = centred @ self.projection
                self.vectors = normalise_rows(centred)
        self.words = self._weigh_words(words) if words is not None else None
        # Transposed once as CSR: a product of sparse rows with it is twice as fast as with a CSC transpose.
        self._vectors_t = self.vectors.T.tocsr() if sparse.issparse(self.vectors) else None
        self._words_t = self.words.T.tocsr() if self.words is not None else None
        self.embedding_share = embedding_share if words is not None else 1.0
        self._times = np.array([_timestamp(s.published) for s in self.stories], dtype=np.float64)
        self._row_cache: dict[int, np.ndarray] = {}  # window_similarities' rows
        self._by_ticker: dict[str, list[int]] = defaultdict(list)
        self._by_cluster: dict[str, list[int]] = defaultdict(list)
        self._by_key: dict[str, list[int]] = defaultdict(list)
        for index, story in enumerate(self.stories):
            for symbol in story.tickers:
                self._by_ticker[symbol].append(index)
            if story.cluster:
                self._by_cluster[story.cluster].append(index)
            self._by_key[story.key].append(index)

    def __len__(self) -> int:
        return len(self.stories)

    def _weigh_words(self, words: sparse.spmatrix) -> sparse.csr_matrix:
        """Return word rows weighted by the window's IDF and made unit again (unchanged without IDF)."""
        rows = sparse.csr_matrix(words, dtype=np.float32, copy=True)
        if self._idf is None or rows.shape[1] != self._idf.shape[0] or rows.shape[0] == 0:
            return rows
        rows.data *= self._idf[rows.indices]
        return sparse.csr_matrix(normalize(rows), dtype=np.float32)

    def similarities(self, queries: np.ndarray | sparse.spmatrix, words: sparse.spmatrix | None = None) -> np.ndarray:
        """Return the similarities of query rows (unit vectors) to every candidate, ``(q, n)``.

        An index with word vectors needs the queries' ``words`` too (from :func:`word_vectors`).
        """
        if not self.stories:
            return np.zeros((queries.shape[0], 0), dtype=np.float32)
        if words is not None:
            words = self._weigh_words(words)
        if sparse.issparse(self.vectors):
            queries = self._weigh_words(queries)
        else:
            queries = np.asarray(queries, dtype=np.float32)
            if self.mean is not None:
                queries = queries - self.mean
                if self.projection is not None:
                    queries = queries @ self.projection
                queries = normalise_rows(queries)
        return self._similarities_in_index(queries, words)

    def _similarities_in_index(
        self, vectors: np.ndarray | sparse.spmatrix, words: sparse.spmatrix | None
    ) -> np.ndarray:
        """Return the similarities of rows already in the index's space (centred and spread) to every candidate."""
        if sparse.issparse(self.vectors):
            product = vectors @ self._vectors_t
            sims = np.asarray(product.toarray() if sparse.issparse(product) else product, dtype=np.float32)
        else:
            sims = vectors @ self.vectors.T
        if self.words is None:
            return sims
        if words is None:
            raise TypeError("this index ranks by words too: pass the queries' word_vectors()")
        return self._blend(sims, np.asarray((words @ self._words_t).toarray(), dtype=np.float32))

    def _blend(self, embedding_sims: np.ndarray, word_sims: np.ndarray) -> np.ndarray:
        """Return the similarity of an index with word vectors: its two parts weighted by the share."""
        return self.embedding_share * embedding_sims + (1.0 - self.embedding_share) * word_sims

    def related(
        self,
        story: StoryMeta,
        vector: np.ndarray | sparse.spmatrix,
        *,
        words: sparse.spmatrix | None = None,
        k: int = DEFAULT_K,
        weights: RelatedWeights = DEFAULT_WEIGHTS,
    ) -> list[RelatedHit]:
        """Return the ``k`` best candidates for one story, best first."""
        if not sparse.issparse(vector):
            vector = np.asarray(vector, dtype=np.float32).reshape(1, -1)
        return self.related_many([story], vector, words=words, k=k, weights=weights)[0]

    def related_many(
        self,
        stories: Sequence[StoryMeta],
        vectors: np.ndarray | sparse.spmatrix,
        *,
        words: sparse.spmatrix | None = None,
        k: int = DEFAULT_K,
        weights: RelatedWeights = DEFAULT_WEIGHTS,
        block: int = 512,
    ) -> list[list[RelatedHit]]:
        """Return the ``k`` best candidates for each story, in blocks so memory stays ``block x n``."""
        results: list[list[RelatedHit]] = []
        for start in range(0, len(stories), block):
            rows = slice(start, start + block)
            sims = self.similarities(vectors[rows], None if words is None else words[rows])
            for row, story in enumerate(stories[rows]):
                results.append(self._top(story, sims[row], k, weights))
        return results

    def neighbourhood_similarities(self, candidates: np.ndarray) -> np.ndarray:
        """Return every candidate's mean similarity to the given candidates.

        Similarity is symmetric, so this is the mean of the candidates' own rows of window similarities
        (kept by :meth:`window_similarities`, which the re-rank asks for too), the same as the similarity to
        their centroid (by linearity) without building a dense centroid as wide as the word vocabulary.
        """
        if len(candidates) == 0:
            return np.zeros(len(self.stories), dtype=np.float64)
        return self.window_similarities(np.asarray(candidates)).astype(np.float64).mean(axis=0)

    def scores(self, story: StoryMeta, sims: np.ndarray, weights: RelatedWeights = DEFAULT_WEIGHTS) -> np.ndarray:
        """Return every candidate's score for a story given its similarities; ``-inf`` marks the ineligible."""
        eligible = sims >= weights.min_similarity
        eligible[self._by_key.get(story.key, [])] = False
        if story.cluster:
            eligible[self._by_cluster.get(story.cluster, [])] = False
        scores = sims.astype(np.float64)
        pool = np.flatnonzero(eligible)
        if weights.expansion_weight and weights.expansion_neighbours > 0 and pool.size:
            count = min(weights.expansion_neighbours, pool.size)
            best = pool[np.argpartition(-sims[pool], count - 1)[:count]]
            scores += weights.expansion_weight * self.neighbourhood_similarities(best)
        if story.tickers and weights.ticker_bonus:
            scores += weights.ticker_bonus * self.shared_tickers(story, sims, weights)
        if story.published is not None and weights.recency_bonus:
            days = np.abs(self._times - story.published.timestamp()) / 86400.0
            closeness = np.where(np.isnan(days), 0.0, np.exp2(-days / weights.recency_half_life_days))
            scores += weights.recency_bonus * closeness
        scores[~eligible] = -np.inf
        if self._reranks(weights) and pool.size:
            count = min(weights.rerank_candidates, pool.size)
            chosen = pool[np.argpartition(-scores[pool], count - 1)[:count]]
            reranked = np.full_like(scores, -np.inf)
            reranked[chosen] = scores[chosen] + self._neighbourhood_agreement(story, chosen, sims, weights)
            scores = reranked
        return scores

    def ticker_specificity(self, symbol: str) -> float:
        """Return how specific a ticker is in this window: 1 when no other story has it, 0 when all do.

        The share of the window's stories carrying it, on a log scale (an IDF scaled to 0..1): a company's
        own ticker on a handful of stories counts nearly fully, one in every market report hardly at all.
        """
        total = len(self.stories) + 1  # the window and the story itself
        carrying = len(self._by_ticker.get(symbol, ())) + 1
        return max(0.0, math.log(total / carrying) / math.log(total)) if total > 1 else 0.0

    def shared_tickers(self, story: StoryMeta, sims: np.ndarray, weights: RelatedWeights) -> np.ndarray:
        """Return each candidate's shared tickers weighed by their specificity (at most the best few counted).

        Candidates less similar than ``ticker_min_similarity`` get nothing for them.
        """
        weighed = np.zeros((max(len(story.tickers), 1), len(self.stories)), dtype=np.float64)
        for row, symbol in enumerate(sorted(story.tickers)):
            weighed[row, self._by_ticker.get(symbol, [])] = self.ticker_specificity(symbol)
        count = min(weights.max_shared_tickers, weighed.shape[0])
        best = -np.sort(-weighed, axis=0)[:count].sum(axis=0) if count > 0 else np.zeros(len(self.stories))
        return np.where(sims >= weights.ticker_min_similarity, best, 0.0)

    def _reranks(self, weights: RelatedWeights) -> bool:
        """Return whether candidates are re-scored by their neighbourhoods in this window.

        Their neighbours must be a small part of the window (a quarter at most): in a window hardly larger
        than a neighbourhood, a candidate's neighbours are nearly every other story, and the story's mean
        similarity to them falls as its similarity to the candidate itself rises.
        """
        active = weights.rerank_candidates > 0 and (weights.reciprocal_weight or weights.hub_penalty)
        return bool(active) and weights.rerank_neighbours > 0 and len(self.stories) >= 4 * weights.rerank_neighbours

    def window_similarities(self, rows: np.ndarray) -> np.ndarray:
        """Return the similarities of some of the window's stories to every story of the window, ``(rows, n)``.

        Rows computed once are kept with the index (up to :data:`ROW_CACHE_ELEMENTS` numbers): ranking a new
        story re-scores it as each of its closest older stories would rank it, and those passes ask for
        the neighbourhoods of much the same candidates again.
        """
        wanted = [int(row) for row in np.asarray(rows).ravel()]
        missing = list(dict.fromkeys(row for row in wanted if row not in self._row_cache))
        computed: dict[int, np.ndarray] = {}
        if missing:
            words = None if self.words is None else self.words[missing]
            block = self._similarities_in_index(self.vectors[missing], words)
            computed = dict(zip(missing, block, strict=True))
            if (len(self._row_cache) + len(missing)) * max(len(self.stories), 1) <= ROW_CACHE_ELEMENTS:
                self._row_cache.update(computed)
        if not wanted:
            return np.zeros((0, len(self.stories)), dtype=np.float32)
        return np.stack([computed[row] if row in computed else self._row_cache[row] for row in wanted])

    def _neighbourhood_agreement(
        self, story: StoryMeta, candidates: np.ndarray, sims: np.ndarray, weights: RelatedWeights
    ) -> np.ndarray:
        """Return how well each candidate's own neighbourhood agrees with the story, added to its score.

        A candidate's neighbours are its most similar stories in the window, leaving out itself, its other
        revisions and its cluster (its own copies) and the story. The story's mean similarity to them is
        added (a candidate whose whole neighbourhood is about the story's subject), and the candidate's
        mean similarity to them is taken off (a hub, close to many stories, is close to them too: the
        local scaling of cross-domain similarity, "CSLS").
        """
        own = self.window_similarities(candidates)
        own[:, self._by_key.get(story.key, [])] = -np.inf
        for row, index in enumerate(candidates):
            candidate = self.stories[index]
            own[row, self._by_key[candidate.key]] = -np.inf
            if candidate.cluster:
                own[row, self._by_cluster[candidate.cluster]] = -np.inf
        count = min(weights.rerank_neighbours, own.shape[1])
        neighbours = np.argpartition(-own, count - 1, axis=1)[:, :count]
        closeness = np.take_along_axis(own, neighbours, axis=1).astype(np.float64)
        valid = np.isfinite(closeness)
        found = np.maximum(valid.sum(axis=1), 1)
        reciprocal = np.where(valid, sims[neighbours], 0.0).sum(axis=1) / found
        hub = np.where(valid, closeness, 0.0).sum(axis=1) / found
        return weights.reciprocal_weight * reciprocal - weights.hub_penalty * hub

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
