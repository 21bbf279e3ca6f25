"""The learned sentiment head: a softmax over [sentence embedding, rule features, hashed words], numbers only.

The head reads the MiniLM embedding of a text (:mod:`tickerwire.enrich.embeddings`) beside the five rule
features of :func:`tickerwire.enrich.sentiment.rule_features` (scaled by ``rule_scale``) and the text's
words and word pairs hashed into ``word_buckets`` buckets (L2-normalised, scaled by ``word_scale``). The
hashed words let the head learn event words ("lay-offs", "agreement", "profit warning") that a sentence
embedding blurs; hashing keeps the file free of any vocabulary. It is trained by
``scripts/train_sentiment.py`` on ``lab/data/sentiment_train.jsonl`` — sentences written for this project —
and never on the Financial PhraseBank, whose licence forbids shipping what is derived from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

LABELS = ("negative", "neutral", "positive")
WORD_TOKEN = r"(?u)\b[a-z][a-z'-]+\b"


@cache
def word_hasher(buckets: int) -> HashingVectorizer:
    """Return the stateless word and word-pair hasher shared by training and run time."""
    return HashingVectorizer(
        n_features=buckets, ngram_range=(1, 2), alternate_sign=False, norm="l2", token_pattern=WORD_TOKEN,
        dtype=np.float32,
    )


def hashed_words(texts: Sequence[str], buckets: int) -> np.ndarray:
    """Return one dense, L2-normalised row of hashed word and word-pair counts per text."""
    return word_hasher(buckets).transform(list(texts)).toarray()


def feature_rows(
    embeddings: np.ndarray, rules: np.ndarray, texts: Sequence[str], *, rule_scale: float, word_buckets: int,
    word_scale: float,
) -> np.ndarray:
    """Return the rows a head's weights apply to: [embedding, scaled rule features, scaled hashed words]."""
    return np.hstack([
        np.atleast_2d(np.asarray(embeddings, dtype=np.float32)),
        rule_scale * np.atleast_2d(np.asarray(rules, dtype=np.float32)),
        word_scale * hashed_words(texts, word_buckets),
    ])


@dataclass
class SentimentHead:
    """Weights of one multinomial logistic regression; ``coef`` is (labels, embedding dim + rules + buckets)."""

    labels: list[str]
    coef: np.ndarray
    intercept: np.ndarray
    rule_scale: float
    word_buckets: int
    word_scale: float
    model_name: str  # the embedding model the head was trained on; other vectors do not fit it

    def features(self, embeddings: np.ndarray, rules: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """Return the rows the weights apply to."""
        embeddings = np.atleast_2d(np.asarray(embeddings, dtype=np.float32))
        rules = np.atleast_2d(np.asarray(rules, dtype=np.float32))
        if not embeddings.shape[0] == rules.shape[0] == len(texts):
            raise ValueError(f"{embeddings.shape[0]} embeddings, {rules.shape[0]} rule rows and {len(texts)} texts")
        if embeddings.shape[1] + rules.shape[1] + self.word_buckets != self.coef.shape[1]:
            raise ValueError(
                f"the sentiment head expects {self.coef.shape[1] - self.word_buckets} embedding + rule values, got "
                f"{embeddings.shape[1]} + {rules.shape[1]} (was it trained on {self.model_name}?)"
            )
        return feature_rows(embeddings, rules, texts, rule_scale=self.rule_scale, word_buckets=self.word_buckets,
                            word_scale=self.word_scale)

    def predict_proba(self, embeddings: np.ndarray, rules: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """Return per-label probabilities, shape ``(rows, len(labels))``."""
        logits = (self.features(embeddings, rules, texts) @ self.coef.T + self.intercept).astype(np.float64)
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)


def save_head(path: Path, head: SentimentHead) -> None:
    """Write the head to a compressed ``.npz``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        labels=np.array(head.labels),
        coef=head.coef.astype(np.float32),
        intercept=head.intercept.astype(np.float32),
        rule_scale=np.array(head.rule_scale, dtype=np.float32),
        word_buckets=np.array(head.word_buckets, dtype=np.int64),
        word_scale=np.array(head.word_scale, dtype=np.float32),
        model_name=np.array(head.model_name),
    )


def load_head(path: Path) -> SentimentHead:
    """Read a head written by :func:`save_head`."""
    with np.load(path, allow_pickle=False) as data:
        return SentimentHead(
            labels=[str(label) for label in data["labels"]],
            coef=data["coef"],
            intercept=data["intercept"],
            rule_scale=float(data["rule_scale"]),
            word_buckets=int(data["word_buckets"]),
            word_scale=float(data["word_scale"]),
            model_name=str(data["model_name"]),
        )
