"""The page parser on seed-style pages of invented stories, and on bad input."""

from __future__ import annotations

import json

import pytest

from tests.conftest import FIXTURES, example_story
from tickerwire.core.draft import ArticleDraft
from tickerwire.ingest import page

FIELDS = ("source", "sections_menu", "headline", "published", "summary", "byline", "dateline", "body", "related")


def parse_one(data: bytes) -> ArticleDraft:
    results = page.parse(data)
    assert len(results) == 1 and isinstance(results[0], ArticleDraft)
    return results[0]


@pytest.mark.parametrize("name", ["page_orbis_plant", "page_quill_bare"])
def test_page_fixture_matches_expected_fields(name: str) -> None:
    """Every field of the expected story is recovered from the page, including inferred paragraphs."""
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text())
    got = parse_one(example_story(f"{name}.txt")).to_json()
    for field in FIELDS:
        assert got[field] == expected[field], field
    assert got["credits"] == expected["credits"]


def test_page_keeps_subheads_and_drops_widgets() -> None:
    """Capitalised lines become subheads; comments, menu and copyright text never reach the body."""
    draft = parse_one(example_story("page_orbis_plant.txt"))
    assert [b.text for b in draft.body if b.type == "subhead"] == ["PRICE WAR"]
    text = draft.body_text()
    assert "Comments" not in text and "Copyright" not in text and "Sign up" not in text


def test_page_timestamp_variants() -> None:
    """Page timestamps become ISO 8601 without a zone; a date alone stays a date."""
    assert page.parse_page_timestamp("Aug 28, 2025 3:38 AM") == "2025-08-28T03:38:00"
    assert page.parse_page_timestamp("Aug 28, 2025 12:05 PM") == "2025-08-28T12:05:00"
    assert page.parse_page_timestamp("Dec 1, 2025 12:05 AM") == "2025-12-01T00:05:00"
    assert page.parse_page_timestamp("Mar 21, 2024") == "2024-03-21"
    assert page.parse_page_timestamp("Feb 30, 2024") is None
    assert page.parse_page_timestamp("Orbis rose 3%") is None


def test_split_menu_uses_known_multiword_sections() -> None:
    """A one-line menu splits on the site's section names, longest first, other words alone."""
    assert page.split_menu("News Personal Finance Stocks Market Gadgets") == [
        "News",
        "Personal Finance",
        "Stocks Market",
        "Gadgets",
    ]
    assert page.split_menu("Home | Deals and Offers | Markets") == ["Home", "Deals and Offers", "Markets"]


def test_page_without_timestamp_uses_repeated_title() -> None:
    """With no timestamp the headline is the line the page repeats around the menu."""
    text = (
        "othersite\n/\nMarkets\n/\nVantor Labs wins grid contract\nNews Markets\nVantor Labs wins grid contract\n\n"
        "Vantor Labs said on Monday it had won a contract to supply sensors to the national grid.\n"
    )
    draft = parse_one(text.encode())
    assert draft.headline == "Vantor Labs wins grid contract"
    assert draft.published is None
    assert draft.paragraphs() == [
        "Vantor Labs said on Monday it had won a contract to supply sensors to the national grid."
    ]
