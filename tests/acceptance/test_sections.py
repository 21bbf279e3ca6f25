"""Section heads against a TF-IDF + LR baseline on samples of the shared corpora (bench/ runs them in full)."""

from __future__ import annotations

import random

from lab.embedding_cache import cached_embeddings
from lab.section_corpora import REUTERS_SECTIONS, as_draft, read_news, read_reuters
from lab.section_eval import compare_multiclass, compare_multilabel
from tests.acceptance.conftest import REPO_ROOT, require_shared_data
from tickerwire.enrich.embeddings import embedding_text, get_backend

DATA = require_shared_data()
REUTERS = require_shared_data("reuters21578", "train.jsonl")
CACHE = REPO_ROOT / "var" / "embedding_cache"  # filled by the benches; missing vectors are computed


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
    below TF-IDF + LR by more than 0.01 (the 5-fold bench gives 0.883 vs 0.879 with words only; the 0.90
    target is reached only with the embedding, next test)."""
    result = compare_multiclass(read_news(DATA), folds=3)
    assert result.ours >= 0.85, result
    assert result.ours >= result.baseline - 0.01, result


def test_news_sections_with_the_embedding():
    """On a 360-story sample of AG News + BBC (3-fold CV, MiniLM vectors of ``embedding_text``), stacking
    the embedding head with the word head scores macro-F1 >= 0.80 and not below words alone (the bench, 5-fold
    CV on all 2,104 stories under seeds 0-4, gives a mean 0.904 vs 0.880 words only and 0.881 for TF-IDF + LR)."""
    rows = random.Random(1).sample(read_news(DATA), 360)
    backend = get_backend(None)
    vectors = cached_embeddings([embedding_text(as_draft(row)) for row in rows], backend, CACHE)
    result = compare_multiclass(rows, folds=3, embeddings=vectors, model_name=backend.model_name)
    assert result.with_embedding is not None
    assert result.with_embedding >= 0.80, result
    assert result.with_embedding >= result.ours, result
