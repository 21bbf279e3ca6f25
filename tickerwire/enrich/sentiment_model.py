"""The learned sentiment head: a softmax over [sentence embedding, rule features], stored as numbers only.

The head reads the MiniLM embedding of a text (:mod:`tickerwire.enrich.embeddings`) beside the five rule
features of :func:`tickerwire.enrich.sentiment.rule_features` (scaled by ``rule_scale``). It is trained by
``scripts/train_sentiment.py`` on ``data/sentiment_train.jsonl`` — sentences written for this project —
and never on the Financial PhraseBank, whose licence forbids shipping what is derived from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

LABELS = ("negative", "neutral", "positive")


@dataclass
class SentimentHead:
    """Weights of one multinomial logistic regression; ``coef`` is (labels, embedding dim + rule features)."""

    labels: list[str]
    coef: np.ndarray
    intercept: np.ndarray
    rule_scale: float
    model_name: str  # the embedding model the head was trained on; other vectors do not fit it

    def features(self, embeddings: np.ndarray, rules: np.ndarray) -> np.ndarray:
        """Return the rows the weights apply to."""
        embeddings = np.atleast_2d(np.asarray(embeddings, dtype=np.float32))
        rules = np.atleast_2d(np.asarray(rules, dtype=np.float32))
        if embeddings.shape[0] != rules.shape[0]:
            raise ValueError(f"{embeddings.shape[0]} embeddings but {rules.shape[0]} rule rows")
        if embeddings.shape[1] + rules.shape[1] != self.coef.shape[1]:
            raise ValueError(
                f"the sentiment head expects {self.coef.shape[1]} features, got "
                f"{embeddings.shape[1]} embedding + {rules.shape[1]} rule values (was it trained on {self.model_name}?)"
            )
        return np.hstack([embeddings, self.rule_scale * rules])

    def predict_proba(self, embeddings: np.ndarray, rules: np.ndarray) -> np.ndarray:
        """Return per-label probabilities, shape ``(rows, len(labels))``."""
        logits = (self.features(embeddings, rules) @ self.coef.T + self.intercept).astype(np.float64)
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
            model_name=str(data["model_name"]),
        )
