"""Train the section heads on ../shared/data and write tickerwire/enrich/data/sections_model.npz.

Usage: ``python scripts/train_sections.py [--data ../shared/data] [--out PATH] [--embedding-out PATH]
[--cache var/embedding_cache]``. It trains on everything in the shared parts (Reuters-21578 train split;
AG News + de-duplicated BBC), word heads into ``--out`` and the news embedding head (on MiniLM vectors of
``embedding_text``, cached under ``--cache``) into ``--embedding-out``, and prints the models' sizes.
Held-out figures come from ``python bench/sections_eval.py``, which trains the same way on a split.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from lab.embedding_cache import cached_embeddings  # noqa: E402
from lab.section_corpora import REUTERS_SECTIONS, as_draft, read_news, read_reuters  # noqa: E402
from lab.section_training import (  # noqa: E402
    fit_embedding_head,
    fit_multiclass_head,
    fit_multilabel_head,
)
from tickerwire.enrich.embeddings import embedding_text, get_backend  # noqa: E402
from tickerwire.enrich.section_model import save_embedding_heads, save_heads  # noqa: E402
from tickerwire.enrich.sections import EMBEDDING_MODEL_PATH, MODEL_PATH  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Train both heads on the full shared corpora and save them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--embedding-out", type=Path, default=EMBEDDING_MODEL_PATH)
    parser.add_argument("--cache", type=Path, default=REPO / "var" / "embedding_cache")
    parser.add_argument("--skip-words", action="store_true", help="train only the embedding head")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    reuters = read_reuters(args.data / "reuters21578" / "train.jsonl")
    news = read_news(args.data)
    if not args.skip_words:
        reuters_head = fit_multilabel_head(
            "reuters", [d.text for d in reuters], [d.sections for d in reuters], REUTERS_SECTIONS
        )
        news_head = fit_multiclass_head("news", [d.text for d in news], [d.sections[0] for d in news])
        save_heads(args.out, [reuters_head, news_head])
        print(f"reuters head: {len(reuters)} stories, {reuters_head.columns.size} weighted buckets")
        print(f"news head: {len(news)} stories, {news_head.columns.size} weighted buckets")
        print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB) in {time.perf_counter() - started:.1f}s")
    backend = get_backend()
    if backend is None:
        raise SystemExit("embeddings are turned off (TICKERWIRE_EMBEDDINGS=none); the embedding head needs them")
    vectors = cached_embeddings([embedding_text(as_draft(d)) for d in news], backend, args.cache)
    embedding_head = fit_embedding_head("news", [d.text for d in news], vectors, [d.sections[0] for d in news],
                                        backend.model_name)
    save_embedding_heads(args.embedding_out, [embedding_head])
    print(f"news embedding head: {len(news)} stories, {backend.model_name}")
    print(f"wrote {args.embedding_out} ({args.embedding_out.stat().st_size / 1e3:.1f} kB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
