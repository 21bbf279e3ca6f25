"""Every IPTC ninjs example in ``../shared/data/ninjs/examples`` ingests: text items as stories with a
headline and body, media-only and event items as SkippedStory with a reason; our own output round-trips."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.acceptance.conftest import require_shared_data
from tickerwire.core.draft import ArticleDraft
from tickerwire.ingest import ParseError, SkippedStory, draft, ninjs, publishable

EXAMPLES = require_shared_data("ninjs", "examples")
EXAMPLE_FILES = sorted(path for path in EXAMPLES.rglob("*.json") if "schema" not in path.name)
BODY_KEYS = ("body_text", "body_html", "body_xhtml", "bodies")


def raw_items(path: Path) -> list[dict[str, Any]]:
    document = json.loads(path.read_text(encoding="utf-8"))
    items = document if isinstance(document, list) else [document]
    return [{key.lower(): value for key, value in item.items()} for item in items]


def kind_of(item: dict[str, Any]) -> str:
    """Classify a raw example by the ninjs spec alone (not by our parser): text, headline, media, event or other."""
    item_type = str(item.get("type") or "").lower()
    has_body = any(item.get(key) for key in BODY_KEYS)
    if item_type == "event" or "eventdetails" in item:
        return "event"
    if item_type in ("picture", "video", "audio", "graphic") and not has_body:
        return "media"
    if item_type in ("text", "composite", "picture", "") and has_body:
        return "text"
    if item_type == "text" and item.get("descriptions"):
        return "text"
    if item_type in ("text", "") and str(item.get("headline") or "").strip():
        return "headline"  # no body: a flash (issue 11 item 7), or a story told by its extensible descriptions
    return "other"


def test_examples_were_found() -> None:
    """The corpus is there and holds text, media and event examples (so the checks below are not vacuous)."""
    kinds = [kind_of(item) for path in EXAMPLE_FILES for item in raw_items(path)]
    assert kinds.count("text") >= 20
    assert kinds.count("media") >= 8
    assert kinds.count("event") >= 4


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: str(path.relative_to(EXAMPLES)))
def test_example_ingests(path: Path) -> None:
    """Text items give a draft with headline and body; media and events are skipped saying why."""
    results = ninjs.parse(path.read_bytes())
    items = raw_items(path)
    assert len(results) == len(items)
    for item, result in zip(items, results, strict=True):
        kind = kind_of(item)
        if kind == "text":
            assert isinstance(result, ArticleDraft), getattr(result, "reason", result)
            assert result.headline.strip()
            assert result.body and all(block.text.strip() for block in result.body)
            assert result.uri == item["uri"]
        elif kind == "headline":
            assert isinstance(result, ArticleDraft), getattr(result, "reason", result)
            settled = publishable(result)  # what every entry point does next: settles the kind
            assert isinstance(settled, ArticleDraft), getattr(settled, "reason", settled)
            assert settled.headline.strip() and (settled.body or settled.kind == "flash")
        elif kind == "media":
            assert isinstance(result, SkippedStory)
            assert "media only" in result.reason
        elif kind == "event":
            assert isinstance(result, SkippedStory)
            assert "event" in result.reason
        else:
            assert isinstance(result, ParseError) and result.reason


def test_examples_round_trip_through_the_draft_format() -> None:
    """Printing every example's draft and parsing that output again gives byte-identical JSON lines."""
    drafts = [
        result
        for path in EXAMPLE_FILES
        for result in ninjs.parse(path.read_bytes())
        if isinstance(result, ArticleDraft)
    ]
    printed = "".join(json.dumps(d.to_json(), ensure_ascii=False) + "\n" for d in drafts)
    again = draft.parse(printed.encode("utf-8"))
    assert all(isinstance(d, ArticleDraft) for d in again)
    assert "".join(json.dumps(d.to_json(), ensure_ascii=False) + "\n" for d in again) == printed  # type: ignore[union-attr]


def test_validation_suite_never_crashes_the_parser() -> None:
    """Every document of the ninjs validation suite (passing and failing ones) gives drafts or ParseErrors only."""
    suite = sorted(require_shared_data("ninjs", "validation", "test_suite").rglob("*.json"))
    assert len(suite) > 200
    outcomes = {"draft": 0, "item error": 0, "raised": 0}
    for path in suite:
        try:
            results = ninjs.parse(path.read_bytes())
        except ParseError as exc:
            assert exc.reason and "\n" not in exc.reason
            outcomes["raised"] += 1
            continue
        for result in results:
            if isinstance(result, ArticleDraft):
                json.dumps(result.to_json())
                outcomes["draft"] += 1
            else:
                assert isinstance(result, ParseError) and result.reason
                outcomes["item error"] += 1
    assert outcomes["draft"] > 0 and outcomes["raised"] >= 5  # the five deliberately invalid JSON files
