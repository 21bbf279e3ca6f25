"""Choose the section thresholds on a calibration part and score listed sections against gold labels.

The learned sections are scored as the site lists them (:func:`tickerwire.enrich.sections.listed_learned`),
so a figure here is what a reader would see, not one head's argmax: a Reuters story gets the news head's
sections too, and a news story the Reuters head's. Each corpus is scored on the four sections it labels.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import f1_score

from lab.section_corpora import NEWS_SECTIONS, REUTERS_SECTIONS, LabelledText
from tickerwire.enrich.section_model import make_hasher
from tickerwire.enrich.sections import SectionModel, listed_learned

THRESHOLD_GRID = np.round(np.linspace(0.05, 0.95, 91), 2)
SECOND_GRID = np.round(np.linspace(0.5, 1.0, 11), 2)  # 1.0 never lists a second learned section


@dataclass(frozen=True)
class Scored:
    """One corpus part's rescaled learned scores (one array per section) and its gold labels."""

    scores: dict[str, np.ndarray]
    gold: list[tuple[str, ...]]
    labels: tuple[str, ...]  # the sections this corpus labels


def score_part(model: SectionModel, rows: Sequence[LabelledText], labels: tuple[str, ...],
               vectors: np.ndarray | None) -> Scored:
    """Return the model's learned scores on rows (with the embedding when ``vectors`` is given)."""
    counts = make_hasher().transform([r.text for r in rows])
    return Scored(model.learned_scores(counts, vectors), [r.sections for r in rows], labels)


def listed(scored: Scored, second_score: float) -> list[list[str]]:
    """Return each row's listed learned sections."""
    names = list(scored.scores)
    matrix = np.column_stack([scored.scores[name] for name in names])
    return [listed_learned(dict(zip(names, row.tolist(), strict=True)), second_score) for row in matrix]


def f1_of(predicted: Sequence[Sequence[str]], scored: Scored) -> tuple[float, list[float]]:
    """Return macro-F1 and per-section F1 over the corpus's own sections."""
    gold = np.array([[label in row for label in scored.labels] for row in scored.gold], dtype=np.int8)
    guess = np.array([[label in row for label in scored.labels] for row in predicted], dtype=np.int8)
    per_label = f1_score(gold, guess, average=None, zero_division=0.0)
    return float(np.mean(per_label)), [float(f) for f in per_label]


def _best_threshold(parts: Sequence[tuple[np.ndarray, np.ndarray]]) -> float:
    """Return the grid threshold with the best mean F1 over the parts' (probabilities, gold) pairs."""
    def mean_f1(threshold: float) -> float:
        return float(np.mean([f1_score(gold, probabilities >= threshold, zero_division=0.0)
                              for probabilities, gold in parts]))
    return float(max(THRESHOLD_GRID, key=mean_f1))


def calibrate(model: SectionModel, reuters: Sequence[LabelledText], reuters_vectors: np.ndarray,
              news: Sequence[LabelledText], news_vectors: np.ndarray) -> SectionModel:
    """Return the model with thresholds and second scores chosen on these (held-out) rows, for both modes.

    Each section's threshold maximises its F1 on the corpus that labels it (Business: the mean over both
    corpora); then the second score maximises the mean of the two corpora's macro-F1 of listed sections.
    Thresholds are taken on the uncalibrated probabilities, so the model's thresholds must still be 0.5.
    """
    calibrations = {}
    for name, with_embedding in (("calibration", False), ("embedding_calibration", True)):
        current = getattr(model, name)
        if any(value != 0.5 for value in current.thresholds.values()):
            raise ValueError("calibrate a model whose thresholds are still 0.5")
        parts = [score_part(model, reuters, REUTERS_SECTIONS, reuters_vectors if with_embedding else None),
                 score_part(model, news, NEWS_SECTIONS, news_vectors if with_embedding else None)]
        thresholds = {}
        for label in current.thresholds:
            pairs = [(part.scores[label], np.array([label in row for row in part.gold]))
                     for part in parts if label in part.labels]
            thresholds[label] = _best_threshold(pairs)
        calibrated = dataclasses.replace(current, thresholds=thresholds)
        parts = [dataclasses.replace(part, scores={label: calibrated.rescale(label, values)
                                                   for label, values in part.scores.items()}) for part in parts]
        second = max(SECOND_GRID, key=lambda s: np.mean([f1_of(listed(part, float(s)), part)[0] for part in parts]))
        calibrations[name] = dataclasses.replace(calibrated, second_score=float(second))
    return dataclasses.replace(model, **calibrations)
