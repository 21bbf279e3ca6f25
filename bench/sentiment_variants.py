"""Variants of the learned sentiment head, scored on the PhraseBank *dev* half only (never the test half).

Usage: ``python bench/sentiment_variants.py [--data ../shared/data] [--cache var/embedding_cache]
[--extra FILE.jsonl]``. Each variant is fitted on our own ``lab/data/sentiment_train.jsonl`` (plus, where
named, rows derived from it or from ``--extra``, more sentences of our own in the same format) and scored
on the dev half, so a variant may be chosen by these figures; ``bench/sentiment_eval.py`` then gives the
test-half figure of whatever ships. Variants:

- the shipped settings (:mod:`lab.sentiment_training`);
- C of 1 and 16; rule scale 4; word scale 2; class-balanced weights;
- the training sentences plus a copy of each written the way the PhraseBank is tokenised
  ("Brunvik 's", "41 %", " ." at the end), since the embedding sees that spacing;
- the training sentences plus ``--extra``.

Each line also gives the accuracy / macro-F1 with the neutral class's log-probability moved by a prior
shift (-0.25 ... +0.75), i.e. a neutral intercept chosen on dev.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score  # noqa: E402

from lab.embedding_cache import cached_embeddings  # noqa: E402
from lab.sentiment_corpus import dev_test_split, read_phrasebank  # noqa: E402
from lab.sentiment_training import (  # noqa: E402
    REGULARISATION_C,
    RULE_SCALE,
    WORD_BUCKETS,
    WORD_SCALE,
    read_training_set,
)
from tickerwire.enrich.embeddings import EmbeddingBackend, get_backend  # noqa: E402
from tickerwire.enrich.figures import split_sentences  # noqa: E402
from tickerwire.enrich.sentiment import rule_features  # noqa: E402
from tickerwire.enrich.sentiment_model import feature_rows  # noqa: E402

SHIFTS = (-0.25, 0.0, 0.25, 0.5, 0.75)


def phrasebank_spacing(sentence: str) -> str:
    """Return a sentence spaced the way the PhraseBank is ("company 's", "41 %", "mn ." at the end)."""
    sentence = re.sub(r"(\w)'s\b", r"\1 's", sentence)
    sentence = re.sub(r"([,;:()%?!])", r" \1 ", sentence)
    sentence = re.sub(r"(?<!\d)\.(?!\d)|\.$", " .", sentence)
    return " ".join(sentence.split())


class Rows:
    """Texts, labels, embeddings and rule features of one set of sentences."""

    def __init__(self, pairs: list[tuple[str, str]], backend: EmbeddingBackend, cache: Path) -> None:
        self.texts = [text for text, _ in pairs]
        self.labels = [label for _, label in pairs]
        self.embeddings = cached_embeddings(self.texts, backend, cache)
        self.rules = np.vstack([rule_features(split_sentences(" ".join(t.split()))) for t in self.texts])

    def plus(self, other: Rows) -> Rows:
        """Return both sets as one."""
        joined = object.__new__(Rows)
        joined.texts, joined.labels = self.texts + other.texts, self.labels + other.labels
        joined.embeddings = np.vstack([self.embeddings, other.embeddings])
        joined.rules = np.vstack([self.rules, other.rules])
        return joined

    def features(self, rule_scale: float, word_scale: float) -> np.ndarray:
        """Return the head's input rows."""
        return feature_rows(self.embeddings, self.rules, self.texts, rule_scale=rule_scale,
                            word_buckets=WORD_BUCKETS, word_scale=word_scale)


def variant(name: str, train: Rows, dev: Rows, *, c: float = REGULARISATION_C, rule_scale: float = RULE_SCALE,
            word_scale: float = WORD_SCALE, class_weight: str | None = None) -> None:
    """Fit one variant and print its dev figures at each neutral shift."""
    started = time.perf_counter()
    model = LogisticRegression(C=c, max_iter=5000, class_weight=class_weight)
    model.fit(train.features(rule_scale, word_scale), train.labels)
    log_p = np.log(model.predict_proba(dev.features(rule_scale, word_scale)))
    neutral = list(model.classes_).index("neutral")
    cells = []
    for shift in SHIFTS:
        shifted = log_p.copy()
        shifted[:, neutral] += shift
        predicted = model.classes_[shifted.argmax(axis=1)]
        cells.append(f"{shift:+.2f}: {accuracy_score(dev.labels, predicted):.4f}/"
                     f"{f1_score(dev.labels, predicted, average='macro'):.4f}")
    print(f"  {name:<34} ({len(train.texts)} rows) " + "  ".join(cells)
          + f"  [{time.perf_counter() - started:.0f}s]", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Print the dev figures of each variant."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--cache", type=Path, default=REPO / "var" / "embedding_cache")
    parser.add_argument("--extra", type=Path, help="more labelled sentences of our own (JSON lines)")
    args = parser.parse_args(argv)
    backend = get_backend()
    if backend is None:
        raise SystemExit("embeddings are turned off (TICKERWIRE_EMBEDDINGS=none)")
    dev_pairs, _ = dev_test_split(read_phrasebank(args.data / "phrasebank" / "Sentences_50Agree.txt"))
    pairs = read_training_set()
    train, dev = Rows(pairs, backend, args.cache), Rows(dev_pairs, backend, args.cache)
    print(f"dev half: {len(dev.texts)} sentences; accuracy/macro-F1 at each neutral shift")
    variant("shipped settings", train, dev)
    for c in (1.0, 16.0):
        variant(f"C {c:g}", train, dev, c=c)
    variant("rule scale 4", train, dev, rule_scale=4.0)
    variant("word scale 2", train, dev, word_scale=2.0)
    variant("class-balanced", train, dev, class_weight="balanced")
    spaced = [(phrasebank_spacing(text), label) for text, label in pairs]
    variant("+ PhraseBank-spaced copies", train.plus(Rows(spaced, backend, args.cache)), dev)
    if args.extra:
        extra = read_training_set(args.extra)
        variant(f"+ {len(extra)} sentences of --extra", train.plus(Rows(extra, backend, args.cache)), dev)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
