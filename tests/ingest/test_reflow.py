"""Paragraph ends inferred from hard-wrapped lines (seed-style pages): one test per rule, invented text."""

from __future__ import annotations

import pytest

from tickerwire.ingest.layout import wrap_text
from tickerwire.ingest.textblocks import (
    estimate_wrap_width,
    in_quotation,
    is_paragraph_break,
    is_table_row,
    reflow_lines,
)

WIDTH = 65


def brk(before: str, after: str, capacity: int = WIDTH, quoting: bool = False) -> bool:
    return is_paragraph_break(before, after, capacity, quoting, opening_capacity=WIDTH - 4)


@pytest.mark.parametrize(
    "before",
    [
        "Orbis Widgets said it would merge with Kelvar-Lindqvist and",  # conjunction
        "Port Ellis council on Monday approved the sale of the",  # article
        "Port Ellis council on Monday approved the sale of",  # preposition
        "The plant, which Orbis bought from Brightline Foods in 2019,",  # comma
        "Brightline Foods owes about 40 mln dlrs to Quill Ltd --",  # dash
    ],
)
def test_line_ending_in_a_word_that_needs_more_goes_on(before: str) -> None:
    """A conjunction, article, preposition, comma or dash at a line's end never ends a paragraph, even
    where the next word, capitalised, would have fitted on the line."""
    after = "Co, a privately held maker of turbine gears, for $40 million."
    assert len(before) + 1 + len(after.split()[0]) < WIDTH  # the next word would have fitted
    assert not brk(before, after)


def test_capitalised_word_may_be_continued_by_a_name() -> None:
    """A line ending in a capitalised word, ragged but not clearly short, goes on: the name continues;
    the same shortfall after a lower-case word is an end."""
    name = "The company signed the new lease with the Port Ellis"
    assert 10 <= WIDTH - len(name) < 14
    assert not brk(name, "Harbour Board on Tuesday, it said.")
    plain = "NOTE: Prior year figures for Orbis are restated here"
    assert 10 <= WIDTH - len(plain) < 14
    assert brk(plain, "Orbis Widgets also said it would pay a dividend.")


def test_slightly_ragged_line_goes_on() -> None:
    """A line a few columns short of the width, not ending a sentence, is the source's ragged wrapping."""
    before = "Orbis Widgets expects the new plant to be running by late"
    assert WIDTH - len(before) < 10
    assert not brk(before, "September, when turbine orders usually pick up.")


def test_short_line_ending_a_sentence_ends_the_paragraph() -> None:
    """A sentence end on a line the next word would have fitted on closes the paragraph."""
    assert brk("Kelvar Mills declined to comment.", "Orbis Widgets shares rose 3% in early trading.")


def test_full_line_ending_a_sentence_depends_on_the_next_line() -> None:
    """A full line ending a sentence ends the paragraph only if the next line is short enough to be a
    first line, which wraps earlier; a longer one continues the paragraph."""
    before = "Orbis Widgets said on Tuesday it would build a second gear plant."
    assert len(before) + 1 + len("Orbis") > WIDTH
    opener = "Orbis Widgets said the plant would employ 300 people when"
    longer = "Orbis Widgets said the plant would employ 300 people when it opens"
    assert len(opener) <= WIDTH - 4 < len(longer) - 1
    assert brk(before, opener)
    assert not brk(before, longer)


def test_open_quotation_goes_on_unless_reopened() -> None:
    """Inside an open quotation a full line's sentence end does not end the paragraph, unless the next
    line reopens the quote (a quote running over paragraphs)."""
    before = '"Demand from turbine makers is stronger than we had expected so far.'
    assert in_quotation(before) and not in_quotation('"Demand is strong," she said.')
    assert not brk(before, 'We will keep building," said Ada Quint, the chief executive.', quoting=True)
    assert brk(before, '"We will keep building," said Ada Quint, the chief executive.', quoting=True)


def test_results_rows_stand_alone() -> None:
    """A results row ends at the next row however full it is; a figure wrapped onto the next line does not."""
    assert brk("Shr 75 cts vs 52 cts", "Net 1,699,124 vs 1,177,786", capacity=22)
    assert brk("Qtly div 12 cts vs 12 cts prior", "Pay April 15", capacity=32)
    assert not brk("Shr loss 1.93 dlrs vs profit", "16 cts", capacity=30)


def test_number_or_dash_running_on_is_no_list_item() -> None:
    """A date or an aside carried onto the next line ("28. ...", "-- about ...") is not a list item."""
    full = "The administrator of Orbis Widgets is due to be heard on April"
    assert len(full) + 1 + len("28.") > WIDTH
    assert not brk(full, "28. Quill Ltd said it would oppose the plan.")
    owes = "Brightline Foods owes nearly 50.7 mln dlrs to the Quill Ltd bank"
    assert not brk(owes, "-- about 46 mln euros -- and will pay it back in May.")
    assert brk("The creditors are:", "- Quill Ltd, owed 12 mln dlrs")


def test_company_suffix_can_close_a_sentence() -> None:
    """ "Inc." at a full line's end, then a capitalised word, ends a sentence (here the paragraph); "Mr."
    does not."""
    company = "The notes were sold by lead manager Vantor Kestrel Securities Inc."
    title = "The notes were sold to a trust set up by the Orbis chairman, Mr."
    for line in (company, title):
        assert len(line) + 1 + len("Kestrel") > WIDTH
    assert brk(company, "The notes are rated AA by Kestrel Ratings.")
    assert not brk(title, "Kestrel Quint, and his family.")


def test_company_suffix_before_a_name_in_capitals_closes_a_sentence() -> None:
    """ "Inc." at a line's end, then a name in capitals ("KQM said ..."), ends a sentence too."""
    company = "The notes were sold by lead manager Vantor Kestrel Securities Inc."
    assert brk(company, "KQM declined to say how the notes were priced.")


def test_initials_then_a_sentence_opener_close_a_sentence() -> None:
    """Initials at a full line's end ("the U.S.") end a sentence before a word that opens one ("The"),
    not before a name they may be part of."""
    initials = "Orbis Widgets said it would cut its exports of gears to the U.S."
    assert len(initials) + 1 + len("The") > WIDTH
    assert brk(initials, "The company sold 40 mln dlrs of gears there last year.")
    name = "The plant was opened on Tuesday by the chairman of Orbis, Ada T."
    assert len(name) + 1 + len("Quint") > WIDTH
    assert not brk(name, "Quint, and by the mayor of Port Ellis.")


def test_lower_case_line_opens_a_paragraph_only_after_a_sentence_end() -> None:
    """A line in lower case continues the one before, however short, unless that one ends a sentence on
    a line the next word would have fitted on (copy typed all in lower case)."""
    assert brk("kelvar mills declined to comment.", "orbis widgets shares rose 3% in early trading.")
    assert not brk("The relief applies to the fields in the", "basin named in the plan, Orbis said.")
    assert not brk("The relief applies to fields in the basin", "named in the 2019 plan, Orbis said.")
    # Rows of results in lower case stand alone.
    assert brk("net 65 mln vs 57 mln", "year")


def test_ellipsis_is_not_a_table() -> None:
    """Four dots running on in a quote are an ellipsis; dot leaders before a figure are a table."""
    assert not is_table_row("agreement.... I do not want to speculate on it")
    assert is_table_row("Net income.......... 5.2")


def test_width_estimate_ignores_a_dateline_run_into_the_first_line() -> None:
    """A page that prints "(Reuters)" into the source's first line does not widen the estimate."""
    text = (
        "PORT ELLIS, Aug 28 - Orbis Widgets said on Tuesday it would build a second gear plant in Port Ellis, betting "
        "that demand from turbine makers will keep growing for years, and that Kelvar Mills, its "
        "main rival, would not follow it into the region soon."
    )
    lines = wrap_text(text, 60, first_line_width=56)
    lines[0] = lines[0].replace("Aug 28 -", "Aug 28 (Reuters) -")
    assert len(lines[0]) > 60
    assert 55 <= estimate_wrap_width(lines) <= 60


def test_width_estimate_looks_past_the_longest_line() -> None:
    """A source may wrap wider than its longest line: a first line too long to open a paragraph at that
    width shows it, and a later first line then opens its paragraph after a full line."""
    lines = [
        "PORT ELLIS, Aug 28 - Orbis Widgets said on Tuesday it would",
        "build a second gear plant near the harbour, its first one in",
        "the north.",
        "The company said it would hire about 300 people to run the new",
        "plant, which should open in the spring, and pay for it from cash.",
        "Kelvar Mills, the main rival of Orbis Widgets in turbine gears,",
        "said it had no plans to follow it into the northern region.",
    ]
    longest = max(len(line) for line in lines)
    assert len(lines[3]) > longest - 4 and len(lines[5]) > longest - 4 + 1
    assert estimate_wrap_width(lines) > longest
    assert len(reflow_lines(lines)) == 3


def test_width_estimate_of_short_rows_falls_back() -> None:
    """Rows of a results table show no wrap width; the default (or wider) is taken."""
    rows = ["Shr 75 cts vs 52 cts", "Net 1,699,124 vs 1,177,786", "Revs 45.6 mln vs 31.6 mln", "12 mths"]
    assert estimate_wrap_width(rows) >= 65


STORY = [
    "PORT ELLIS, Aug 28 (Reuters) - Orbis Widgets said on Tuesday it would buy Lewis-Westco and "
    "Co, a privately held maker of turbine gears, for about $420 million in cash and shares.",
    "The deal, which needs the approval of regulators in Port Ellis and Northgate, is expected to "
    "close by the end of the year, the company said.",
    '"This gives us the scale to compete with Kelvar Mills. We have wanted it for years," said Ada '
    "Quint, the chief executive of Orbis Widgets.",
    "Kelvar Mills declined to comment.",
    "Shares of Orbis Widgets rose 3.1% to $48.20 in early trading on the Port Ellis Stock Exchange, "
    "their biggest one-day gain since March.",
]


@pytest.mark.parametrize("width", [56, 60, 63, 65, 68, 72, 76])
def test_story_paragraphs_come_back_at_page_widths(width: int) -> None:
    """A seed-style story wrapped at page widths (first lines narrower) reflows into its paragraphs."""
    lines = [line for text in STORY for line in wrap_text(text, width, first_line_width=width - 4)]
    assert reflow_lines(lines) == STORY
