"""Headline-only items (flashes, analyst actions, BRIEF-) are stories of their own kind, in every format."""

from __future__ import annotations

import json

import pytest

from tickerwire.core.draft import ArticleDraft, SourceRef, story_key
from tickerwire.ingest import ParseError, parse_bytes

ANALYST = "Northbank Maintains Orbis Widgets at Buy"


def only_draft(data: bytes, fmt: str) -> ArticleDraft:
    (result,) = parse_bytes(data, fmt)
    assert isinstance(result, ArticleDraft), result
    return result


def test_wire_headline_alone_is_a_flash() -> None:
    draft = only_draft(f"{ANALYST}\n".encode(), "wire")
    assert draft.kind == "flash" and draft.headline == ANALYST and draft.body == []


def test_brief_prefix_makes_a_flash_and_leaves_the_headline() -> None:
    """A BRIEF- item is a flash even with bullets or a line of text; the prefix is not headline text."""
    text = b"BRIEF-Orbis Widgets Q3 revenue rises 8 pct\n\n* Orbis Widgets says Q3 revenue up 8 pct\n"
    draft = only_draft(text, "wire")
    assert draft.kind == "flash" and draft.headline == "Orbis Widgets Q3 revenue rises 8 pct"
    assert draft.summary == ["Orbis Widgets says Q3 revenue up 8 pct"]


def test_full_story_stays_a_story() -> None:
    text = (
        "Orbis Widgets orders rise at the northern plant\n\n"
        "Orbis Widgets said on Tuesday that orders at its northern plant rose for a third month in a row.\n"
    )
    assert only_draft(text.encode(), "wire").kind == "story"


def test_rss_entry_with_a_title_only_is_a_flash() -> None:
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Sample Markets Desk</title>'
        f"<item><guid>urn:sample:flash:1</guid><title>{ANALYST}</title></item></channel></rss>"
    ).encode()
    draft = only_draft(feed, "rss")
    assert draft.kind == "flash" and draft.uri == "urn:sample:flash:1"


def test_ninjs_text_item_with_a_headline_only_is_a_flash_and_reads_our_genre() -> None:
    item = {"uri": "urn:sample:ninjs:flash1", "type": "text", "headlines": [{"role": "main", "value": ANALYST}]}
    assert only_draft(json.dumps(item).encode(), "ninjs").kind == "flash"
    tagged = dict(item, genres=[{"name": "Flash", "literal": "flash"}], description_text="One line of text.")
    draft = only_draft(json.dumps(tagged).encode(), "ninjs")
    assert draft.kind == "flash" and draft.summary == ["One line of text."]


def test_draft_json_round_trips_the_kind() -> None:
    draft = only_draft(f"{ANALYST}\n".encode(), "wire")
    again = only_draft(json.dumps(draft.to_json()).encode(), "draft")
    assert again.kind == "flash" and again.to_json() == draft.to_json()
    bad = dict(draft.to_json(), kind="bulletin")
    (error,) = parse_bytes(json.dumps(bad).encode(), "draft")
    assert isinstance(error, ParseError) and '"kind"' in error.reason


@pytest.mark.parametrize(("data", "fmt"), [(b"", "wire"), (b"\n\n  \n", "wire"), (b"", "page")])
def test_empty_input_is_still_an_error(data: bytes, fmt: str) -> None:
    with pytest.raises(ParseError, match="empty"):
        parse_bytes(data, fmt)


def test_flash_key_is_headline_source_and_day() -> None:
    """A repeated flash keeps its key; another day or another source makes another story."""

    def flash(headline: str, site: str, published: str) -> ArticleDraft:
        return ArticleDraft(headline=headline, source=SourceRef(site=site), published=published, kind="flash")

    first = story_key(flash(ANALYST, "Desk", "2026-03-03T09:00:00"))
    assert first.startswith("f:")
    assert story_key(flash(ANALYST.upper() + "!", "Desk", "2026-03-03T15:30:00")) == first
    assert story_key(flash(ANALYST, "Desk", "2026-03-04T09:00:00")) != first
    assert story_key(flash(ANALYST, "Other Desk", "2026-03-03T09:00:00")) != first


@pytest.mark.parametrize("headline", [b"null\n", b"x\n", b"{}\n", b"42\n"])
def test_a_lone_word_is_not_a_flash(headline: bytes) -> None:
    """A headline-only item needs two words: a bare "null" posted to the API is refused, with the reason."""
    (result,) = parse_bytes(headline, "wire")
    assert isinstance(result, ParseError) and "no body text" in result.reason and "2 words" in result.reason
