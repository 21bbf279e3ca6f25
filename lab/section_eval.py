"""Held-out figures of the section classifier beside a TF-IDF + logistic-regression baseline.

Shared by ``bench/sections_eval.py`` (the full shared corpora) and the acceptance test (a sample). Ours and
the baseline train on the same TRAIN rows; ours alone has its thresholds chosen on CALIBRATE; both are
scored on CALIBRATE (the *tuned* figure, optimistic for ours) and on REPORT (never seen by either).
Ours is scored as the site lists sections (:mod:`lab.section_calibration`); the baseline is one model per
corpus that knows which corpus a story comes from (Reuters: one-vs-rest at 0.5; news: the argmax).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier

from lab.embedding_cache import cached_embeddings
from lab.section_calibration import Scored, calibrate, f1_of, listed, score_part
from lab.section_corpora import NEWS_SECTIONS, REUTERS_SECTIONS, LabelledText, as_draft
from lab.section_splits import Split
from lab.section_training import SectionRows, fit_section_model
from tickerwire.enrich.embeddings import EmbeddingBackend, embedding_text
from tickerwire.enrich.sections import SectionModel

Vectors = Callable[[Sequence[LabelledText]], np.ndarray]


def cached_vectors(backend: EmbeddingBackend, cache_dir: Path) -> Vectors:
    """Return a function giving rows' vectors of ``embedding_text`` (as the site embeds them), cached."""
    def vectors(rows: Sequence[LabelledText]) -> np.ndarray:
        return cached_embeddings([embedding_text(as_draft(row)) for row in rows], backend, cache_dir)
    return vectors


@dataclass(frozen=True)
class Figure:
    """Macro-F1 and per-section F1 of one system on one corpus part."""

    system: str
    corpus: str
    part: str
    rows: int
    labels: tuple[str, ...]
    macro: float
    per_label: list[float]


def baseline_predictions(train: Sequence[LabelledText], rows: Sequence[LabelledText], labels: tuple[str, ...],
                         multilabel: bool) -> list[list[str]]:
    """Return the TF-IDF + LR baseline's sections for rows (one-vs-rest at 0.5, or the single best label)."""
    vectorizer = TfidfVectorizer(sublinear_tf=True)
    features = vectorizer.fit_transform([r.text for r in train])
    test = vectorizer.transform([r.text for r in rows])
    if multilabel:
        targets = np.array([[label in r.sections for label in labels] for r in train], dtype=np.int8)
        guess = OneVsRestClassifier(LogisticRegression(max_iter=1000)).fit(features, targets).predict(test)
        return [[label for label, on in zip(labels, row, strict=True) if on] for row in guess]
    model = LogisticRegression(max_iter=1000).fit(features, [r.sections[0] for r in train])
    return [[str(label)] for label in model.predict(test)]


def fit_and_calibrate(reuters: Split, news: Split, vectors: Vectors, model_name: str) -> SectionModel:
    """Fit on the TRAIN parts and choose thresholds on the CALIBRATE parts."""
    rows = SectionRows(reuters.train, vectors(reuters.train), news.train, vectors(news.train))
    model = fit_section_model(rows, model_name)
    return calibrate(model, reuters.calibrate, vectors(reuters.calibrate), news.calibrate, vectors(news.calibrate))


def held_out_figures(model: SectionModel, reuters: Split, news: Split, vectors: Vectors,
                     parts: Sequence[str] = ("calibrate",)) -> list[Figure]:
    """Return ours (words only, and with the embedding) and the baseline on the named parts."""
    figures = []
    for corpus, split, labels, multilabel in (("Reuters", reuters, REUTERS_SECTIONS, True),
                                              ("AG News + BBC", news, NEWS_SECTIONS, False)):
        for part in parts:
            rows = getattr(split, part)
            part_vectors = vectors(rows)
            for system, with_embedding in (("ours, words", False), ("ours + embedding", True)):
                scored = score_part(model, rows, labels, part_vectors if with_embedding else None)
                figures.append(_figure(system, corpus, part, scored,
                                       listed(scored, model.second_score(with_embedding))))
            gold = Scored({}, [r.sections for r in rows], labels)
            figures.append(_figure("baseline TF-IDF + LR", corpus, part, gold,
                                   baseline_predictions(split.train, rows, labels, multilabel)))
    return figures


def _figure(system: str, corpus: str, part: str, scored: Scored, predicted: list[list[str]]) -> Figure:
    macro, per_label = f1_of(predicted, scored)
    return Figure(system, corpus, part, len(scored.gold), scored.labels, macro, per_label)
