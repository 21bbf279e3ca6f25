"""Property tests: no input bytes make any parser raise anything but ParseError, and every draft a parser
returns serialises and reads back through the draft format unchanged."""

from __future__ import annotations

import importlib
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from tickerwire.core.draft import ArticleDraft
from tickerwire.ingest import FORMATS, ParseError, parse_bytes
from tickerwire.ingest import draft as draft_format

# A short run in the test suite; `TICKERWIRE_FUZZ_EXAMPLES=3000 pytest tests/ingest/test_fuzz.py` hunts by hand.
FUZZ_EXAMPLES = int(os.environ.get("TICKERWIRE_FUZZ_EXAMPLES", "60"))
FUZZ_SETTINGS = settings(
    max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)

# Words the parsers look for, so that generated input reaches past the first "not my format" check.
KEYS = [
    "uri", "type", "version", "headline", "headlines", "body", "body_text", "body_html", "body_xhtml", "bodies",
    "descriptions", "description_text", "byline", "by", "located", "versioncreated", "firstCreated", "subject",
    "subjects", "language", "role", "value", "contenttype", "contentType", "source", "site", "section",
    "dateline", "place", "date", "agency", "summary", "related", "tickers", "snippet", "published",
    "revision_marker", "credits", "format", "sections_menu", "eventDetails", "text",
]  # fmt: skip
VALUES = [
    "text", "picture", "video", "event", "composite", "main", "html", "text/html", "text/plain", "nitf",
    "paragraph", "subhead", "<p>A <b>b</b></p><h2>S</h2>", "2026-03-03T10:00:00+02:00", "Tue, 03 Mar 2026",
    "ZENITH CITY, March 3 (Tickerwire Sample Wire) - Orbis rose.", "By Jane Roe and Tom Poe", "", " ",
    "<?xml version='1.0'?><nitf><body><body.content><p>x</p></body.content></body></nitf>", "\x00", "\ud800",
]  # fmt: skip
TAGS = [
    "rss", "channel", "item", "title", "description", "link", "guid", "pubDate", "author", "category", "feed",
    "entry", "content", "summary", "id", "published", "updated", "name", "rdf:RDF", "html", "head", "body",
    "article", "p", "h1", "h2", "h3", "div", "ul", "li", "br", "script", "meta", "time", "nav", "footer",
]  # fmt: skip
LINES = [
    "*", "", "/", "By Jane Roe and Tom Poe", "By", "ZENITH CITY, March 3 (Tickerwire Sample Wire) - Orbis rose.",
    "(Tickerwire Sample Wire) -", "UPDATE 1-Orbis Widgets lifts outlook", "Comments", "Sign up to post",
    "Related Articles >", "Show More Comments", "Copyright 2023-2026 - www.example.test All Rights Reserved",
    "News World Market Environment Technology Personal Finance Politics Retail Business Economy Cryptocurrency "
    "Forex Stocks Market Commodities", "Business", "samplesite", "Aug 28, 2025 3:38 AM", "Mar 21, 2024",
    "(Reporting by Jane Roe; Editing by Tom Poe)", "Reuter", "REUTER", "ORDERS", "'QUOTED SUBHEAD'", "\t",
    "<p>", "{", "}", "- bullet", "\u2022 bullet",
]  # fmt: skip

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.sampled_from(VALUES) | st.text(max_size=30)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), children, max_size=6)
    ),
    max_leaves=25,
)
json_inputs = st.one_of(
    json_values.map(lambda value: json.dumps(value).encode()),
    st.lists(json_values, min_size=1, max_size=4).map(lambda vs: "\n".join(json.dumps(v) for v in vs).encode()),
)

xml_text = st.sampled_from(["Orbis", "&amp;", "&lt;p&gt;x&lt;/p&gt;", "&bogus;", "<![CDATA[<b>x</b>]]>", ""])
xml_text |= st.text(max_size=20)


@st.composite
def xml_element(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    attrs = draw(st.sampled_from(["", ' version="2.0"', ' xmlns="http://www.w3.org/2005/Atom"', ' href="x"']))
    children = [] if depth > 3 else draw(st.lists(xml_element(depth + 1), max_size=4))
    closing = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", ""]))  # sometimes left open
    return f"<{tag}{attrs}>{draw(xml_text)}{''.join(children)}{closing}"


PROLOGUES = ["", '<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE html>"]
xml_inputs = st.tuples(st.sampled_from(PROLOGUES), xml_element())
xml_bytes = xml_inputs.map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass"))
line_inputs = st.lists(st.sampled_from(LINES) | st.text(max_size=40), max_size=30).map(
    lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass")
)
# Every input-format fixture (ours and the page/wire ones), as starting points for mutation.
SEED_PREFIXES = ("html_", "rss_", "ninjs_", "draft_", "page_", "wire_")
SEEDS = [
    path.read_bytes()[:20000]
    for path in sorted(FIXTURES.iterdir())
    if path.name.startswith(SEED_PREFIXES) and ".expected." not in path.name
]


@st.composite
def mutated_fixture(draw: st.DrawFn) -> bytes:
    """Return one of our fixtures cut short, with a few bytes overwritten or inserted."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    data = data[: draw(st.integers(0, len(data)))]
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(st.binary(min_size=1, max_size=4))
    return bytes(data)


any_input = st.one_of(
    mutated_fixture(),
    st.binary(max_size=2000),
    st.text(max_size=2000).map(lambda text: text.encode("utf-8", "surrogatepass")),
    json_inputs,
    xml_bytes,
    line_inputs,
)


def parser_module(fmt: str):
    """Return a format's parser module, skipping the test while that parser is not written yet."""
    try:
        return importlib.import_module(f"tickerwire.ingest.{fmt}")
    except ModuleNotFoundError as exc:
        if exc.name != f"tickerwire.ingest.{fmt}":
            raise
        pytest.skip(f"the {fmt} parser is not in the tree yet")


def check_results(results: object) -> None:
    """Assert a parser's results are drafts or ParseErrors, and that each draft survives the draft format."""
    assert isinstance(results, list)
    for result in results:
        if isinstance(result, ParseError):
            assert isinstance(result.reason, str) and result.reason.strip()
            continue
        assert isinstance(result, ArticleDraft)
        line = json.dumps(result.to_json(), ensure_ascii=False)
        # Strict UTF-8: a lone surrogate in a draft would crash `tickerwire parse` when it prints.
        (again,) = draft_format.parse(line.encode("utf-8"))
        assert isinstance(again, ArticleDraft), again
        assert json.dumps(again.to_json(), ensure_ascii=False) == line


def run_parser(fmt: str, data: bytes) -> None:
    module = parser_module(fmt)
    try:
        results = module.parse(data)
    except ParseError as exc:
        assert isinstance(exc.reason, str) and exc.reason.strip()
        return
    check_results(results)


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ_SETTINGS
@given(data=any_input)
def test_parser_raises_only_parse_error(fmt: str, data: bytes) -> None:
    """Arbitrary bytes, text, JSON, XML and wire-like lines give drafts or ParseError, never a crash."""
    run_parser(fmt, data)


@FUZZ_SETTINGS
@given(data=any_input)
def test_auto_format_raises_only_parse_error(data: bytes) -> None:
    """Sniffing plus parsing (``parse_bytes(data, "auto")``) never raises anything but ParseError."""
    for fmt in ("page", "wire"):
        parser_module(fmt)
    try:
        results = parse_bytes(data, "auto")
    except ParseError as exc:
        assert exc.reason.strip()
        return
    check_results(results)


@FUZZ_SETTINGS
@given(
    headline=st.text(min_size=1).filter(str.strip),
    paragraphs=st.lists(st.text(), max_size=5),
    byline=st.lists(st.text(max_size=20), max_size=3),
    published=st.none() | st.text(max_size=30),
)
def test_any_draft_round_trips(headline: str, paragraphs: list[str], byline: list[str], published: str | None) -> None:
    """Any draft printed as JSON reads back through the draft format to the same JSON."""
    from tickerwire.core.draft import Block

    draft = ArticleDraft(
        headline=headline, body=[Block("paragraph", p) for p in paragraphs], byline=byline, published=published
    )
    check_results([draft])
