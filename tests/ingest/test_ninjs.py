"""The ninjs parser: IPTC ninjs 1.x, 2.x and 3.x items, media-only items skipped with a reason."""

from __future__ import annotations

import json

import pytest

from tests.conftest import example_story
from tickerwire.core.draft import ArticleDraft, Dateline
from tickerwire.ingest import ParseError, SkippedStory, ninjs


def test_v1_item_maps_every_field() -> None:
    """A 1.x item: body_html wins over body_text (subheads kept), byline names, dateline, section, zone."""
    (draft,) = ninjs.parse(example_story("ninjs_v1_text.json"))
    assert isinstance(draft, ArticleDraft)
    assert draft.uri == "urn:sample:ninjs:orbis-1"
    assert draft.headline == "Orbis Widgets lifts outlook as orders rise"
    assert draft.published == "2026-03-03T08:00:00+01:00"  # firstcreated, not the later versioncreated
    assert draft.byline == ["Jane Roe", "Tom Poe"]
    assert draft.summary == ["Orbis Widgets raised its outlook after a strong quarter."]
    assert draft.source.site == "Sample Markets Desk"
    assert draft.source.section == "Business"  # the subject naming one of our sections
    assert draft.language == "en"
    assert draft.dateline == Dateline(place="ZENITH CITY", date="March 3", agency="Tickerwire Sample Wire")
    assert [(b.type, b.text) for b in draft.body] == [
        ("paragraph", "Orbis Widgets raised its full-year outlook on Tuesday."),
        ("paragraph", "Orders for smart hinges rose 14% in the quarter."),
        ("subhead", "New plant"),
        ("paragraph", "A plant in Lowmoor opens in June."),
    ]


def test_v2_array_yields_each_item_and_reports_the_bad_ones() -> None:
    """A JSON array: the text item parses, the picture is skipped, a non-object and a headless item fail alone."""
    text, picture, junk, headless = ninjs.parse(example_story("ninjs_v2_items.json"))
    assert isinstance(text, ArticleDraft)
    assert text.headline == "Kestrel Freight shares slide on weaker volumes"  # role "main", not "sub"
    assert text.summary == ["Kestrel Freight shares fell after February volumes dropped."]
    assert text.byline == ["Amal Stone"]
    assert text.source.section == "Stocks Market"
    assert text.published == "2026-03-04T12:00:00+00:00"
    assert [b.type for b in text.body] == ["paragraph", "subhead", "paragraph"]  # the HTML body wins
    assert isinstance(picture, SkippedStory)
    assert "item 2" in picture.reason and "media only (picture)" in picture.reason
    assert isinstance(junk, ParseError) and not isinstance(junk, SkippedStory)
    assert junk.reason.startswith("item 3: not a ninjs item")
    assert isinstance(headless, ParseError) and "has no headline" in headless.reason


def test_v3_camel_case_item() -> None:
    """ninjs 3.x camelCase keys read like 2.x; a text body splits on blank lines; UPDATE 1- is a marker."""
    (draft,) = ninjs.parse(example_story("ninjs_v3_camel.json"))
    assert isinstance(draft, ArticleDraft)
    assert draft.published == "2026-04-01T07:30:00+01:00"
    assert draft.headline == "Lumen Grid wins offshore lease"
    assert draft.revision_marker == "UPDATE 1"
    assert draft.paragraphs() == [
        "Lumen Grid won a lease for an offshore wind site on Wednesday.",
        "The partners expect to spend 2 billion crowns.",
    ]


def test_event_item_is_skipped() -> None:
    """An event (planning) item is well-formed but no story: SkippedStory saying so."""
    (result,) = ninjs.parse(example_story("ninjs_event.json"))
    assert isinstance(result, SkippedStory)
    assert "event or planning entry" in result.reason


def test_json_lines_of_items() -> None:
    """JSON Lines: one story per line, and a broken line is reported with its number."""
    item = json.loads(example_story("ninjs_v3_camel.json"))
    other = dict(item, uri="urn:sample:ninjs:lumen-3")
    data = "\n".join([json.dumps(item), "{broken", json.dumps(other)]).encode()
    first, broken, second = ninjs.parse(data)
    assert isinstance(first, ArticleDraft) and isinstance(second, ArticleDraft)
    assert (first.uri, second.uri) == ("urn:sample:ninjs:lumen-2", "urn:sample:ninjs:lumen-3")
    assert isinstance(broken, ParseError) and broken.reason.startswith("line 2: not valid JSON")


def test_text_item_with_description_only_uses_it_as_body() -> None:
    """A partial text item (description, no body) still ingests, its description as the text."""
    data = json.dumps(
        {"uri": "urn:x:1", "type": "text", "headlines": [{"value": "Quill Bank names chair"}],
         "descriptions": [{"role": "text", "value": "Quill Bank named a new chair on Monday."}]}
    ).encode()  # fmt: skip
    (draft,) = ninjs.parse(data)
    assert isinstance(draft, ArticleDraft)
    assert draft.paragraphs() == ["Quill Bank named a new chair on Monday."]
    assert draft.summary == []


def test_nitf_body() -> None:
    """An NITF body: paragraphs and hl2 subheads of body.content, the head left out."""
    nitf = (
        '<?xml version="1.0"?><nitf><head><title>Ignored</title></head><body><body.head><hedline><hl1>H</hl1>'
        "</hedline></body.head><body.content><p>First.</p><hl2>Middle</hl2><p>Last.</p></body.content></body></nitf>"
    )
    data = json.dumps(
        {"uri": "urn:x:2", "type": "text", "headlines": [{"value": "Nitf story"}],
         "bodies": [{"role": "nitf", "contentType": "text/vnd.IPTC.NITF", "value": nitf}]}
    ).encode()  # fmt: skip
    (draft,) = ninjs.parse(data)
    assert isinstance(draft, ArticleDraft)
    assert [(b.type, b.text) for b in draft.body] == [
        ("paragraph", "First."),
        ("subhead", "Middle"),
        ("paragraph", "Last."),
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"weather": "sunny"}', "not ninjs"),
        (b"", "input is empty"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "not"),
    ],
)
def test_unusable_input_raises_with_reason(data: bytes, reason: str) -> None:
    """Input that is not JSON, or JSON that is not ninjs, is one whole-input ParseError."""
    with pytest.raises(ParseError, match=reason):
        ninjs.parse(data)
