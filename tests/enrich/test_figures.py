"""Key-figure extraction on sentences written for these tests (fictional companies)."""

from __future__ import annotations

from tickerwire.core.draft import ArticleDraft, Block
from tickerwire.enrich.figures import extract_figures, sentence_figures, split_sentences


def only(sentence: str):
    figures = sentence_figures(sentence)
    assert len(figures) == 1, figures
    return figures[0]


def test_change_and_level_make_one_figure():
    """'fell 12% to $3.4 billion' is one figure: the level as value, the change as written, a fall."""
    f = only("Orders at Vantrel Industries fell 12% to $3.4 billion in the second quarter.")
    assert f.value == 3.4e9 and f.unit == "USD" and f.text == "$3.4 billion"
    assert f.direction == "fall" and f.change == "12%"
    assert f.period == "in the second quarter"
    assert f.metric == "Orders at Vantrel Industries"


def test_rise_with_hedge_and_period_range():
    """A hedge stays in the text, the direction comes from the verb and the month range is the period."""
    f = only("Copper exports from Estoria jumped nearly 30 percent from March to June 2024.")
    assert f.value == 30 and f.unit == "%" and f.text == "nearly 30 percent"
    assert f.direction == "rise" and f.change == "nearly 30 percent"
    assert f.period == "from March to June 2024"
    assert f.metric == "Copper exports from Estoria"


def test_up_and_down_adverbs():
    """'was up 4.5% year-on-year' is a rise of 4.5% with the comparison as its period."""
    f = only("Profit at Marlowe Foods was up 4.5% year-on-year, the company said.")
    assert f.direction == "rise" and f.change == "4.5%"
    assert f.period == "year-on-year"
    assert f.metric == "Profit at Marlowe Foods"


def test_level_reached_without_direction():
    """'pushed sales to a record EUR 2 billion in 2023': the object is the metric, no direction claimed."""
    f = only("Strong demand pushed group sales to a record EUR 2 billion in 2023.")
    assert f.value == 2e9 and f.unit == "EUR"
    assert f.direction is None and f.change is None
    assert f.period == "in 2023"
    assert f.metric == "group sales"


def test_multiple_clauses_each_get_their_metric():
    """Clauses joined by commas and 'and' keep their own subjects; a list after 'including' is left out."""
    figures = sentence_figures(
        "Wheat shipments fell 8% in that period, fertiliser and seed sales dropped by 15.5% and imports of "
        "machinery including tractors, balers and harvesters slumped 40% to $1.2 billion."
    )
    assert [f.metric for f in figures] == [
        "Wheat shipments",
        "fertiliser and seed sales",
        "imports of machinery",
    ]
    assert [f.change for f in figures] == ["8%", "15.5%", "40%"]
    assert all(f.direction == "fall" for f in figures)


def test_times_comparison():
    """'about four times larger than' is a figure in 'times'."""
    f = only("Norvia's navy is about four times larger than its neighbour's.")
    assert f.value == 4 and f.unit == "times" and f.metric == "Norvia's navy"


def test_years_dates_and_bare_counts_are_not_figures():
    """Years, dates and plain counts carry no unit and are not key figures."""
    assert sentence_figures("More than 20 leaders met on Aug 28 in 2024 to discuss 3 proposals.") == []


def test_scale_words_and_units():
    """Scale words multiply the value; units and currency codes are recognised."""
    f = only("Output reached 1.5 million barrels per day last month.")
    assert f.value == 1.5e6 and f.unit == "bpd" and f.period == "last month"
    f = only("The central bank cut its key rate by 50 basis points.")
    assert f.unit == "bp" and f.direction == "fall"


def test_sentence_split_keeps_abbreviations():
    """A full stop after 'U.S.' or 'Mr.' does not end a sentence."""
    assert split_sentences("Sales in the U.S. rose 5%. Mr. Tan said so. Costs fell.") == [
        "Sales in the U.S. rose 5%.", "Mr. Tan said so.", "Costs fell."
    ]


def test_extract_figures_reads_body_paragraphs_only():
    """Figures come from body paragraphs, not subheads."""
    draft = ArticleDraft(
        headline="Quarlex sales up 9%",
        body=[Block("subhead", "UP 50%"), Block("paragraph", "Quarlex said revenue grew 9% to $700 million.")],
    )
    figures = extract_figures(draft)
    assert len(figures) == 1 and figures[0].value == 7e8 and figures[0].change == "9%"
