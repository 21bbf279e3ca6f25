"""Datelines, bylines, credits and sign-offs recognised in plain wire text."""

from __future__ import annotations

import pytest

from tickerwire.core.draft import Dateline
from tickerwire.ingest.textblocks import is_byline, is_credits, is_sign_off, parse_byline, split_dateline


@pytest.mark.parametrize(
    ("paragraph", "dateline", "rest"),
    [
        (
            "ZENITH CITY, Aug 28 (Reuters) - Orbis Widgets rose.",
            Dateline("ZENITH CITY", "Aug 28", "Reuters"),
            "Orbis Widgets rose.",
        ),
        ("PORT ELLIS, Feb 26 - Kelvar Mills said.", Dateline("PORT ELLIS", "Feb 26", None), "Kelvar Mills said."),
        ("(Reuters) -Brightline Foods said.", Dateline(None, None, "Reuters"), "Brightline Foods said."),
        (
            "NORTHGATE, March 21 (Reuters) - Quill Ltd fell.",
            Dateline("NORTHGATE", "March 21", "Reuters"),
            "Quill Ltd fell.",
        ),
        ("LYSANDER (Reuters) -Oil prices slipped.", Dateline("LYSANDER", None, "Reuters"), "Oil prices slipped."),
        ("March 21 (Reuters) - Vantor Labs fell.", Dateline(None, "March 21", "Reuters"), "Vantor Labs fell."),
        ("GLENWOOD, Fla., March 19 - Shr 86 cts", Dateline("GLENWOOD, Fla.", "March 19", None), "Shr 86 cts"),
        ("LAKE ORIN, 2 March - Imports rose.", Dateline("LAKE ORIN", "2 March", None), "Imports rose."),
        ("Maplebury, feb 26 -\nSales rose.", Dateline("Maplebury", "feb 26", None), "Sales rose."),
        ("PO}RT ELLIS, March 3 - Quill Ltd fell.", Dateline("PO}RT ELLIS", "March 3", None), "Quill Ltd fell."),
        (
            "ZENITH, the Lowlands, April 1 - Quill Ltd fell.",
            Dateline("ZENITH, the Lowlands", "April 1", None),
            "Quill Ltd fell.",
        ),
    ],
)
def test_split_dateline_recognises_wire_forms(paragraph: str, dateline: Dateline, rest: str) -> None:
    """Each dateline form is split into place, date and agency, and removed from the paragraph."""
    assert split_dateline(paragraph) == (dateline, rest)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Sales rose in March 2 - a record.",
        "The company said on Feb 26 - a Thursday - that it would pay.",
        "Shares of Orbis Widgets (ORBW) - a maker of gears - rose.",
        "Orbis Widgets rose 3% on Tuesday.",
        "Orbis Widgets said, March 2 - a record day - that it would pay.",
    ],
)
def test_split_dateline_leaves_ordinary_sentences_alone(paragraph: str) -> None:
    """A sentence that merely mentions a date or a ticker is not a dateline."""
    assert split_dateline(paragraph) == (None, paragraph)


def test_parse_byline_splits_names() -> None:
    """Commas and "and" separate byline names; "By" and a trailing "in <place>" are dropped."""
    assert parse_byline("By Ada Quint, Bo Lindqvist, Cyra Mbeki and Dov Arlen") == [
        "Ada Quint",
        "Bo Lindqvist",
        "Cyra Mbeki",
        "Dov Arlen",
    ]
    assert parse_byline("By Ada Quint in Port Ellis") == ["Ada Quint"]


def test_is_byline_rejects_sentences() -> None:
    """A sentence that starts with "By" is body text, not a byline."""
    assert is_byline("By Ada Quint and Bo Lindqvist")
    assert not is_byline("By the end of the year, sales at Orbis had doubled.")
    assert not is_byline("By contrast, rivals cut prices.")


def test_credits_and_sign_offs() -> None:
    """The closing credit line and the Reuter sign-off are recognised; body text is not."""
    assert is_credits("(Reporting by Ada Quint; Editing by Bo Lindqvist)")
    assert is_credits("(Additional reporting by Cyra Mbeki in Northgate; Writing by Dov Arlen)")
    assert not is_credits("(The figures are unaudited.)")
    assert is_sign_off(" Reuter") and is_sign_off("REUTER")
    assert not is_sign_off("Reuters reported the figures.")


PARAGRAPHS = [
    "Orbis Widgets said on Tuesday it would build a second gear plant in Port Ellis, betting that demand "
    "from turbine makers will keep growing.",
    "The plant will cost about $420 million.",
    "Kelvar Mills, its main rival, cut list prices by 8% last month, a move analysts said would squeeze "
    "margins across the industry. Orbis said it would not follow.",
    "WHAT COMES NEXT",
    "Net profit rose to 3.1 mln dlrs from 2.4 mln, the company said.",
]


@pytest.mark.parametrize("width", [44, 60, 65, 70, 80])
def test_reflow_rebuilds_paragraphs_at_any_width(width: int) -> None:
    """Paragraphs hard-wrapped at any width, indentation lost, come back whole and in order."""
    from tickerwire.ingest.layout import wrap_text
    from tickerwire.ingest.textblocks import reflow_lines

    lines = [line for text in PARAGRAPHS for line in wrap_text(text, width, first_line_width=width - 4)]
    assert reflow_lines(lines) == PARAGRAPHS


def test_paragraph_break_rules() -> None:
    """A line the next word would have fitted on ends a paragraph; a full line needs a sentence end."""
    from tickerwire.ingest.textblocks import is_paragraph_break, naive_paragraph_break

    assert is_paragraph_break("The plant will cost about $420 million.", "Kelvar Mills cut", 65)
    assert is_paragraph_break("Shr 86 cts vs 62 cts", "Net 28.0 mln vs 18.3 mln", 65)
    assert not is_paragraph_break("Kelvar Mills, its main rival, cut list prices by 8% last month, a", "move", 65)
    assert not is_paragraph_break("turbine makers will keep growing and the", "Orbis board agreed", 40)
    assert not naive_paragraph_break("Shr 86 cts vs 62 cts", "Net 28.0 mln vs 18.3 mln")
