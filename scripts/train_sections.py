"""Train the section model on the TRAIN parts, calibrate it on CALIBRATE, and write the shipped files.

Usage: ``python scripts/train_sections.py [--data ../shared/data] [--out PATH] [--embedding-out PATH]
[--cache var/embedding_cache]``. The parts are those of :mod:`lab.section_splits` (a hash of the story id),
so the REPORT part of ``bench/sections_eval.py`` stays unseen by the shipped model and its REPORT figure
is the shipped model's. Word heads and the words-only calibration go into ``--out``; the news embedding
head (on MiniLM vectors of ``embedding_text``, cached under ``--cache``) and its calibration into
``--embedding-out``. The run is deterministic (fixed folds and seeds).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from lab.section_corpora import read_news, read_reuters  # noqa: E402
from lab.section_eval import cached_vectors, fit_and_calibrate  # noqa: E402
from lab.section_splits import NEWS_PARTS, REUTERS_PARTS, split  # noqa: E402
from tickerwire.enrich.embeddings import get_backend  # noqa: E402
from tickerwire.enrich.section_model import save_embedding_heads, save_heads  # noqa: E402
from tickerwire.enrich.sections import EMBEDDING_MODEL_PATH, MODEL_PATH  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Fit, calibrate and save the section model."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--embedding-out", type=Path, default=EMBEDDING_MODEL_PATH)
    parser.add_argument("--cache", type=Path, default=REPO / "var" / "embedding_cache")
    args = parser.parse_args(argv)
    backend = get_backend()
    if backend is None:
        raise SystemExit("embeddings are turned off (TICKERWIRE_EMBEDDINGS=none); the embedding head needs them")
    started = time.perf_counter()
    reuters = split(read_reuters(args.data / "reuters21578" / "train.jsonl"), REUTERS_PARTS)
    news = split(read_news(args.data), NEWS_PARTS)
    vectors = cached_vectors(backend, args.cache)
    model = fit_and_calibrate(reuters, news, vectors, backend.model_name)
    save_heads(args.out, [model.reuters, model.news, model.business], model.calibration)
    save_embedding_heads(args.embedding_out, [model.news_embedding], model.embedding_calibration)
    print(f"reuters head: {len(reuters.train)} stories, {model.reuters.columns.size} weighted buckets")
    print(f"news head: {len(news.train)} stories, {model.news.columns.size} weighted buckets; embedding "
          f"head on {backend.model_name}")
    print(f"calibrated on {len(reuters.calibrate)} Reuters and {len(news.calibrate)} news stories")
    for path in (args.out, args.embedding_out):
        print(f"wrote {path} ({path.stat().st_size / 1e3:.1f} kB)")
    print(f"in {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
