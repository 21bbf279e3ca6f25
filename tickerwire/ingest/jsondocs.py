"""Read a JSON input that holds one object, an array of objects, or JSON Lines, item by item.

One unreadable line of a JSON Lines file must not lose the other lines, so each line is decoded on its own
and a bad one comes back as a ``ParseError`` in its place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tickerwire.ingest.decoding import decode_text
from tickerwire.ingest.errors import ParseError

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")  # JSON's own whitespace
# Where str.splitlines breaks a line.
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


@dataclass
class JsonItem:
    """One item of a JSON input: where it was (``line 3``, ``item 2``) and its value or why it is unreadable."""

    label: str
    value: Any = None
    error: ParseError | None = None

    def prefixed(self, reason: str) -> str:
        """Return a reason with this item's place in front, unless the input held just this one item."""
        return reason if self.label == "document" else f"{self.label}: {reason}"


def read_json_items(data: bytes) -> Iterator[JsonItem]:
    """Yield the items of a JSON document, JSON array or JSON Lines input, one at a time.

    An array's or a JSON Lines file's items are decoded one at a time (the array after a first pass that
    checks it is well formed, keeping only where each item is), so a large push never holds all of its
    items as Python values at once. Raise ``ParseError`` when the input is not JSON at all (no line of it
    decodes), before any item is yielded.
    """
    text = decode_text(data, fallback=None).strip()
    spans = _array_spans(text)
    if spans is not None:
        return (JsonItem(label=f"item {index}", value=_DECODER.raw_decode(text, start)[0])
                for index, (start, _end) in enumerate(spans, start=1))
    try:
        document = _loads(text)
    except ParseError as whole_error:
        return _json_lines(text, whole_error)
    return iter([JsonItem(label="document", value=document)])


def _array_spans(text: str) -> list[tuple[int, int]] | None:
    """Return where each item of a well-formed JSON array is, or ``None`` for any other text.

    Each item is decoded and dropped as it is checked, so no more than one is held at a time.
    """
    position = _skip_space(text, 0)
    if text[position : position + 1] != "[":
        return None
    spans: list[tuple[int, int]] = []
    position = _skip_space(text, position + 1)
    try:
        if text[position : position + 1] == "]":
            position += 1
        else:
            while True:
                _value, end = _DECODER.raw_decode(text, position)
                spans.append((position, end))
                position = _skip_space(text, end)
                separator = text[position : position + 1]
                position = _skip_space(text, position + 1)
                if separator == "]":
                    break
                if separator != ",":
                    return None
    except (ValueError, RecursionError):  # json.JSONDecodeError is a ValueError
        return None
    return spans if _skip_space(text, position) == len(text) else None


def _skip_space(text: str, position: int) -> int:
    """Return the position after the JSON whitespace at ``position``."""
    match = _SPACE.match(text, position)
    return match.end() if match else position


def _json_lines(text: str, whole_error: ParseError) -> Iterator[JsonItem]:
    """Yield the items of JSON Lines, or raise ``whole_error`` when fewer than two lines hold text or none
    decodes (it is then no JSON Lines either): lines are read and decoded one at a time."""
    held: list[JsonItem] = []  # items up to the second line and the first that decodes
    released = decoded = False
    count = 0
    for number, line in _lines(text):
        item = _line_item(number, line)
        count += 1
        decoded = decoded or item.error is None
        if released:
            yield item
            continue
        held.append(item)
        if decoded and count >= 2:
            released = True
            yield from held
            held = []
    if not released:
        raise whole_error


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(number, line)`` for each line with text, numbered and split as ``str.splitlines`` does."""
    start = 0
    number = 0
    for match in _LINE_BREAK.finditer(text):
        number += 1
        line = text[start : match.start()]
        if line.strip():
            yield number, line
        start = match.end()
    if start < len(text):
        line = text[start:]
        if line.strip():
            yield number + 1, line


def _line_item(number: int, line: str) -> JsonItem:
    try:
        return JsonItem(label=f"line {number}", value=_loads(line))
    except ParseError as exc:
        return JsonItem(label=f"line {number}", error=ParseError(f"line {number}: {exc.reason}"))


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except ValueError as exc:  # e.g. an integer longer than Python's digit limit
        raise ParseError(f"not usable JSON: {exc}") from None
    except RecursionError:
        raise ParseError("not usable JSON: nested too deeply") from None
