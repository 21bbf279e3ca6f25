"""The wire parser on invented wire copy in several layouts, and on bad input."""

from __future__ import annotations

import json

from tests.conftest import FIXTURES, example_story
from tickerwire.core.draft import ArticleDraft
from tickerwire.ingest import wire


def parse_one(data: bytes) -> ArticleDraft:
    results = wire.parse(data)
    assert len(results) == 1 and isinstance(results[0], ArticleDraft)
    return results[0]


def test_wire_fixture_matches_expected() -> None:
    """Marker, bullets, byline, dateline, indented paragraphs, subhead and credits are all recovered."""
    expected = json.loads((FIXTURES / "wire_orbis_update.expected.json").read_text())
    got = parse_one(example_story("wire_orbis_update.txt")).to_json()
    for field in ("headline", "revision_marker", "summary", "byline", "dateline", "body", "credits"):
        assert got[field] == expected[field], field


def test_blank_line_paragraphs_without_wrapping() -> None:
    """Unwrapped paragraphs separated by blank lines stay as they are; the sign-off is dropped."""
    text = (
        "CORRECTED-Brightline Foods names new finance chief\n\n"
        "NORTHGATE, Feb 9 (Tickerwire) - Brightline Foods said on Monday its finance chief would retire.\n\n"
        "The company did not name a successor.\n\n"
        "Reuter\n"
    )
    draft = parse_one(text.encode())
    assert draft.headline == "Brightline Foods names new finance chief"
    assert draft.revision_marker == "CORRECTED"
    assert draft.paragraphs() == [
        "Brightline Foods said on Monday its finance chief would retire.",
        "The company did not name a successor.",
    ]


def test_hard_wrapped_copy_without_marks_is_reflowed() -> None:
    """With no indentation and no blank lines, paragraph ends are inferred from the line lengths."""
    text = (
        "Vantor Labs wins grid sensor contract\n"
        "LYSANDER, May 4 (Tickerwire) - Vantor Labs said on Monday it had\n"
        "won a five-year contract to supply sensors to the national grid\n"
        "operator, its largest order so far.\n"
        "The contract is worth about $90 million, the company said.\n"
    )
    draft = parse_one(text.encode())
    assert len(draft.paragraphs()) == 2
    assert draft.paragraphs()[1] == "The contract is worth about $90 million, the company said."


def test_reuters_1987_style_table_lines_stay_separate() -> None:
    """Indented table lines each form their own paragraph; a sign-off run onto the last line goes."""
    text = (
        "GLENWOOD MILLS <GLMX> 4TH QTR NET\n"
        "    GLENWOOD, Fla., March 19 - Shr 86 cts vs 62 cts\n"
        "    Net 28.0 mln vs 18.3 mln\n"
        "    Revs 513.5 mln vs 517.0 mln        REUTER\n"
    )
    draft = parse_one(text.encode())
    assert draft.dateline is not None and draft.dateline.place == "GLENWOOD, Fla." and draft.dateline.agency is None
    assert draft.paragraphs() == ["Shr 86 cts vs 62 cts", "Net 28.0 mln vs 18.3 mln", "Revs 513.5 mln vs 517.0 mln"]
