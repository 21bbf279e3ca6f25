"""Scores the evaluations share."""

from __future__ import annotations


def precision_recall_f1(correct: int, predicted: int, actual: int) -> tuple[float, float, float]:
    """Return precision, recall and F1 of ``correct`` hits among ``predicted`` items, against ``actual`` ones."""
    precision = correct / max(1, predicted)
    recall = correct / max(1, actual)
    return precision, recall, 2 * precision * recall / max(1e-12, precision + recall)
