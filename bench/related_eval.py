"""Related stories on Reuters-21578: precision@5, where a hit shares a topic with the story.

Every train story with a topic is a query; the pool is every train story. Methods, measured in one run:

* ``tfidf-cosine`` — the baseline: TF-IDF (sublinear tf) cosine over headline + full text;
* ``embedding`` — cosine of the MiniLM embeddings of the embedded text (``--text lead`` or ``full``);
* ``related`` — what the site ranks with: :class:`~tickerwire.enrich.related.RelatedIndex` with its defaults
  (spread embeddings blended with shared words of the full text, expanded by the best neighbours, plus
  shared title tickers and closeness in time, the best 50 re-scored by their own neighbourhoods), the
  story's own cluster excluded (clusters from :class:`~tickerwire.enrich.clusters.ClusterIndex`), exactly
  as ingest stores them;
* ablations of that ranking, one part left out at a time, and the site's fallback without embeddings
  (the shared words alone, with the same expansion and bonuses).

The queries are split in two halves by a hash of the story's key (:func:`half_of`). The re-ranking's
defaults (how many candidates, how many neighbours, its two weights) were chosen on the ``tune`` half only;
the older defaults (embedding share, spread power, expansion, bonuses) were set on all queries before the
split existed and were only checked on the tune half (they sit on a plateau there). Every line gives
precision@k on the queries of ``--split`` and, for ``all``, on each half too; the TF-IDF baseline is
measured on the same queries.

``--pools 800`` measures what the held-out check measures, a site that ingested 800 stories: the train
stories are cut into consecutive pools of 800 (corpus order is time order), each ranked as its own site with
the tickers the site's tagger stores, the TF-IDF baseline fitted on the pool alone; precision@k is given on
the TUNE and REPORT halves of the queries. The embedding share, IDF power, expansion and reciprocal weight
were chosen by coordinate search on TUNE of that measure only (REPORT was printed for the final choices).

Embeddings are cached under ``var/bench/`` (keyed by model, text mode and the stories' texts) because
embedding 9,603 stories takes minutes. Run::

    .venv/bin/python bench/related_eval.py [--limit N] [--text lead|full] [--k 5] [--ablations]
        [--split all|tune|report] [--pools 800]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from reuters_stories import ReutersStory, load_train
from sklearn.feature_extraction.text import TfidfVectorizer

from tickerwire.enrich.clusters import ClusterIndex, story_minhash
from tickerwire.enrich.embeddings import LEAD_CHARS, EmbeddingBackend, embedding_text, get_backend
from tickerwire.enrich.related import DEFAULT_WEIGHTS, RelatedHit, RelatedIndex, RelatedWeights, StoryMeta, word_vectors
from tickerwire.enrich.tickers import default_directory, tag_draft

CACHE = Path(__file__).resolve().parents[1] / "var" / "bench"


def texts_for(stories: list[ReutersStory], mode: str) -> list[str]:
    """Return the text each story is embedded by: its lead (the site's choice) or its full text."""
    lead_chars = LEAD_CHARS if mode == "lead" else None
    return [embedding_text(story.draft, lead_chars=lead_chars) for story in stories]


def cached_embeddings(texts: list[str], backend: EmbeddingBackend, mode: str) -> tuple[np.ndarray, float | None]:
    """Return the texts' embeddings and texts/s (``None`` when read from the cache)."""
    digest = hashlib.sha256("\x1e".join(texts).encode("utf-8")).hexdigest()[:16]
    path = CACHE / f"related-{backend.model_name}-{mode}-{len(texts)}-{digest}.npy"
    if path.exists():
        return np.load(path), None
    started = time.perf_counter()
    vectors = backend.embed(texts)
    rate = len(texts) / (time.perf_counter() - started)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors, rate


def precision_at_k(stories: list[ReutersStory], hits: list[list[int]], queries: list[int], k: int) -> float:
    """Return the mean share of each query's k hits that share a topic with it (a missing hit is a miss)."""
    total = 0.0
    for query, found in zip(queries, hits, strict=True):
        total += sum(1 for j in found[:k] if stories[query].topics & stories[j].topics) / k
    return total / len(queries)


def half_of(story: ReutersStory) -> str:
    """Return the half of the queries a story belongs to, ``"tune"`` or ``"report"``, from a hash of its key."""
    return "tune" if hashlib.sha256(story.draft.key.encode("utf-8")).digest()[0] % 2 == 0 else "report"


def split_queries(stories: list[ReutersStory], split: str) -> list[int]:
    """Return the positions of the stories with a topic in ``split`` (``all``, ``tune`` or ``report``)."""
    return [i for i, s in enumerate(stories) if s.topics and split in ("all", half_of(s))]


def top_by_cosine(matrix, queries: list[int], k: int, block: int = 512) -> list[list[int]]:  # noqa: ANN001
    """Return each query's k most similar other rows by plain cosine (rows are unit vectors)."""
    results: list[list[int]] = []
    for start in range(0, len(queries), block):
        rows = queries[start : start + block]
        sims = matrix[rows] @ matrix.T
        sims = sims.toarray() if hasattr(sims, "toarray") else np.asarray(sims)
        for offset, query in enumerate(rows):
            sims[offset, query] = -np.inf
            top = np.argpartition(-sims[offset], k)[:k]
            results.append([int(j) for j in top[np.argsort(-sims[offset, top])]])
    return results


def clusters_of(stories: list[ReutersStory]) -> list[str]:
    """Return each story's cluster key as ingest would assign it, in corpus (time) order."""
    index = ClusterIndex(window=len(stories) + 1)
    return [index.assign(s.draft.key, story_minhash(s.draft), published=s.published) for s in stories]


def story_metas(
    stories: list[ReutersStory], clusters: list[str], tickers: list[frozenset[str]] | None = None
) -> list[StoryMeta]:
    """Return what ranking needs of each story, with its cluster key (and ``tickers`` instead of the title's)."""
    return [
        StoryMeta(s.draft.key, clusters[i], s.tickers if tickers is None else tickers[i], s.published)
        for i, s in enumerate(stories)
    ]


def site_tickers(stories: list[ReutersStory]) -> list[frozenset[str]]:
    """Return the symbols the site's tagger stores for each story (what an ingested story is ranked with)."""
    directory = default_directory()
    return [frozenset(tag.symbol for tag in tag_draft(s.draft, directory)) for s in stories]


def related_hits(
    stories: list[ReutersStory],
    vectors: np.ndarray,
    clusters: list[str],
    queries: list[int],
    k: int,
    weights: RelatedWeights = DEFAULT_WEIGHTS,
    tickers: list[frozenset[str]] | None = None,
    **index_options: Any,
) -> list[list[int]]:
    """Return each query's hits from the production ranking (own key and cluster excluded).

    The index gets the word vectors of the stories' full texts, as ingest's window does, unless
    ``index_options`` says otherwise (``words=None`` ranks by the embeddings alone). Stories carry their
    title tickers unless ``tickers`` gives others (:func:`site_tickers`).
    """
    metas = story_metas(stories, clusters, tickers)
    if "words" not in index_options:
        index_options["words"] = word_vectors(texts_for(stories, "full"))
    words = index_options["words"]
    index = RelatedIndex(metas, vectors, **index_options)
    query_words = None if words is None else words[queries]
    found = index.related_many([metas[q] for q in queries], vectors[queries], words=query_words, k=k, weights=weights)
    return _positions(stories, found)


def fallback_hits(
    stories: list[ReutersStory],
    clusters: list[str],
    queries: list[int],
    k: int,
    tickers: list[frozenset[str]] | None = None,
) -> list[list[int]]:
    """Return each query's hits from the site's ranking without an embedding backend (shared words alone)."""
    metas = story_metas(stories, clusters, tickers)
    words = word_vectors(texts_for(stories, "full"))
    found = RelatedIndex(metas, words).related_many([metas[q] for q in queries], words[queries], k=k)
    return _positions(stories, found)


def tfidf_hits(stories: list[ReutersStory], queries: list[int], k: int) -> list[list[int]]:
    """Return each query's hits from the baseline: TF-IDF cosine of headline + full text, fitted on ``stories``."""
    texts = [s.draft.headline + "\n" + s.draft.body_text() for s in stories]
    return top_by_cosine(TfidfVectorizer(sublinear_tf=True, dtype=np.float32).fit_transform(texts), queries, k)


def pools_of(count: int, size: int) -> list[range]:
    """Return consecutive pools of ``size`` stories (corpus order is time order); a short tail joins the last."""
    starts = list(range(0, count, size))
    if len(starts) > 1 and count - starts[-1] < size // 2:
        starts.pop()
    return [range(start, starts[n + 1] if n + 1 < len(starts) else count) for n, start in enumerate(starts)]


Ranker = Callable[[list[ReutersStory], np.ndarray, list[str], list[frozenset[str]], list[int]], list[list[int]]]


def pooled_precision(
    stories: list[ReutersStory],
    vectors: np.ndarray,
    clusters: list[str],
    tickers: list[frozenset[str]],
    size: int,
    k: int,
    ranker: Ranker,
) -> dict[str, float]:
    """Return precision@k of ``ranker`` with each pool of ``size`` stories as its own site, per query half.

    Each pool is what a site that ingested only those stories holds: queries and candidates come from the
    pool, and the ranker sees only the pool's stories (a baseline fits its IDF on the pool alone).
    """
    totals = {"tune": 0.0, "report": 0.0}
    counts = {"tune": 0, "report": 0}
    for pool in pools_of(len(stories), size):
        members = [stories[i] for i in pool]
        queries = split_queries(members, "all")
        hits = ranker(members, vectors[pool.start : pool.stop], clusters[pool.start : pool.stop],
                      tickers[pool.start : pool.stop], queries)
        for query, found in zip(queries, hits, strict=True):
            half = half_of(members[query])
            totals[half] += sum(1 for j in found[:k] if members[query].topics & members[j].topics) / k
            counts[half] += 1
    return {half: totals[half] / max(counts[half], 1) for half in totals}


def _positions(stories: list[ReutersStory], found: list[list[RelatedHit]]) -> list[list[int]]:
    position = {s.draft.key: i for i, s in enumerate(stories)}
    return [[position[hit.key] for hit in hits] for hits in found]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="use the first N train stories (default: all)")
    parser.add_argument("--text", choices=("lead", "full"), default="lead", help="what is embedded")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--ablations", action="store_true", help="also rank with each part left out")
    parser.add_argument(
        "--split", choices=("all", "tune", "report"), default="all", help="which queries (defaults chosen on tune)"
    )
    parser.add_argument(
        "--pools", type=int, default=0, metavar="SIZE",
        help="rank within consecutive pools of SIZE stories, each as its own site, with the site's tagged tickers",
    )
    args = parser.parse_args(argv)

    stories = load_train(args.limit)
    if args.pools:
        return pools_main(stories, args)
    queries = split_queries(stories, args.split)
    halves = {half: [n for n, q in enumerate(queries) if half_of(stories[q]) == half] for half in ("tune", "report")}
    print(f"{len(stories)} train stories, {len(queries)} queries with a topic ({args.split}: "
          f"{len(halves['tune'])} tune, {len(halves['report'])} report), k={args.k}, text={args.text}")

    def figure(hits: list[list[int]]) -> str:
        """Return precision@k of the hits, and of each half's share of them when both halves are ranked."""
        text = f"P@{args.k} {precision_at_k(stories, hits, queries, args.k):.4f}"
        if args.split == "all":
            parts = [
                f"{half} {precision_at_k(stories, [hits[n] for n in rows], [queries[n] for n in rows], args.k):.4f}"
                for half, rows in halves.items()
            ]
            text += f" ({', '.join(parts)})"
        return text

    started = time.perf_counter()
    full_texts = [s.draft.headline + "\n" + s.draft.body_text() for s in stories]
    tfidf = TfidfVectorizer(sublinear_tf=True, dtype=np.float32).fit_transform(full_texts)
    baseline_hits = top_by_cosine(tfidf, queries, args.k)
    baseline = precision_at_k(stories, baseline_hits, queries, args.k)
    print(f"  tfidf-cosine (baseline)   {figure(baseline_hits)}   ({time.perf_counter() - started:.1f} s)")

    cold = time.perf_counter()
    backend = get_backend({"default": {"BACKEND": "tickerwire.enrich.embeddings.OnnxMiniLM"}})
    assert backend is not None
    print(f"  model load (cold start)   {time.perf_counter() - cold:.2f} s")
    vectors, rate = cached_embeddings(texts_for(stories, args.text), backend, args.text)
    print(f"  embedding speed           {rate:.1f} texts/s" if rate else "  embedding speed           (cached)")

    plain_hits = top_by_cosine(vectors, queries, args.k)
    plain = precision_at_k(stories, plain_hits, queries, args.k)
    print(f"  embedding-cosine          {figure(plain_hits)}   ratio to baseline {plain / baseline:.3f}")

    clusters = clusters_of(stories)
    started = time.perf_counter()
    hits = related_hits(stories, vectors, clusters, queries, args.k)
    elapsed = time.perf_counter() - started
    ranked = precision_at_k(stories, hits, queries, args.k)
    print(f"  related (site ranking)    {figure(hits)}   ratio to baseline {ranked / baseline:.3f}   "
          f"({len(queries) / elapsed:.0f} queries/s over a {len(stories)}-story window)")
    short = sum(1 for h in hits if len(h) < args.k)
    print(f"  queries with < {args.k} hits     {short} (candidates below the minimum similarity)")

    fallback_found = fallback_hits(stories, clusters, queries, args.k)
    fallback = precision_at_k(stories, fallback_found, queries, args.k)
    print(f"  fallback (no embeddings)  {figure(fallback_found)}   ratio to baseline {fallback / baseline:.3f}")
    if args.ablations:
        for name, weights, options in ablations():
            found = related_hits(stories, vectors, clusters, queries, args.k, weights, **options)
            print(f"  related {name:17s} {figure(found)}")
    return 0


def pools_main(stories: list[ReutersStory], args: argparse.Namespace) -> int:
    """Print precision@k per query half with each pool of ``--pools`` stories ranked as its own site."""
    pools = pools_of(len(stories), args.pools)
    print(f"{len(stories)} train stories in {len(pools)} pools of about {args.pools}, k={args.k}, "
          f"text={args.text}, tickers as the site tags them; weights were tuned on the tune half only")
    backend = get_backend({"default": {"BACKEND": "tickerwire.enrich.embeddings.OnnxMiniLM"}})
    assert backend is not None
    vectors, _rate = cached_embeddings(texts_for(stories, args.text), backend, args.text)
    clusters = clusters_of(stories)
    tickers = site_tickers(stories)
    rankers: list[tuple[str, Ranker]] = [
        ("tfidf-cosine (baseline)", lambda members, _v, _c, _t, queries: tfidf_hits(members, queries, args.k)),
        ("related (site ranking)", lambda members, v, c, t, queries: related_hits(members, v, c, queries, args.k,
                                                                                   tickers=t)),
        ("fallback (no embeddings)", lambda members, _v, c, t, queries: fallback_hits(members, c, queries, args.k, t)),
    ]
    if args.ablations:
        for name, weights, options in ablations():
            rankers.append((f"related {name}", partial(_ablated, k=args.k, weights=weights, options=options)))
    baseline: dict[str, float] = {}
    for name, ranker in rankers:
        figures = pooled_precision(stories, vectors, clusters, tickers, args.pools, args.k, ranker)
        baseline = baseline or figures
        gain = ", ".join(f"{h} {figures[h] - baseline[h]:+.4f}" for h in figures)
        print(f"  {name:27s} TUNE P@{args.k} {figures['tune']:.4f}  REPORT P@{args.k} {figures['report']:.4f}"
              f"   vs baseline: {gain}")
    return 0


def _ablated(
    members: list[ReutersStory], vectors: np.ndarray, clusters: list[str], tickers: list[frozenset[str]],
    queries: list[int], *, k: int, weights: RelatedWeights, options: dict[str, Any],
) -> list[list[int]]:
    return related_hits(members, vectors, clusters, queries, k, weights, tickers, **dict(options))


def ablations() -> list[tuple[str, RelatedWeights, dict[str, Any]]]:
    """Return the site's ranking with one part left out (or changed) at a time."""
    return [
        ("- words", DEFAULT_WEIGHTS, {"words": None}),
        ("- spread", DEFAULT_WEIGHTS, {"spread": 0.0}),
        ("- expansion", replace(DEFAULT_WEIGHTS, expansion_weight=0.0), {}),
        ("- re-ranking", replace(DEFAULT_WEIGHTS, rerank_candidates=0), {}),
        ("- reciprocal", replace(DEFAULT_WEIGHTS, reciprocal_weight=0.0), {}),
        ("- hub penalty", replace(DEFAULT_WEIGHTS, hub_penalty=0.0), {}),
        ("- recency", replace(DEFAULT_WEIGHTS, recency_bonus=0.0), {}),
        ("- tickers", replace(DEFAULT_WEIGHTS, ticker_bonus=0.0), {}),
    ]


if __name__ == "__main__":
    sys.exit(main())
