"""Tell an input's format from its content, so ``tickerwire parse FILE`` needs no ``--format``.

JSON is a ``draft`` when its objects carry our ``headline`` and ``body`` list, and ``ninjs`` when they carry
ninjs fields; XML is ``rss`` when its root is ``rss``, ``feed`` or ``rdf:RDF``; markup with HTML elements is
``html``; text is a ``page`` when it has the furniture of a saved article page (breadcrumb, section menu,
comments, related articles, copyright), and ``wire`` copy otherwise.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tickerwire.core.sections import SECTION_NAMES
from tickerwire.ingest.decoding import decode_text
from tickerwire.ingest.errors import ParseError
from tickerwire.ingest.ninjs import NINJS_KEYS

_PROLOGUE = re.compile(r"^(?:\s+|<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.IGNORECASE | re.DOTALL)
_ROOT_TAG = re.compile(r"<\s*([A-Za-z_][\w.:-]*)")
_FEED_ROOTS = frozenset({"rss", "feed", "rdf:rdf", "rdf"})
_HTML_MARKERS = re.compile(
    r"<\s*(?:!doctype\s+html|html|head|body|article|div|p|h[1-6]|meta|title|section|main|span|a\s)[\s>/]",
    re.IGNORECASE,
)
_MENU_LINE = " ".join(SECTION_NAMES).casefold()
_PAGE_SIGNALS = (
    re.compile(r"^\s*/\s*$", re.MULTILINE),  # the breadcrumb separator line: "site / Section / Headline"
    re.compile(r"^\s*Comments\s*$", re.MULTILINE),
    re.compile(r"^\s*Related Articles\b", re.MULTILINE | re.IGNORECASE),
    re.compile(r"^\s*(?:Sign up to post|Show More Comments|Sort by)\s*$", re.MULTILINE | re.IGNORECASE),
    re.compile(r"^\s*(?:Copyright|©|\(c\))\s.*(?:All Rights Reserved|\d{4})", re.MULTILINE | re.IGNORECASE),
)


def sniff_format(data: bytes) -> str:
    """Return the format name of an input (one of ``tickerwire.ingest.FORMATS``).

    Raise ``ParseError`` for empty or binary input, invalid JSON, and XML that is no feed.
    """
    text = decode_text(data)
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith(("{", "[")):
        return _sniff_json(head)
    if head.startswith("<"):
        return _sniff_markup(head)
    if _HTML_MARKERS.search(head[:2048]) and re.search(r"</\s*(?:p|div|body|html)\s*>", head, re.IGNORECASE):
        return "html"
    return "page" if is_page_text(head) else "wire"


def is_page_text(text: str) -> bool:
    """Return whether plain text looks like a saved article page rather than wire copy."""
    head = [line.strip() for line in text.splitlines()[:40] if line.strip()]
    signals = sum(1 for pattern in _PAGE_SIGNALS if pattern.search(text))
    if _MENU_LINE in {line.casefold() for line in head}:
        signals += 2
    if head[:12].count("/") >= 2:  # "site / Section / Headline" breadcrumb, one part a line
        signals += 2
    return signals >= 2


def _sniff_json(text: str) -> str:
    first = _first_json_value(text)
    if isinstance(first, list):
        first = next((value for value in first if isinstance(value, dict)), None)
    if not isinstance(first, dict):
        raise ParseError("JSON input holds no objects: expected a story draft or a ninjs item")
    if isinstance(first.get("headline"), str) and isinstance(first.get("body"), list):
        return "draft"
    if any(str(key).lower() in NINJS_KEYS for key in first):
        return "ninjs"
    raise ParseError("JSON input is neither a story draft (headline, body) nor ninjs (uri, type, headlines)")


def _first_json_value(text: str) -> Any:
    """Return the whole JSON document, or the first decodable line of JSON Lines."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        whole_error = exc
    for line in text.splitlines():
        if line.strip():
            try:
                return json.loads(line)
            except (ValueError, RecursionError):
                continue
    reason = f"{whole_error.msg} at line {whole_error.lineno}" if isinstance(whole_error, json.JSONDecodeError) else ""
    raise ParseError(f"input looks like JSON but is not valid JSON{': ' + reason if reason else ''}")


def _sniff_markup(text: str) -> str:
    body = _PROLOGUE.sub("", text[:65536], count=1)
    root = _ROOT_TAG.match(body)
    name = root.group(1).lower() if root else ""
    if name in _FEED_ROOTS:
        return "rss"
    if name == "html" or _HTML_MARKERS.search(text[:8192]):
        return "html"
    declared = text.startswith(("<?xml", "<!"))
    if not name or not declared and f"</{name}" not in text[:1_000_000].lower():
        # Not XML after all: wire headlines open with a ticker in angle brackets, "<ORBIS WIDGETS> Q3 NET".
        return "page" if is_page_text(text) else "wire"
    raise ParseError(f"XML input with root <{root.group(1) if root else name}> is not an RSS or Atom feed or HTML")
