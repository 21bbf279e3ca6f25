"""The shipped section model on the REPORT parts (never trained or calibrated on) against TF-IDF + LR.

The baseline is trained here on the TRAIN parts (as the shipped model was); bench/sections_eval.py prints
the full figures and the CALIBRATE ones. The floors below sit under the figures measured once on REPORT.
"""

from __future__ import annotations

import random

import numpy as np

from lab.embedding_cache import cached_embeddings
from lab.section_calibration import Scored, f1_of, listed, score_part
from lab.section_corpora import NEWS_SECTIONS, REUTERS_SECTIONS, LabelledText, as_draft, read_news, read_reuters
from lab.section_eval import baseline_predictions
from lab.section_splits import NEWS_PARTS, REUTERS_PARTS, split
from tests.acceptance.conftest import REPO_ROOT, require_shared_data
from tickerwire.enrich.embeddings import embedding_text, get_backend
from tickerwire.enrich.sections import loaded_model

DATA = require_shared_data()
REUTERS = require_shared_data("reuters21578", "train.jsonl")
CACHE = REPO_ROOT / "var" / "embedding_cache"  # filled by the benches; missing vectors are computed


def report_f1(rows: list[LabelledText], labels: tuple[str, ...],
              vectors: np.ndarray | None) -> tuple[float, list[float]]:
    """Return the shipped model's macro-F1 and per-section F1 of listed sections on rows."""
    model = loaded_model()
    scored = score_part(model, rows, labels, vectors)
    return f1_of(listed(scored, model.second_score(vectors is not None)), scored)


def baseline_f1(train: list[LabelledText], rows: list[LabelledText], labels: tuple[str, ...],
                multilabel: bool) -> float:
    """Return TF-IDF + LR's macro-F1 on rows, trained on ``train``."""
    gold = Scored({}, [r.sections for r in rows], labels)
    return f1_of(baseline_predictions(train, rows, labels, multilabel), gold)[0]


def test_reuters_report_sections_beat_the_baseline():
    """On the 810 Reuters REPORT stories, sections as the site lists them (the news head's too) score
    macro-F1 >= 0.91 and above TF-IDF + LR, and Business is no longer given to currency, commodity and
    economy stories: Business F1 >= 0.94 (measured once: 0.928 vs 0.859, Business 0.964; the old
    max-of-both-heads rule gave Business about 0.69 on CALIBRATE)."""
    parts = split(read_reuters(REUTERS), REUTERS_PARTS)
    ours, per_label = report_f1(parts.report, REUTERS_SECTIONS, None)
    baseline = baseline_f1(parts.train, parts.report, REUTERS_SECTIONS, True)
    assert ours >= 0.91 and ours > baseline, (ours, baseline)
    assert per_label[REUTERS_SECTIONS.index("Business")] >= 0.94, per_label


def test_news_report_sections_hold_up_against_the_baseline():
    """On the 692 AG News + BBC REPORT stories, words only, listed World/Technology/Politics/Business score
    macro-F1 >= 0.85 and not below TF-IDF + LR by more than 0.01 (measured once: 0.869 vs 0.861)."""
    parts = split(read_news(DATA), NEWS_PARTS)
    ours, _ = report_f1(parts.report, NEWS_SECTIONS, None)
    baseline = baseline_f1(parts.train, parts.report, NEWS_SECTIONS, False)
    assert ours >= 0.85 and ours >= baseline - 0.01, (ours, baseline)


def test_news_report_sections_with_the_embedding():
    """On 240 AG News + BBC REPORT stories with their MiniLM vectors, listed sections score macro-F1 >= 0.85
    and not below the words alone (this sample: 0.869 vs 0.857; all 692 REPORT stories: 0.883 vs 0.869)."""
    rows = random.Random(0).sample(split(read_news(DATA), NEWS_PARTS).report, 240)
    backend = get_backend(None)
    vectors = cached_embeddings([embedding_text(as_draft(row)) for row in rows], backend, CACHE)
    stacked, _ = report_f1(rows, NEWS_SECTIONS, vectors)
    words, _ = report_f1(rows, NEWS_SECTIONS, None)
    assert stacked >= 0.85 and stacked >= words, (stacked, words)
