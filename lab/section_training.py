"""Fit the section heads of :mod:`tickerwire.enrich.section_model` (used by the training script and benches).

Importing this module needs only scikit-learn; it reads no corpus itself. The word heads' C was chosen
earlier on held-out splits of the Reuters-21578 train part and of AG News + BBC; the embedding softmax and
the stacker keep scikit-learn's default C, and the stacker's weights are fitted by an inner CV of whatever
rows it is given, so ``bench/sections_eval.py`` measures it on rows it never saw.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.multiclass import OneVsRestClassifier

from tickerwire.enrich.section_model import EmbeddingHead, LinearHead, make_hasher, stack_features

REGULARISATION_C = 30.0


def fit_multilabel_head(name: str, texts: Sequence[str], labels: Sequence[Sequence[str]],
                        label_names: Sequence[str]) -> LinearHead:
    """Fit one sigmoid per label (class-balanced, since Forex or Economy stories are a small minority)."""
    counts = make_hasher().transform(texts)
    tfidf = TfidfTransformer(sublinear_tf=True)
    features = tfidf.fit_transform(counts)
    targets = np.array([[name_ in row for name_ in label_names] for row in labels], dtype=np.int8)
    model = OneVsRestClassifier(
        LogisticRegression(C=REGULARISATION_C, max_iter=3000, class_weight="balanced")
    ).fit(features, targets)
    coef = np.vstack([estimator.coef_[0] for estimator in model.estimators_])
    intercept = np.array([estimator.intercept_[0] for estimator in model.estimators_])
    return _head(name, "multilabel", list(label_names), tfidf, counts, coef, intercept)


def fit_multiclass_head(name: str, texts: Sequence[str], labels: Sequence[str]) -> LinearHead:
    """Fit one softmax over the labels seen (each text has exactly one; at least three labels)."""
    if len(set(labels)) < 3:
        raise ValueError("a multiclass head needs at least three labels (two would give one weight row)")
    counts = make_hasher().transform(texts)
    tfidf = TfidfTransformer(sublinear_tf=True)
    features = tfidf.fit_transform(counts)
    model = LogisticRegression(C=REGULARISATION_C, max_iter=3000).fit(features, list(labels))
    return _head(name, "multiclass", [str(c) for c in model.classes_], tfidf, counts, model.coef_, model.intercept_)


def _head(name: str, kind: str, label_names: list[str], tfidf: TfidfTransformer, counts: object,
          coef: np.ndarray, intercept: np.ndarray) -> LinearHead:
    """Keep only the buckets seen in training: the rest have zero weight and the largest idf."""
    idf = tfidf.idf_.astype(np.float32)
    seen = np.flatnonzero(np.asarray(counts.sum(axis=0)).ravel() > 0).astype(np.int32)  # type: ignore[attr-defined]
    unseen_idf = float(idf[np.setdiff1d(np.arange(idf.size), seen)[0]]) if seen.size < idf.size else 0.0
    return LinearHead(
        name=name,
        kind=kind,  # type: ignore[arg-type]
        labels=label_names,
        columns=seen,
        idf=idf[seen],
        default_idf=unseen_idf,
        coef=np.asarray(coef, dtype=np.float32)[:, seen],
        intercept=np.asarray(intercept, dtype=np.float32),
    )


EMBEDDING_C = 1.0  # scikit-learn's default, for the embedding softmax and the stacker alike
STACK_FOLDS = 3


def fit_embedding_head(name: str, texts: Sequence[str], embeddings: np.ndarray, labels: Sequence[str],
                       model_name: str, *, folds: int = STACK_FOLDS, seed: int = 0) -> EmbeddingHead:
    """Fit a softmax over sentence embeddings and the stacker that combines it with the word head.

    The stacker is fitted on out-of-fold predictions (``folds``-fold CV over these rows) of both heads, so
    it sees how each does on text it was not trained on; the embedding softmax is then refitted on all rows.
    The embedding softmax is class-balanced (Politics is the smallest label); the stacker corrects the bias.
    """
    if len(set(labels)) < 3:
        raise ValueError("an embedding head needs at least three labels (two would give one weight row)")
    targets = np.asarray(labels)
    label_names = sorted(set(labels))
    word_scores = np.zeros((len(targets), len(label_names)))
    embedding_scores = np.zeros_like(word_scores)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(embeddings, targets):
        word_head = fit_multiclass_head(name, [texts[i] for i in train], list(targets[train]))
        word_scores[test] = word_head.predict_proba(make_hasher().transform([texts[i] for i in test]))
        embedding_scores[test] = _embedding_softmax(embeddings[train], targets[train]).predict_proba(embeddings[test])
    stacker = LogisticRegression(C=EMBEDDING_C, max_iter=3000).fit(stack_features(word_scores, embedding_scores),
                                                                   targets)
    softmax = _embedding_softmax(embeddings, targets)
    return EmbeddingHead(name, label_names, softmax.coef_.astype(np.float32), softmax.intercept_.astype(np.float32),
                         model_name, stacker.coef_.astype(np.float32), stacker.intercept_.astype(np.float32))


def _embedding_softmax(embeddings: np.ndarray, labels: np.ndarray) -> LogisticRegression:
    return LogisticRegression(C=EMBEDDING_C, max_iter=3000, class_weight="balanced").fit(embeddings, labels)
