"""Ticker tagging against shared corpora: the Benzinga headline sample and the seed page.

The full figures, with the definitions of precision and recall, come from ``bench/ticker_eval.py``; this
runs the same measurement (the shared sample is 2,997 rows, a few seconds) and holds it to the targets.
"""

from __future__ import annotations

import pytest

from bench.ticker_eval import load_news, measure_news, names_label, period_directory
from tests.acceptance.conftest import require_shared, require_shared_data
from tickerwire.enrich.tickers import tag_draft, tag_related, tag_text
from tickerwire.ingest import page

NEWS = require_shared_data("ticker-news", "analyst_ratings_processed_sample.csv")
SEEDS = require_shared("seeds")


@pytest.fixture(scope="module")
def figures():  # type: ignore[no-untyped-def]
    return measure_news(load_news(NEWS), period_directory())


def test_headlines_naming_their_company_are_tagged_with_it(figures) -> None:  # type: ignore[no-untyped-def]
    """Recall on headlines that name the labelled company is at least 0.93."""
    assert figures.pairs > 1000
    assert figures.recall >= 0.93


def test_tags_on_those_headlines_are_right(figures) -> None:  # type: ignore[no-untyped-def]
    """Precision (labelled, or another company the headline names) is at least 0.97."""
    assert figures.precision >= 0.97


def test_headlines_not_naming_a_company_are_left_out_of_recall() -> None:
    """The restriction keeps "Agilent" headlines and drops "Stocks That Hit 52-Week Highs On Friday"."""
    assert names_label("Needham Downgrades Agilent Technologies to Hold", "A")
    assert not names_label("Stocks That Hit 52-Week Highs On Friday", "A")
    assert not names_label("A Look At The Week Ahead", "A")


def test_seed_body_has_no_false_tags_and_related_snippets_have_their_marks() -> None:
    """The seed page's story names no listed company; its teasers name META and SMSOF."""
    (draft,) = page.parse((SEEDS / "000_e1910754a33a6208.txt").read_bytes())
    assert tag_draft(draft) == []
    related = tag_related(draft)
    assert related[0] == ["META"]
    assert related[2] == ["SMSOF"]
    assert 1 not in related


def test_seed_raw_text_tags_only_the_teasers_companies() -> None:
    """On the raw page text the only tags are the teasers' companies (Ecopetrol is NYSE-listed as EC)."""
    text = (SEEDS / "000_e1910754a33a6208.txt").read_text(encoding="utf-8")
    assert {tag.symbol for tag in tag_text(text)} == {"META", "SMSOF", "EC"}
