"""Reuters-21578 stories laid out as wire copy and as pages parse back to the corpus's own structure.

A fixed sample (every 9th training story with a body, about 980 of them) keeps this under two minutes;
``python bench/reuters_parse.py`` measures all of them and prints the naive baseline too.
"""

from __future__ import annotations

import sys

import pytest

from tests.acceptance.conftest import REPO_ROOT, require_shared_data

TRAIN = require_shared_data("reuters21578", "train.jsonl")
sys.path.insert(0, str(REPO_ROOT))

from bench.reuters_parse import Tally, load_cases, naive_paragraphs, page_body_lines, run_layout  # noqa: E402
from tickerwire.ingest import page, wire  # noqa: E402

CASES = load_cases(TRAIN, every=9)


def assert_targets(tally: Tally, min_f1: float) -> None:
    n = tally.stories
    assert n >= 900
    assert tally.headline / n >= 0.99, tally.line("headline")
    assert tally.dateline / n >= 0.99, tally.line("dateline")
    assert tally.body_exact / n >= 0.99, tally.line("body")
    assert tally.f1()[2] >= min_f1, tally.line("boundaries")


def test_wire_targets() -> None:
    """Wire copy: headline, dateline and body text for 99% of stories; boundary F1 at least 0.99."""
    assert_targets(run_layout(CASES, lambda case: case.wire, wire.parse), 0.99)


@pytest.mark.parametrize("width", [None, 60, 65, 70, 80])
def test_page_targets(width: int | None) -> None:
    """Pages at the corpus's wrapping and at 60-80 columns: boundary F1 at least 0.98, well over naive."""
    tally = run_layout(CASES, lambda case: case.page(width), page.parse)
    assert_targets(tally, 0.98)
    naive = Tally()
    for case in CASES:
        naive.add_boundaries(naive_paragraphs(page_body_lines(case, width)), case.paragraphs)
    assert tally.f1()[2] >= naive.f1()[2] + 0.05
