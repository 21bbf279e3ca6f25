"""Wire and page layouts of a story, as the parsers read them."""

from __future__ import annotations

from tickerwire.core.draft import ArticleDraft, Block, Dateline, SourceRef
from tickerwire.ingest.layout import format_dateline, format_page_timestamp, render_page, render_wire, wrap_text

STORY = ArticleDraft(
    headline="Orbis Widgets lifts outlook as gear orders climb",
    source=SourceRef(site="samplewire", section="Business"),
    sections_menu=["News", "Business", "Personal Finance"],
    published="2026-03-03T09:05:00",
    summary=["Orders up 12% in the quarter", "Outlook raised for the second time this year"],
    byline=["Ada Quint", "Bo Lindqvist"],
    dateline=Dateline("ZENITH CITY", "Mar 3", "Tickerwire"),
    body=[
        Block(
            "paragraph",
            "Orbis Widgets raised its full-year outlook on Tuesday after orders for its precision "
            "gears climbed faster than the company had expected in the first quarter.",
        ),
        Block("subhead", "FACTORY EXPANSION"),
        Block("paragraph", "The company said a new plant in Port Ellis would open next spring."),
    ],
    revision_marker="UPDATE 1",
    credits="(Reporting by Ada Quint; Editing by Bo Lindqvist)",
)


def test_wrap_text_keeps_words_whole_and_narrows_first_line() -> None:
    """Lines never exceed the width, the first line is narrower by the indent, and no word is split."""
    text = STORY.body[0].text
    lines = wrap_text(text, 40, first_line_width=36)
    assert len(lines[0]) <= 36 and all(len(line) <= 40 for line in lines)
    assert " ".join(lines) == text


def test_render_wire_layout() -> None:
    """Wire copy: marker-prefixed headline, bullets, byline, indented paragraphs opening with the dateline."""
    text = render_wire(STORY, width=60)
    lines = text.splitlines()
    assert lines[0] == "UPDATE 1-Orbis Widgets lifts outlook as gear orders climb"
    assert "* Orders up 12% in the quarter" in lines
    assert "By Ada Quint and Bo Lindqvist" in lines
    assert "    ZENITH CITY, Mar 3 (Tickerwire) - Orbis Widgets raised" in lines
    assert "    FACTORY EXPANSION" in lines
    assert lines[-1].startswith("    (Reporting by Ada Quint")
    assert max(len(line) for line in lines[1:]) <= 60


def test_render_page_layout() -> None:
    """A page: breadcrumb, menu between two headlines, timestamp, then one body line per line."""
    text = render_page(STORY, width=60)
    lines = text.splitlines()
    assert lines[:6] == ["samplewire", "Business", "samplewire", "/", "Business", "/"]
    assert lines[6] == lines[8] == STORY.headline
    assert lines[7] == "News Business Personal Finance"
    assert lines[9] == "Mar 3, 2026 9:05 AM"
    body = lines[lines.index("ZENITH CITY, Mar 3 (Tickerwire) - Orbis Widgets raised") :]
    assert body[1] == ""  # a blank line after every wrapped line
    assert all(len(line) <= 60 for line in lines[10:] if not line.startswith("Welcome"))


def test_formatting_helpers() -> None:
    """Datelines and page timestamps are printed the way wire copy and pages print them."""
    assert format_dateline(Dateline(None, None, "Tickerwire")) == "(Tickerwire) - "
    assert format_dateline(Dateline("PORT ELLIS", "Feb 26", None)) == "PORT ELLIS, Feb 26 - "
    assert format_page_timestamp("2025-08-28T15:38:00") == "Aug 28, 2025 3:38 PM"
    assert format_page_timestamp("2024-03-21") == "Mar 21, 2024"
