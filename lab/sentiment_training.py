"""Fit the learned sentiment head (used by ``scripts/train_sentiment.py`` and the benches).

The training sentences are ``data/sentiment_train.jsonl``: financial-news sentences written for this
project about invented companies, labelled positive / negative / neutral by their author.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from tickerwire.enrich.sentiment_model import SentimentHead, feature_rows

TRAIN_PATH = Path(__file__).parent / "data" / "sentiment_train.jsonl"
REGULARISATION_C = 4.0
RULE_SCALE = 2.0
WORD_BUCKETS = 4096
WORD_SCALE = 1.0


def read_training_set(path: Path = TRAIN_PATH) -> list[tuple[str, str]]:
    """Return (sentence, label) pairs of the project's own labelled sentences."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("label") not in ("positive", "negative", "neutral") or not row.get("text"):
            raise ValueError(f"{path}:{number}: needs a text and a label of positive, negative or neutral")
        rows.append((row["text"], row["label"]))
    return rows


def fit_sentiment_head(
    embeddings: np.ndarray,
    rules: np.ndarray,
    texts: Sequence[str],
    labels: Sequence[str],
    model_name: str,
    *,
    c: float = REGULARISATION_C,
    rule_scale: float = RULE_SCALE,
    word_buckets: int = WORD_BUCKETS,
    word_scale: float = WORD_SCALE,
) -> SentimentHead:
    """Fit a multinomial logistic regression over [embedding, rule_scale * rule features, word_scale * words]."""
    features = feature_rows(embeddings, rules, texts, rule_scale=rule_scale, word_buckets=word_buckets,
                            word_scale=word_scale)
    model = LogisticRegression(C=c, max_iter=5000).fit(features, list(labels))
    return SentimentHead(
        labels=[str(label) for label in model.classes_],
        coef=model.coef_.astype(np.float32),
        intercept=model.intercept_.astype(np.float32),
        rule_scale=rule_scale,
        word_buckets=word_buckets,
        word_scale=word_scale,
        model_name=model_name,
    )
