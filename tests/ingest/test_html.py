"""The html parser: an article page's main text, metadata, byline, dateline and subheads."""

from __future__ import annotations

import pytest

from tests.conftest import example_story
from tickerwire.core.draft import ArticleDraft, Dateline
from tickerwire.ingest import ParseError, html


def only_draft(name: str) -> ArticleDraft:
    (draft,) = html.parse(example_story(name))
    assert isinstance(draft, ArticleDraft)
    return draft


def test_article_page_metadata() -> None:
    """Canonical URL is the identity; site, section, zone-aware time, authors and language are read."""
    draft = only_draft("html_orbis.html")
    assert draft.uri == "https://markets.example.test/business/orbis-outlook"
    assert draft.headline == "Orbis Widgets lifts outlook as orders rise"
    assert draft.source.site == "Sample Markets Desk"
    assert draft.source.section == "Business"
    assert draft.published == "2026-03-03T10:15:00+02:00"
    assert draft.byline == ["Jane Roe", "Tom Poe"]
    assert draft.language == "en"


def test_article_page_body() -> None:
    """Menus, comments and footer are left out; the dateline and credits come off; h2 is a subhead."""
    draft = only_draft("html_orbis.html")
    assert draft.dateline == Dateline(place="ZENITH CITY", date="March 3", agency="Tickerwire Sample Wire")
    assert draft.credits == "(Reporting by Jane Roe; Editing by Tom Poe)"
    assert [block.type for block in draft.body] == ["paragraph"] * 3 + ["subhead"] + ["paragraph"] * 2
    assert draft.body[0].text.startswith("Orbis Widgets raised its full-year outlook on Tuesday")
    assert draft.body[3].text == "Supply chain"
    text = draft.body_text()
    for furniture in ("Home", "Sign in to comment", "All rights reserved", "By Jane Roe"):
        assert furniture not in text


def test_legacy_page_in_windows_1252() -> None:
    """A cp1252 page decodes; the revision prefix leaves the headline; list items become paragraphs."""
    draft = only_draft("html_kestrel.html")
    assert draft.headline == "Kestrel Freight shares slide on weaker volumes"
    assert draft.revision_marker == "UPDATE 1"
    assert draft.published == "2026-03-04T09:00:00"  # JSON-LD without a zone stays without one
    assert draft.uri is None and draft.key.startswith("h:")
    assert draft.dateline == Dateline(place="LOWMOOR", date="March 4", agency=None)
    assert "café chains" in draft.body_text()
    assert draft.paragraphs()[-1] == "Chief executive Zoë Marr said the company would not cut its dividend."
    assert ("subhead", "What analysts said") in [(b.type, b.text) for b in draft.body]
    assert "Ada Finch at Sample Securities cut her price target by a tenth." in draft.paragraphs()
    assert "Home" not in draft.body_text()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (example_story("html_not_article.html"), "no article text found"),
        (b"", "input is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ],
)
def test_pages_without_an_article_raise(data: bytes, reason: str) -> None:
    """A page with no story text, empty input or binary data is one ParseError with the reason."""
    with pytest.raises(ParseError, match=reason):
        html.parse(data)


def test_utf16_page_with_byte_order_mark() -> None:
    """A UTF-16 page (with its byte-order mark) parses like the UTF-8 original."""
    original = example_story("html_orbis.html")
    wide = b"\xff\xfe" + original.decode("utf-8").encode("utf-16-le")
    (utf8_draft,) = html.parse(original)
    (utf16_draft,) = html.parse(wide)
    assert isinstance(utf16_draft, ArticleDraft)
    assert utf16_draft.to_json() == utf8_draft.to_json()  # type: ignore[union-attr]
