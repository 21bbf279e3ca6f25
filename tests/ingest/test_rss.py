"""The rss parser: RSS 2.0, Atom and RSS 1.0 entries become stories keyed by guid or link."""

from __future__ import annotations

import pytest

from tests.conftest import example_story
from tickerwire.core.draft import ArticleDraft, Dateline
from tickerwire.ingest import ParseError, SkippedStory, rss


def drafts_of(name: str) -> list[ArticleDraft | ParseError]:
    return rss.parse(example_story(name))


def test_rss2_entry_maps_every_field() -> None:
    """An RSS 2.0 item keeps guid, zone, creators, category section, dateline, subheads and summary."""
    first = drafts_of("rss_markets.xml")[0]
    assert isinstance(first, ArticleDraft)
    assert first.uri == "urn:sample:markets:1001"
    assert first.key == "uri:urn:sample:markets:1001"
    assert first.headline == "Orbis Widgets lifts outlook as orders rise"
    assert first.published == "2026-03-03T10:15:00+02:00"
    assert first.byline == ["Jane Roe", "Tom Poe"]
    assert first.source.site == "Sample Markets Desk"
    assert first.source.section == "Technology"
    assert first.language == "en-gb"
    assert first.dateline == Dateline(place="ZENITH CITY", date="March 3", agency="Tickerwire Sample Wire")
    assert first.summary == ["Orbis Widgets raised its full-year outlook."]
    assert [block.type for block in first.body] == ["paragraph", "paragraph", "subhead", "paragraph", "paragraph"]
    assert first.body[0].text.startswith("Orbis Widgets raised its full-year outlook on Tuesday")
    assert first.body[1].text.endswith("had doubled since January.")
    assert first.body[2].text == "Supply chain"
    # <br><br> splits a paragraph; the figure caption is not story text.
    assert first.body[4].text == "The plant will employ 400 people."
    assert "photographed" not in first.body_text()


def test_rss2_entry_without_guid_uses_link_and_strips_revision_prefix() -> None:
    """A link is the identity when there is no guid; "UPDATE 1-" becomes the revision marker."""
    second = drafts_of("rss_markets.xml")[1]
    assert isinstance(second, ArticleDraft)
    assert second.uri == "https://markets.example.test/kestrel-volumes"
    assert second.headline == "Kestrel Freight shares slide on weaker volumes"
    assert second.revision_marker == "UPDATE 1"
    assert second.published == "2026-03-03T11:02:00+00:00"
    assert second.byline == ["Amal Stone"]
    # The category naming one of our sections wins over the first category.
    assert second.source.section == "Stocks Market"
    assert second.paragraphs() == [
        "Kestrel Freight shares fell 6% after the hauler reported lower February volumes.",
        "Volumes dropped 3% from a year earlier.",
    ]
    assert second.summary == []


def test_bad_entries_are_returned_not_raised() -> None:
    """A media-only entry is skipped and an untitled one is an item error; the others still parse."""
    results = drafts_of("rss_markets.xml")
    assert len(results) == 4
    media, untitled = results[2], results[3]
    assert isinstance(media, SkippedStory)
    assert media.reason.startswith("entry 3 (urn:sample:markets:photo-77): media only")
    assert isinstance(untitled, ParseError) and not isinstance(untitled, SkippedStory)
    assert "entry 4" in untitled.reason and "no title" in untitled.reason


def test_atom_entries() -> None:
    """Atom: id is the identity, HTML title entities decode, both authors and the published zone are kept."""
    first, second = drafts_of("rss_atom.xml")
    assert isinstance(first, ArticleDraft) and isinstance(second, ArticleDraft)
    assert first.uri == "urn:sample:energy:2001"
    assert first.headline == "Lumen Grid & Partners win offshore lease"
    assert first.published == "2026-04-01T07:30:00+01:00"
    assert first.byline == ["Priya Vale", "Otto Brandt"]
    assert first.source.section == "Environment"
    assert [block.type for block in first.body] == ["paragraph", "subhead", "paragraph"]
    assert first.summary == ["Lumen Grid won a lease."]
    assert second.uri == "https://energy.example.test/corvid-capex"
    assert second.published == "2026-03-31T16:00:00+00:00"
    assert second.paragraphs() == [
        "Corvid Oil cut its 2026 capital budget by a tenth.",
        "It will drill fewer wells in the second half.",
    ]


def test_rss1_rdf_entry() -> None:
    """RSS 1.0 (RDF): dc:date with its zone, dc:creator and dc:subject are read."""
    (draft,) = drafts_of("rss_rdf.xml")
    assert isinstance(draft, ArticleDraft)
    assert draft.uri == "https://retail.example.test/pinecone"
    assert draft.published == "2026-05-02T09:00:00-04:00"
    assert draft.byline == ["Lee Marsh"]
    assert draft.source == draft.source.__class__(site="Sample Retail Wire", section="Retail")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (example_story("rss_empty.xml"), "feed has no entries"),
        (b"<html><body><p>A page, not a feed.</p></body></html>", "not an RSS or Atom feed"),
        (b"just some words", "not an RSS or Atom feed"),
        (b"   ", "input is empty"),
    ],
)
def test_unusable_feeds_raise_with_reason(data: bytes, reason: str) -> None:
    """A feed without entries, broken XML or plain text is a whole-input ParseError naming the problem."""
    with pytest.raises(ParseError, match=reason):
        rss.parse(data)


def test_bytes_naming_a_file_are_not_opened(tmp_path) -> None:
    """Input that happens to be a file path is parsed as content, never read from disk."""
    secret = tmp_path / "feed.xml"
    secret.write_bytes(example_story("rss_atom.xml"))
    with pytest.raises(ParseError):
        rss.parse(str(secret).encode())
