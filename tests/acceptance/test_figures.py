"""Key figures of the seed page's expected body (built straight from its JSON, no page parser)."""

from __future__ import annotations

import json

from tests.acceptance.conftest import require_shared
from tickerwire.core.draft import ArticleDraft
from tickerwire.enrich.figures import extract_figures

SEED = require_shared("seeds", "000_e1910754a33a6208.expected.json")


def seed_figures():
    return extract_figures(ArticleDraft.from_json(json.loads(SEED.read_text(encoding="utf-8"))))


def find(figures, text):
    matches = [f for f in figures if f.text == text]
    assert matches, f"no figure {text!r} in {[f.text for f in figures]}"
    return matches[0]


def test_seed_figures_the_issue_lists():
    """Every figure the issue names is found with its unit, direction, change, period and metric."""
    figures = seed_figures()
    record = find(figures, "$245 billion")
    assert record.value == 245e9 and record.unit == "USD" and record.period == "in 2024"
    assert "trade" in record.metric

    turnover = find(figures, "8.1%")
    assert turnover.direction == "fall" and turnover.change == "8.1%"
    assert "year-on-year" in turnover.period and "January to July 2025" in turnover.period
    assert turnover.metric == "trade turnover"

    fuel = find(figures, "almost 20%")
    assert fuel.direction == "fall" and fuel.value == 20 and fuel.metric == "Russia's fuel exports"

    phones = find(figures, "27.5%")
    assert phones.direction == "fall" and phones.metric == "smartphone and computer imports"

    vehicles = find(figures, "$5.8 billion")
    assert vehicles.value == 5.8e9 and vehicles.direction == "fall" and vehicles.change == "46%"
    assert vehicles.metric.startswith("imports from China of vehicles")

    tools = find(figures, "137%")
    assert tools.direction == "rise" and tools.period == "in the three years to 2024"
    assert tools.metric == "domestic production of machine tools"

    economy = find(figures, "around nine times")
    assert economy.value == 9 and economy.unit == "times" and economy.metric == "China's economy"

    share = find(figures, "less than 10%")  # issue 11 showed "less than 10% Chinese carmakers raced from a"
    assert share.metric == "market share"


def test_seed_has_no_spurious_figures():
    """Dates, years and counts such as 'more than 20 world leaders' are not figures."""
    texts = [f.text for f in seed_figures()]
    assert not any(t.startswith(("20 ", "more than 20", "2022", "2024")) for t in texts), texts
    assert len(texts) <= 10
