"""Format sniffing: each input format is recognised from its content; unusable bytes are refused."""

from __future__ import annotations

import codecs
import json

import pytest

from tests.conftest import example_story
from tickerwire.ingest import ParseError
from tickerwire.ingest.decoding import decode_text
from tickerwire.ingest.sniff import sniff_format

MENU = "News World Market Environment Technology Personal Finance Politics Retail Business Economy Cryptocurrency"
MENU += " Forex Stocks Market Commodities"

# A saved article page in the seed's shape, with an invented story (fictional companies only).
PAGE_TEXT = f"""samplesite
Business
samplesite
/
Business
/
Orbis Widgets lifts outlook as orders rise
{MENU}
Orbis Widgets lifts outlook as orders rise
Mar 3, 2026 10:15 AM

By Jane Roe

ZENITH CITY, March 3 (Tickerwire Sample Wire) - Orbis Widgets raised

its full-year outlook on Tuesday.

Comments
Sign up to post
Related Articles >
Copyright 2023-2026 - www.samplesite.test All Rights Reserved
"""

WIRE_TEXT = """UPDATE 1-Orbis Widgets lifts outlook as orders rise

ZENITH CITY, March 3 (Tickerwire Sample Wire) - Orbis Widgets raised
its full-year outlook on Tuesday after orders rose.

 (Reporting by Jane Roe; Editing by Tom Poe)
"""


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("html_orbis.html", "html"),
        ("html_kestrel.html", "html"),
        ("rss_markets.xml", "rss"),
        ("rss_atom.xml", "rss"),
        ("rss_rdf.xml", "rss"),
        ("rss_empty.xml", "rss"),
        ("ninjs_v1_text.json", "ninjs"),
        ("ninjs_v2_items.json", "ninjs"),
        ("ninjs_v3_camel.json", "ninjs"),
        ("ninjs_event.json", "ninjs"),
        ("draft_stories.jsonl", "draft"),
        ("page_orbis_plant.txt", "page"),
        ("page_quill_bare.txt", "page"),
        ("wire_orbis_update.txt", "wire"),
    ],
)
def test_fixtures_are_recognised(name: str, fmt: str) -> None:
    """Each of our fixtures sniffs as the format it is written in."""
    assert sniff_format(example_story(name)) == fmt


def test_page_and_wire_text() -> None:
    """Text with breadcrumb, section menu, comments and copyright is a page; bare wire copy is wire."""
    assert sniff_format(PAGE_TEXT.encode()) == "page"
    assert sniff_format(WIRE_TEXT.encode()) == "wire"
    assert sniff_format(b"Comments\nnothing else here") == "wire"


def test_wire_headline_opening_with_a_bracketed_ticker() -> None:
    """A wire headline opening with a bracketed ticker is wire copy; a real XML document of another kind is refused."""
    wire = b"<ORBIS WIDGETS LTD> 4TH QTR NET\n    ZENITH CITY, Feb 26 - Shr 45 cts vs 58 cts\n Reuter\n"
    assert sniff_format(wire) == "wire"
    with pytest.raises(ParseError, match="not an RSS or Atom feed"):
        sniff_format(b"<invoice><total>3</total></invoice>")


def test_json_lines_with_a_bad_first_line_still_sniffs() -> None:
    """JSON Lines whose first line is broken is judged by the first line that decodes."""
    line = example_story("draft_stories.jsonl").splitlines()[0]
    assert sniff_format(b"{oops\n" + line) == "draft"


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)],
)
def test_byte_order_marks(encoding: str, bom: bytes) -> None:
    """Text with a UTF-8 or UTF-16 byte-order mark decodes and sniffs like plain UTF-8."""
    data = bom + PAGE_TEXT.encode(encoding)
    assert decode_text(data) == PAGE_TEXT
    assert sniff_format(data) == "page"
    ninjs = bom + json.dumps({"uri": "urn:x", "type": "text", "headline": "Caf\u00e9 chain grows"}).encode(encoding)
    assert sniff_format(ninjs) == "ninjs"


def test_latin1_text_falls_back() -> None:
    """Text that is not UTF-8 is read as Latin-1 rather than refused."""
    assert decode_text("Zo\u00eb Marr, caf\u00e9".encode("latin-1")) == "Zo\u00eb Marr, caf\u00e9"
    assert sniff_format(WIRE_TEXT.replace("Orbis", "\u00d6rbis").encode("latin-1")) == "wire"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "input is empty"),
        (b" \n\t ", "input is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", "binary"),
        (b'{"headline": ', "not valid JSON"),
        (b"[1, 2, 3]", "holds no objects"),
        (b'{"weather": "sunny"}', "neither a story draft"),
        (b'<?xml version="1.0"?><invoice><total>3</total></invoice>', "not an RSS or Atom feed"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8", "byte-order mark"),
    ],
)
def test_unusable_input_is_refused(data: bytes, reason: str) -> None:
    """Empty, binary, broken JSON, JSON of another kind and foreign XML raise ParseError with the reason."""
    with pytest.raises(ParseError, match=reason):
        sniff_format(data)
