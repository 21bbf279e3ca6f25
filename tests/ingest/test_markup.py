"""HTML fragments and timestamps as the feed and ninjs parsers meet them."""

from __future__ import annotations

import pytest

from tickerwire.core.draft import Block
from tickerwire.ingest.markup import html_to_blocks, text_to_blocks
from tickerwire.ingest.timestamps import iso_timestamp


def test_html_blocks_and_subheads() -> None:
    """Block elements end paragraphs, headings are subheads, inline markup and scripts are not text."""
    fragment = "<div>Lead <b>bold</b> text.<script>alert(1)</script><h2>Sub</h2><ul><li>One</li><li>Two</li></ul></div>"
    assert html_to_blocks(fragment) == [
        Block("paragraph", "Lead bold text."),
        Block("subhead", "Sub"),
        Block("paragraph", "One"),
        Block("paragraph", "Two"),
    ]


def test_double_line_breaks_split_paragraphs() -> None:
    """<br><br> is a paragraph break; a single <br> is not."""
    assert html_to_blocks("First line<br>same paragraph.<br/><br/>Second.") == [
        Block("paragraph", "First line same paragraph."),
        Block("paragraph", "Second."),
    ]


def test_plain_text_and_control_characters() -> None:
    """Plain text splits on blank lines; control characters that break XML parsers are dropped."""
    assert text_to_blocks("One\x00 two.\n\n\nThree.") == [Block("paragraph", "One two."), Block("paragraph", "Three.")]
    assert html_to_blocks("<p>A\x0b</p><p>&amp; B</p>") == [Block("paragraph", "A"), Block("paragraph", "& B")]
    assert html_to_blocks("   ") == []


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2026-03-03T10:15:00+02:00", "2026-03-03T10:15:00+02:00"),
        ("2026-03-03T10:15:00Z", "2026-03-03T10:15:00+00:00"),
        ("2026-03-03T10:15:00", "2026-03-03T10:15:00"),
        ("2026-03-03", "2026-03-03"),
        ("Tue, 03 Mar 2026 10:15:00 +0200", "2026-03-03T10:15:00+02:00"),
        ("Tue, 03 Mar 2026 10:15:00 GMT", "2026-03-03T10:15:00+00:00"),
        ("yesterday", None),
        ("2026-02-30", None),
        (None, None),
    ],
)
def test_iso_timestamp_keeps_the_zone(raw: str | None, iso: str | None) -> None:
    """Timestamps come out as ISO 8601 with the source's zone; no zone is invented; nonsense is None."""
    assert iso_timestamp(raw) == iso
