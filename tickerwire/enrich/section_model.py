"""A linear text classifier over hashed words, stored without any vocabulary or corpus text.

Words are hashed into ``N_FEATURES`` buckets (scikit-learn's stateless ``HashingVectorizer``), weighted
by sublinear tf-idf and L2-normalised; each *head* is a logistic regression over those features. The file
keeps, per head, only numbers: the bucket indices that carry weight, their idf, the weights and the
intercepts. A head is either ``multilabel`` (one sigmoid per label, Reuters-style) or ``multiclass`` (one
softmax over its labels, AG News / BBC style).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

N_FEATURES = 2**18
HeadKind = Literal["multilabel", "multiclass"]


def make_hasher() -> HashingVectorizer:
    """Return the word hasher used both in training and at run time (stateless, so nothing to store)."""
    return HashingVectorizer(
        n_features=N_FEATURES, alternate_sign=False, norm=None, stop_words="english", dtype=np.float32
    )


@dataclass
class LinearHead:
    """One trained head: tf-idf over hashed words, then a linear model per label."""

    name: str
    kind: HeadKind
    labels: list[str]
    columns: np.ndarray  # int32 bucket ids that have a weight, sorted
    idf: np.ndarray  # float32, idf of each of ``columns``
    default_idf: float  # idf of a bucket never seen in training
    coef: np.ndarray  # float32 (len(labels), len(columns))
    intercept: np.ndarray  # float32 (len(labels),)

    def __post_init__(self) -> None:
        self._idf_full = np.full(N_FEATURES, self.default_idf, dtype=np.float32)
        self._idf_full[self.columns] = self.idf
        # Buckets x labels, so one story's weights are a gather of its bucket rows.
        self._coef_by_bucket = np.zeros((N_FEATURES, len(self.labels)), dtype=np.float32)
        self._coef_by_bucket[self.columns] = self.coef.T

    def logits(self, counts: sparse.csr_matrix) -> np.ndarray:
        """Return the linear scores of sublinear, L2-normalised tf-idf rows (as scikit-learn computes them)."""
        counts = counts.tocsr()
        out = np.empty((counts.shape[0], len(self.labels)), dtype=np.float32)
        for row in range(counts.shape[0]):
            start, end = counts.indptr[row], counts.indptr[row + 1]
            buckets = counts.indices[start:end]
            weights = (1.0 + np.log(counts.data[start:end].astype(np.float32))) * self._idf_full[buckets]
            norm = float(np.sqrt(weights @ weights)) or 1.0
            out[row] = (weights / norm) @ self._coef_by_bucket[buckets]
        return out + self.intercept

    def predict_proba(self, counts: sparse.csr_matrix) -> np.ndarray:
        """Return per-label probabilities, shape ``(rows, len(labels))``."""
        logits = self.logits(counts).astype(np.float64)
        if self.kind == "multilabel":
            return 1.0 / (1.0 + np.exp(-logits))
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)


def save_heads(path: Path, heads: list[LinearHead], calibration: Calibration) -> None:
    """Write heads and the words-only calibration to one compressed ``.npz`` (numbers and label names only)."""
    arrays: dict[str, np.ndarray] = {"head_names": np.array([h.name for h in heads]), **calibration_arrays(calibration)}
    for h in heads:
        arrays[f"{h.name}.kind"] = np.array(h.kind)
        arrays[f"{h.name}.labels"] = np.array(h.labels)
        arrays[f"{h.name}.columns"] = h.columns.astype(np.int32)
        arrays[f"{h.name}.idf"] = h.idf.astype(np.float32)
        arrays[f"{h.name}.default_idf"] = np.array(h.default_idf, dtype=np.float32)
        arrays[f"{h.name}.coef"] = h.coef.astype(np.float32)
        arrays[f"{h.name}.intercept"] = h.intercept.astype(np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type]  # numpy stubs type **kwds as allow_pickle


def load_heads(path: Path) -> list[LinearHead]:
    """Read heads written by :func:`save_heads`."""
    with np.load(path, allow_pickle=False) as data:
        return [
            LinearHead(
                name=str(name),
                kind=str(data[f"{name}.kind"]),  # type: ignore[arg-type]
                labels=[str(label) for label in data[f"{name}.labels"]],
                columns=data[f"{name}.columns"],
                idf=data[f"{name}.idf"],
                default_idf=float(data[f"{name}.default_idf"]),
                coef=data[f"{name}.coef"],
                intercept=data[f"{name}.intercept"],
            )
            for name in data["head_names"]
        ]


@dataclass
class EmbeddingHead:
    """A softmax over a story's sentence embedding, stacked with the word head of the same name.

    The stacker is a softmax over both heads' log-probabilities (``stack_coef`` has one row per label and
    ``2 * len(labels)`` columns: word head first). It is fitted on out-of-fold predictions of the two
    heads, so it learns how far to trust each one per label instead of one hand-picked blend weight.
    """

    name: str
    labels: list[str]
    coef: np.ndarray  # float32 (len(labels), embedding dimension)
    intercept: np.ndarray  # float32 (len(labels),)
    model_name: str  # the embedding model the head was trained on; other vectors do not fit it
    stack_coef: np.ndarray  # float32 (len(labels), 2 * len(labels))
    stack_intercept: np.ndarray  # float32 (len(labels),)

    def predict_proba(self, embeddings: np.ndarray) -> np.ndarray:
        """Return per-label probabilities for rows of embeddings, shape ``(rows, len(labels))``."""
        embeddings = np.atleast_2d(np.asarray(embeddings, dtype=np.float32))
        if embeddings.shape[1] != self.coef.shape[1]:
            raise ValueError(f"the {self.name} embedding head expects {self.coef.shape[1]}-dimensional vectors "
                             f"({self.model_name}), got {embeddings.shape[1]}")
        return _softmax((embeddings @ self.coef.T + self.intercept).astype(np.float64))

    def combine(self, word_probabilities: np.ndarray, embeddings: np.ndarray) -> np.ndarray:
        """Return the stacked probabilities of the word head's output and this head's, same label order."""
        features = stack_features(word_probabilities, self.predict_proba(embeddings))
        return _softmax((features @ self.stack_coef.T + self.stack_intercept).astype(np.float64))


def stack_features(word_probabilities: np.ndarray, embedding_probabilities: np.ndarray) -> np.ndarray:
    """Return the stacker's input: both heads' log-probabilities side by side (floored, so never -inf)."""
    both = np.hstack([np.atleast_2d(word_probabilities), np.atleast_2d(embedding_probabilities)])
    return np.log(np.clip(both, 1e-9, 1.0))


def _softmax(logits: np.ndarray) -> np.ndarray:
    logits = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    return exp / exp.sum(axis=1, keepdims=True)


def save_embedding_heads(path: Path, heads: list[EmbeddingHead], calibration: Calibration) -> None:
    """Write embedding heads and the calibration used with them to one ``.npz`` (numbers and names only)."""
    arrays: dict[str, np.ndarray] = {"head_names": np.array([h.name for h in heads]), **calibration_arrays(calibration)}
    for h in heads:
        arrays[f"{h.name}.labels"] = np.array(h.labels)
        arrays[f"{h.name}.coef"] = h.coef.astype(np.float32)
        arrays[f"{h.name}.intercept"] = h.intercept.astype(np.float32)
        arrays[f"{h.name}.model_name"] = np.array(h.model_name)
        arrays[f"{h.name}.stack_coef"] = h.stack_coef.astype(np.float32)
        arrays[f"{h.name}.stack_intercept"] = h.stack_intercept.astype(np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type]  # numpy stubs type **kwds as allow_pickle


def load_embedding_heads(path: Path) -> list[EmbeddingHead]:
    """Read heads written by :func:`save_embedding_heads`."""
    with np.load(path, allow_pickle=False) as data:
        return [
            EmbeddingHead(
                name=str(name),
                labels=[str(label) for label in data[f"{name}.labels"]],
                coef=data[f"{name}.coef"],
                intercept=data[f"{name}.intercept"],
                model_name=str(data[f"{name}.model_name"]),
                stack_coef=data[f"{name}.stack_coef"],
                stack_intercept=data[f"{name}.stack_intercept"],
            )
            for name in data["head_names"]
        ]


@dataclass
class Calibration:
    """How the heads' probabilities become listed sections (fitted and calibrated, never hand-picked).

    ``business_coef``/``business_intercept`` are a logistic regression over :func:`business_features`: the
    Reuters head's and the news head's probabilities and the logit of a word head trained on Business in
    both corpora. Both corpora label Business, but the news softmax only weighs it against World,
    Technology and Politics, so alone it calls a currency or grain story Business; the stacker learns that a
    confident Forex, Commodities or Economy story is not a company story. ``thresholds`` holds one
    probability per learned section (the F1-best on a calibration part): scores are rescaled so that it
    maps to 0.5. ``second_score`` is the rescaled score a learned section needs to be listed beside a
    better learned one.
    """

    business_coef: np.ndarray  # float32, one weight per stack feature (Reuters head's labels first)
    business_intercept: float
    thresholds: dict[str, float]
    second_score: float

    def business(self, reuters_probabilities: np.ndarray, news_probabilities: np.ndarray,
                 business_probabilities: np.ndarray) -> np.ndarray:
        """Return the probability that each row is a Business story, shape ``(rows,)``."""
        features = business_features(reuters_probabilities, news_probabilities, business_probabilities)
        return 1.0 / (1.0 + np.exp(-(features @ self.business_coef.astype(np.float64) + self.business_intercept)))

    def rescale(self, label: str, probabilities: np.ndarray) -> np.ndarray:
        """Return probabilities moved on the logit scale so that the label's threshold becomes 0.5."""
        return 1.0 / (1.0 + np.exp(-(_logit(probabilities) - _logit(np.asarray(self.thresholds[label])))))


def business_features(reuters_probabilities: np.ndarray, news_probabilities: np.ndarray,
                      business_probabilities: np.ndarray) -> np.ndarray:
    """Return the Business stacker's input: both heads' log-probabilities, then the Business head's logit."""
    business = _logit(np.asarray(business_probabilities).reshape(-1, 1))
    return np.hstack([stack_features(reuters_probabilities, news_probabilities), business])


def _logit(probabilities: np.ndarray) -> np.ndarray:
    clipped = np.clip(np.asarray(probabilities, dtype=np.float64), 1e-9, 1.0 - 1e-9)
    return np.log(clipped) - np.log1p(-clipped)


def calibration_arrays(calibration: Calibration) -> dict[str, np.ndarray]:
    """Return the arrays that store a calibration inside a model file (under ``calibration.`` keys)."""
    labels = sorted(calibration.thresholds)
    return {
        "calibration.business_coef": calibration.business_coef.astype(np.float32),
        "calibration.business_intercept": np.array(calibration.business_intercept, dtype=np.float32),
        "calibration.labels": np.array(labels),
        "calibration.thresholds": np.array([calibration.thresholds[label] for label in labels], dtype=np.float32),
        "calibration.second_score": np.array(calibration.second_score, dtype=np.float32),
    }


def load_calibration(path: Path) -> Calibration:
    """Read the calibration stored in a model file by :func:`save_heads` or :func:`save_embedding_heads`."""
    with np.load(path, allow_pickle=False) as data:
        return Calibration(
            business_coef=data["calibration.business_coef"],
            business_intercept=float(data["calibration.business_intercept"]),
            thresholds={str(label): float(value) for label, value in
                        zip(data["calibration.labels"], data["calibration.thresholds"], strict=True)},
            second_score=float(data["calibration.second_score"]),
        )
