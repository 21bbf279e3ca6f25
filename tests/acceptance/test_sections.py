"""Section heads against a TF-IDF + LR baseline on samples of the shared corpora (bench/ runs them in full)."""

from __future__ import annotations

import random

from tests.acceptance.conftest import require_shared_data
from tickerwire.enrich.section_corpora import REUTERS_SECTIONS, read_news, read_reuters
from tickerwire.enrich.section_eval import compare_multiclass, compare_multilabel

DATA = require_shared_data()
REUTERS = require_shared_data("reuters21578", "train.jsonl")


def test_reuters_sections_beat_the_baseline():
    """On a 4,000-story Reuters sample (25% held out), macro-F1 over the four sections is >= 0.88 and
    at least 0.03 above TF-IDF + LR (the full split gives 0.91 vs 0.85)."""
    rows = read_reuters(REUTERS)
    sample = random.Random(0).sample(rows, 4000)
    result = compare_multilabel(sample, REUTERS_SECTIONS)
    assert result.ours >= 0.88, result
    assert result.ours >= result.baseline + 0.03, result


def test_news_sections_hold_up_against_the_baseline():
    """On AG News + BBC (3-fold CV), macro-F1 over World/Technology/Politics/Business is >= 0.85 and not
    below TF-IDF + LR by more than 0.01 (the 5-fold bench gives 0.883 vs 0.879; the 0.90 target is not met)."""
    result = compare_multiclass(read_news(DATA), folds=3)
    assert result.ours >= 0.85, result
    assert result.ours >= result.baseline - 0.01, result
