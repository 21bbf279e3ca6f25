"""JSON arrays and JSON Lines are read one item at a time, with the items and errors of reading them whole."""

from __future__ import annotations

import json
import tracemalloc

import pytest

from tickerwire.ingest import draft as draft_format
from tickerwire.ingest.errors import ParseError
from tickerwire.ingest.jsondocs import read_json_items


def _items(data: bytes) -> list[tuple[str, object, str | None]]:
    return [(i.label, i.value, i.error.reason if i.error else None) for i in read_json_items(data)]


def test_array_items_and_lines_read_as_before() -> None:
    assert _items(b' [ {"a": 1} , [2] ]\n') == [("item 1", {"a": 1}, None), ("item 2", [2], None)]
    assert _items(b"[]") == []
    assert _items(b'{"a": 1}') == [("document", {"a": 1}, None)]
    lines = _items(b'{"a": 1}\n\nnot json\n{"b": 2}\n')
    expected = [("line 1", {"a": 1}), ("line 3", None), ("line 4", {"b": 2})]
    assert [(label, value) for label, value, _e in lines] == expected
    assert lines[1][2] is not None and lines[1][2].startswith("line 3: not valid JSON")
    assert _items(b"[1]\n[2]") == [("line 1", [1], None), ("line 2", [2], None)]  # no array: two lines


@pytest.mark.parametrize("data", [b"[1,]", b"[1 2]", b"xx\nyy", b'{"a": 1', b"[1]\n"])
def test_what_is_no_json_raises_the_whole_inputs_error(data: bytes) -> None:
    if data == b"[1]\n":
        assert _items(data) == [("item 1", 1, None)]
        return
    with pytest.raises(ParseError, match="not valid JSON"):
        _items(data)


def test_draft_lines_are_parsed_one_at_a_time() -> None:
    line = {"headline": "Zentrix Mining lifts outlook", "body": [{"type": "paragraph", "text": "word " * 1000}]}
    data = "\n".join(json.dumps({**line, "headline": f"{line['headline']} {n}"}) for n in range(400)).encode()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        drafts = draft_format.parse(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(drafts) == 400
    # the decoded text and the drafts, not every line's JSON value besides (3.6x when read whole)
    assert peak - before < 3 * len(data)
