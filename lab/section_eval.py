"""Held-out comparisons of the section heads with a TF-IDF + logistic-regression baseline.

Shared by ``bench/sections_eval.py`` (full shared parts) and the acceptance test (a sample). Each
comparison trains our head and the baseline on the same training rows and scores the same held-out rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.multiclass import OneVsRestClassifier

from lab.section_corpora import LabelledText
from lab.section_training import fit_embedding_head, fit_multiclass_head, fit_multilabel_head
from tickerwire.enrich.section_model import make_hasher

SEED = 0


@dataclass
class Comparison:
    """Macro-F1 (and per-label F1) of ours and of the baseline on the same held-out rows."""

    labels: tuple[str, ...]
    ours: float
    baseline: float
    ours_per_label: list[float]
    baseline_per_label: list[float]
    held_out: int
    with_embedding: float | None = None  # ours blended with the embedding head, when embeddings were given
    with_embedding_per_label: list[float] = field(default_factory=list)


def _targets(rows: Sequence[LabelledText], labels: Sequence[str]) -> np.ndarray:
    return np.array([[label in row.sections for label in labels] for row in rows], dtype=np.int8)


def compare_multilabel(rows: Sequence[LabelledText], labels: tuple[str, ...], test_size: float = 0.25) -> Comparison:
    """Hold out ``test_size`` of the rows (seed 0); threshold each sigmoid at 0.5."""
    train, test = train_test_split(list(rows), test_size=test_size, random_state=SEED)
    head = fit_multilabel_head("reuters", [r.text for r in train], [r.sections for r in train], labels)
    ours = (head.predict_proba(make_hasher().transform([r.text for r in test])) >= 0.5).astype(np.int8)
    vectorizer = TfidfVectorizer(sublinear_tf=True)
    baseline_model = OneVsRestClassifier(LogisticRegression(max_iter=1000))
    baseline_model.fit(vectorizer.fit_transform([r.text for r in train]), _targets(train, labels))
    baseline = baseline_model.predict(vectorizer.transform([r.text for r in test]))
    gold = _targets(test, labels)
    return Comparison(
        labels, float(f1_score(gold, ours, average="macro")), float(f1_score(gold, baseline, average="macro")),
        list(f1_score(gold, ours, average=None)), list(f1_score(gold, baseline, average=None)), len(test),
    )


def compare_multiclass(rows: Sequence[LabelledText], folds: int = 5, embeddings: np.ndarray | None = None,
                       model_name: str = "", seed: int = SEED) -> Comparison:
    """Stratified k-fold cross-validation: every row is held out once; the top label is the prediction.

    With ``embeddings`` (one row per text, of ``embedding_text``), an embedding head and its stacker are also
    fitted on each training fold (the stacker on an inner CV of that fold only) and combined with our word
    head, as :func:`tickerwire.enrich.sections.section_scores` does. Nothing is tuned on the held-out fold.
    """
    texts = [r.text for r in rows]
    gold = np.array([r.sections[0] for r in rows])
    ours = np.empty(len(rows), dtype=object)
    blended = np.empty(len(rows), dtype=object)
    baseline = np.empty(len(rows), dtype=object)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_index, test_index in splitter.split(texts, gold):
        train_texts = [texts[i] for i in train_index]
        test_texts = [texts[i] for i in test_index]
        head = fit_multiclass_head("news", train_texts, list(gold[train_index]))
        probabilities = head.predict_proba(make_hasher().transform(test_texts))
        ours[test_index] = [head.labels[i] for i in probabilities.argmax(axis=1)]
        if embeddings is not None:
            refiner = fit_embedding_head("news", train_texts, embeddings[train_index], list(gold[train_index]),
                                         model_name)
            mixed = refiner.combine(probabilities, embeddings[test_index])
            blended[test_index] = [head.labels[i] for i in mixed.argmax(axis=1)]
        vectorizer = TfidfVectorizer(sublinear_tf=True)
        model = LogisticRegression(max_iter=1000).fit(vectorizer.fit_transform(train_texts), gold[train_index])
        baseline[test_index] = model.predict(vectorizer.transform(test_texts))
    labels = tuple(sorted(set(gold)))
    result = Comparison(
        labels,
        float(f1_score(gold, ours.astype(str), average="macro")),
        float(f1_score(gold, baseline.astype(str), average="macro")),
        list(f1_score(gold, ours.astype(str), average=None, labels=list(labels))),
        list(f1_score(gold, baseline.astype(str), average=None, labels=list(labels))),
        len(rows),
    )
    if embeddings is not None:
        result.with_embedding = float(f1_score(gold, blended.astype(str), average="macro"))
        result.with_embedding_per_label = list(f1_score(gold, blended.astype(str), average=None, labels=list(labels)))
    return result
