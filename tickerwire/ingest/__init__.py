"""Parsers from every input format to :class:`~tickerwire.core.draft.ArticleDraft`; no Django here.

Each format lives in its own module exposing ``parse(data: bytes) -> list[ArticleDraft | ParseError]``:
an item-level failure (one bad entry of a feed, one bad line of a JSON Lines file) is *returned* as a
``ParseError`` so the other items still parse; a failure of the whole input is *raised* as ``ParseError``.
"""

from __future__ import annotations

import importlib
from typing import Protocol

from tickerwire.core.draft import ArticleDraft
from tickerwire.ingest.errors import ParseError, SkippedStory

FORMATS: tuple[str, ...] = ("page", "wire", "html", "rss", "ninjs", "draft")

Parsed = ArticleDraft | ParseError


class FormatParser(Protocol):
    def parse(self, data: bytes) -> list[Parsed]: ...


def parser_for(fmt: str) -> FormatParser:
    """Return the parser module of a format name (one of :data:`FORMATS`)."""
    if fmt not in FORMATS:
        raise ParseError(f"unknown format {fmt!r}; choose one of auto, {', '.join(FORMATS)}")
    module: FormatParser = importlib.import_module(f"tickerwire.ingest.{fmt}")  # type: ignore[assignment]
    return module


def parse_bytes(data: bytes, fmt: str = "auto") -> list[Parsed]:
    """Parse one input's bytes; ``fmt="auto"`` sniffs the format first.

    Raise ``ParseError`` when the whole input is unusable; return item-level failures in the list.
    """
    if fmt == "auto":
        from tickerwire.ingest.sniff import sniff_format

        fmt = sniff_format(data)
    results = [publishable(result) for result in parser_for(fmt).parse(data)]
    for result in results:
        if isinstance(result, ArticleDraft) and result.format is None:
            result.format = fmt
    return results


def publishable(result: Parsed) -> Parsed:
    """Return the draft, or a ParseError when it has no headline or no body text to publish."""
    if isinstance(result, ParseError):
        return result
    if not result.headline.strip():
        return ParseError("the story has no headline")
    if not any(block.text.strip() for block in result.body if block.type == "paragraph"):
        return ParseError(f"the story {result.headline[:60]!r} has no body text")
    return result


__all__ = ["FORMATS", "ParseError", "Parsed", "SkippedStory", "parse_bytes", "parser_for"]
