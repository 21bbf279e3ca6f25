"""The draft parser: our own JSON Lines read back exactly; malformed objects reported one by one."""

from __future__ import annotations

import json

import pytest

from tests.conftest import example_story
from tickerwire.core.draft import ArticleDraft
from tickerwire.ingest import ParseError, draft, parse_bytes


def test_own_output_round_trips_byte_for_byte() -> None:
    """Parsing `tickerwire parse` output and printing it again gives the same bytes."""
    original = example_story("draft_stories.jsonl").decode("utf-8")
    results = draft.parse(original.encode("utf-8"))
    assert results and all(isinstance(result, ArticleDraft) for result in results)
    reprinted = "".join(json.dumps(r.to_json(), ensure_ascii=False) + "\n" for r in results)  # type: ignore[union-attr]
    assert reprinted == original


def test_single_object_and_array_are_accepted() -> None:
    """One JSON object, or an array of them, reads as well as JSON Lines."""
    lines = example_story("draft_stories.jsonl").decode("utf-8").splitlines()
    objects = [json.loads(line) for line in lines]
    (single,) = draft.parse(lines[0].encode())
    assert isinstance(single, ArticleDraft) and single.to_json() == objects[0]
    array = draft.parse(json.dumps(objects).encode())
    assert [r.to_json() for r in array if isinstance(r, ArticleDraft)] == objects


@pytest.mark.parametrize(
    ("obj", "problem"),
    [
        ({"body": []}, '"headline" must be non-empty text'),
        ({"headline": "H", "body": [{"type": "quote", "text": "x"}]}, '"body[0].type"'),
        ({"headline": "H", "byline": "Jane Roe"}, '"byline" must be a list of text'),
        ({"headline": "H", "source": ["x"]}, '"source" must be an object or null'),
        ({"headline": "H", "dateline": {"place": 3}}, '"dateline.place" must be text or null'),
        ({"headline": "H", "related": [{"snippet": ""}]}, '"related[0].headline" must be text'),
        ({"headline": "H", "published": 20260303}, '"published" must be text or null'),
        ([1, 2], "expected a JSON object, got an array"),
    ],
)
def test_malformed_objects_are_item_errors(obj: object, problem: str) -> None:
    """A line that is JSON but not a draft is returned as a ParseError naming the line and the field."""
    good = example_story("draft_stories.jsonl").decode("utf-8").splitlines()[0]
    data = "\n".join([good, json.dumps(obj)]).encode()
    first, second = draft.parse(data)
    assert isinstance(first, ArticleDraft)
    assert isinstance(second, ParseError)
    assert second.reason.startswith("line 2: not a story draft")
    assert problem in second.reason


def test_parse_bytes_keeps_the_original_format() -> None:
    """Drafts re-read through parse_bytes keep the format they were first parsed from."""
    results = parse_bytes(example_story("draft_stories.jsonl"), "auto")
    assert [r.format for r in results if isinstance(r, ArticleDraft)] == ["html", "rss", "rss", "ninjs", "ninjs"]


def test_utf8_bom_is_accepted_and_other_encodings_refused() -> None:
    """A UTF-8 byte-order mark is fine; JSON that is not UTF-8 is a clear whole-input error."""
    line = example_story("draft_stories.jsonl").splitlines()[0]
    (result,) = draft.parse(b"\xef\xbb\xbf" + line)
    assert isinstance(result, ArticleDraft)
    with pytest.raises(ParseError, match="not UTF-8"):
        draft.parse(b'{"headline": "caf\xe9", "body": []}')
