"""Read a JSON input that holds one object, an array of objects, or JSON Lines, item by item.

One unreadable line of a JSON Lines file must not lose the other lines, so each line is decoded on its own
and a bad one comes back as a ``ParseError`` in its place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tickerwire.ingest.decoding import decode_text
from tickerwire.ingest.errors import ParseError


@dataclass
class JsonItem:
    """One item of a JSON input: where it was (``line 3``, ``item 2``) and its value or why it is unreadable."""

    label: str
    value: Any = None
    error: ParseError | None = None

    def prefixed(self, reason: str) -> str:
        """Return a reason with this item's place in front, unless the input held just this one item."""
        return reason if self.label == "document" else f"{self.label}: {reason}"


def read_json_items(data: bytes) -> list[JsonItem]:
    """Return the items of a JSON document, JSON array or JSON Lines input.

    Raise ``ParseError`` when the input is not JSON at all (no line of it decodes).
    """
    text = decode_text(data, fallback=None).strip()
    try:
        document = _loads(text)
    except ParseError as whole_error:
        lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
        if len(lines) < 2:
            raise
        items = [_line_item(number, line) for number, line in lines]
        if all(item.error is not None for item in items):
            raise whole_error from None
        return items
    if isinstance(document, list):
        return [JsonItem(label=f"item {index}", value=value) for index, value in enumerate(document, start=1)]
    return [JsonItem(label="document", value=document)]


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
