"""Ticker tagging against shared corpora: the Benzinga headline sample and the seed page.

The full figures, with the definitions of precision and recall, come from ``bench/ticker_eval.py``; this
runs the same measurement (the shared sample is 2,997 rows, a few seconds) and holds it to the targets.
"""

from __future__ import annotations

import pytest

from bench.ticker_eval import REPORT, TUNE, load_news, measure_news, names_label, period_directory, split_of
from tests.acceptance.conftest import require_shared, require_shared_data
from tickerwire.core.draft import ArticleDraft
from tickerwire.enrich.tickers import tag_draft, tag_related, tag_text
from tickerwire.ingest import page

NEWS = require_shared_data("ticker-news", "analyst_ratings_processed_sample.csv")
SEEDS = require_shared("seeds")


@pytest.fixture(scope="module")
def figures():  # type: ignore[no-untyped-def]
    return measure_news(load_news(NEWS), period_directory())


@pytest.fixture(scope="module")
def halves():  # type: ignore[no-untyped-def]
    rows, directory = load_news(NEWS), period_directory()
    return {half: measure_news(rows, directory, part=lambda _t, s, half=half: split_of(s) == half)
            for half in (TUNE, REPORT)}


def test_headlines_naming_their_company_are_tagged_with_it(figures) -> None:  # type: ignore[no-untyped-def]
    """Recall on headlines that name the labelled company is at least 0.95 (0.960 measured; 0.944 before the
    headline slots)."""
    assert figures.pairs > 1000
    assert figures.recall >= 0.95


def test_report_half_holds_the_floors_measured_on_it(halves) -> None:  # type: ignore[no-untyped-def]
    """The REPORT half (companies never read while tuning): recall 0.965 and precision 0.992 were measured;
    the floors are 0.96 and 0.985 (the goal is 0.93 at precision 0.97)."""
    report = halves[REPORT]
    assert report.pairs > 800
    assert report.recall >= 0.96
    assert report.precision >= 0.985


def test_tune_half_holds_its_floors(halves) -> None:  # type: ignore[no-untyped-def]
    """The TUNE half (the rules were chosen on it): recall 0.953, precision 0.990 measured; 0.913 before."""
    tune = halves[TUNE]
    assert tune.pairs > 500
    assert tune.recall >= 0.945
    assert tune.precision >= 0.985


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
    assert isinstance(draft, ArticleDraft)
    assert tag_draft(draft) == []
    related = tag_related(draft)
    assert related[0] == ["META"]
    assert related[2] == ["SMSOF"]
    assert 1 not in related


def test_seed_raw_text_tags_only_the_teasers_companies() -> None:
    """On the raw page text the only tags are the teasers' companies (Ecopetrol is NYSE-listed as EC)."""
    text = (SEEDS / "000_e1910754a33a6208.txt").read_text(encoding="utf-8")
    assert {tag.symbol for tag in tag_text(text)} == {"META", "SMSOF", "EC"}
