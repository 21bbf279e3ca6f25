"""Enrichment speed on Reuters-21578: everything but the embedding, against the embedding alone, in one run.

"Enrichment" is what ingest computes in its transaction: tickers, sections, figures, sentiment, related-teaser
tickers (:func:`~tickerwire.enrich.pipeline.enrich_without_embedding`) and the cluster MinHash. The embedding
is the default backend on each story's lead, batched as ``tickerwire enrich --with-embedding`` does it.
The target: enrichment costs no more than 1.5x the embedding alone (ratio printed last).

    .venv/bin/python bench/enrich.py [--limit N] [--embed-limit N]

``--embed-limit`` embeds only the first N of the stories (the ratio is per story, so a large fixed sample
is a fair stand-in when the whole split takes too long on a shared machine); both limits are printed.
"""

from __future__ import annotations

import argparse
import sys
import time

from reuters_stories import load_train

from tickerwire.enrich.clusters import story_minhash
from tickerwire.enrich.embeddings import embed_drafts, get_backend
from tickerwire.enrich.pipeline import enrich_without_embedding
from tickerwire.enrich.tickers import default_directory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="enrich the first N train stories (default: all)")
    parser.add_argument("--embed-limit", type=int, default=None, help="embed the first N of them (default: all)")
    args = parser.parse_args(argv)

    drafts = [story.draft for story in load_train(args.limit)]
    embed_drafts_sample = drafts[: args.embed_limit] if args.embed_limit else drafts

    started = time.perf_counter()
    directory = default_directory()
    enrich_without_embedding(drafts[0], directory=directory)  # warm the tagger and section model
    warm = time.perf_counter() - started
    started = time.perf_counter()
    for draft in drafts:
        enrich_without_embedding(draft, directory=directory)
        story_minhash(draft)
    enrich_seconds = time.perf_counter() - started

    started = time.perf_counter()
    backend = get_backend({"default": {"BACKEND": "tickerwire.enrich.embeddings.OnnxMiniLM"}})
    assert backend is not None
    cold = time.perf_counter() - started
    started = time.perf_counter()
    embed_drafts(embed_drafts_sample, backend)
    embed_seconds = time.perf_counter() - started

    enrich_rate = len(drafts) / enrich_seconds
    embed_rate = len(embed_drafts_sample) / embed_seconds
    print(f"Reuters-21578 train: {len(drafts)} stories enriched, {len(embed_drafts_sample)} embedded")
    print(f"  enrichment without embedding  {enrich_rate:8.1f} stories/s   (first story, loading models: {warm:.2f} s)")
    print(f"  embedding alone ({backend.model_name})  {embed_rate:8.1f} stories/s   (cold start {cold:.2f} s)")
    print(f"  cost ratio enrichment/embedding per story  {embed_rate / enrich_rate:.3f}   (target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
