"""Train the learned sentiment head on our own sentences and write tickerwire/enrich/data/sentiment_model.npz.

Usage: ``python scripts/train_sentiment.py [--cache var/embedding_cache] [--out PATH]``. It embeds the
sentences of ``tickerwire/enrich/data/sentiment_train.jsonl`` (written for this project, so the weights may
ship) with the configured embedding backend, adds the rule features, fits the head and prints its size.
The Financial PhraseBank is never read here; ``python bench/sentiment_eval.py`` evaluates on it.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from lab.embedding_cache import cached_embeddings  # noqa: E402
from lab.sentiment_training import fit_sentiment_head, read_training_set  # noqa: E402
from tickerwire.enrich.embeddings import get_backend  # noqa: E402
from tickerwire.enrich.figures import split_sentences  # noqa: E402
from tickerwire.enrich.sentiment import MODEL_PATH, rule_features  # noqa: E402
from tickerwire.enrich.sentiment_model import save_head  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Embed the training sentences, fit the head and save it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=REPO / "var" / "embedding_cache")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    backend = get_backend()
    if backend is None:
        raise SystemExit("embeddings are turned off (TICKERWIRE_EMBEDDINGS=none); the head needs them")
    rows = read_training_set()
    embeddings = cached_embeddings([text for text, _ in rows], backend, args.cache)
    rules = np.vstack([rule_features(split_sentences(" ".join(text.split()))) for text, _ in rows])
    texts = [text for text, _ in rows]
    head = fit_sentiment_head(embeddings, rules, texts, [label for _, label in rows], backend.model_name)
    save_head(args.out, head)
    print(f"{len(rows)} sentences {dict(Counter(label for _, label in rows))}, embeddings from {backend.model_name}")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e3:.1f} kB) in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
