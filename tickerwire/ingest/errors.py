"""The one error every parser raises (or returns per item) for input it cannot turn into a story."""

from __future__ import annotations


class ParseError(Exception):
    """Input that cannot be parsed into a story; ``reason`` is one line a person can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SkippedStory(ParseError):
    """Well-formed input that holds nothing to publish (a media-only ninjs item, an empty feed entry)."""
