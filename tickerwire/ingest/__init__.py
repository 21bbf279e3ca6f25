"""Parsers from every input format to :class:`~tickerwire.core.draft.ArticleDraft`; no Django here.

Each format lives in its own module exposing ``parse(data: bytes) -> list[ArticleDraft | ParseError]``:
an item-level failure (one bad entry of a feed, one bad line of a JSON Lines file) is *returned* as a
``ParseError`` so the other items still parse; a failure of the whole input is *raised* as ``ParseError``.
"""

from __future__ import annotations

import importlib
import re
from typing import Protocol

from tickerwire.core.draft import BRIEF_PREFIX, ArticleDraft
from tickerwire.ingest.errors import ParseError, SkippedStory
from tickerwire.ingest.language import is_english, not_language_reason
from tickerwire.ingest.limits import StoryLimits, TooLarge

FORMATS: tuple[str, ...] = ("page", "wire", "html", "rss", "ninjs", "draft")

Parsed = ArticleDraft | ParseError

# A headline-only item needs words to be a flash: "null" or "x" posted alone is no news.
FLASH_MIN_WORDS = 2
_WORD = re.compile(r"[^\W\d_]{2,}")


class FormatParser(Protocol):
    def parse(self, data: bytes) -> list[Parsed]: ...


def parser_for(fmt: str) -> FormatParser:
    """Return the parser module of a format name (one of :data:`FORMATS`)."""
    if fmt not in FORMATS:
        raise ParseError(f"unknown format {fmt!r}; choose one of auto, {', '.join(FORMATS)}")
    module: FormatParser = importlib.import_module(f"tickerwire.ingest.{fmt}")  # type: ignore[assignment]
    return module


def parse_bytes(
    data: bytes, fmt: str = "auto", *, limits: StoryLimits | None = None, check_language: bool = True
) -> list[Parsed]:
    """Parse one input's bytes; ``fmt="auto"`` sniffs the format first.

    The size caps (``limits``, else :meth:`StoryLimits.from_env`) are checked on the bytes before any
    parsing, and on each story after it. Raise ``ParseError`` (``TooLarge`` for the caps) when the whole
    input is unusable; return item-level failures in the list. ``check_language=False`` lets text that
    does not read as language through (the detector's own bench measures it separately).
    """
    limits = limits or StoryLimits.from_env()
    concrete = sniff_within_limits(data, fmt, limits)
    results = [publishable(result, limits, check_language) for result in parser_for(concrete).parse(data)]
    for result in results:
        if isinstance(result, ArticleDraft) and result.format is None:
            result.format = concrete
    return results


def sniff_within_limits(data: bytes, fmt: str, limits: StoryLimits) -> str:
    """Return the input's concrete format, raising ``TooLarge`` before any costly work when it is too big.

    Plain text over the story cap is refused without sniffing: only JSON and XML inputs hold many stories.
    """
    limits.check_input_size(len(data), fmt)
    if fmt != "auto":
        return fmt
    opening = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if len(data) > limits.max_story_bytes and not opening.startswith((b"{", b"[", b"<")):
        limits.check_input_size(len(data), "wire")
    from tickerwire.ingest.sniff import sniff_format

    concrete = sniff_format(data)
    limits.check_input_size(len(data), concrete)
    return concrete


def publishable(result: Parsed, limits: StoryLimits | None = None, check_language: bool = True) -> Parsed:
    """Return the draft with its kind settled, or a ParseError when it cannot be published.

    A story needs a headline. One with no body text, or a ``BRIEF-`` headline, is a flash (headline-only
    item). A story over the size caps, or whose text does not read as language, is refused with the reason.
    """
    if isinstance(result, ParseError):
        return result
    if not result.headline.strip():
        return ParseError("the story has no headline")
    brief = BRIEF_PREFIX.match(result.headline)
    if brief is not None:
        result.headline = result.headline[brief.end() :]
        result.kind = "flash"
    if not any(block.text.strip() for block in result.body if block.type == "paragraph"):
        if len(_WORD.findall(result.headline)) < FLASH_MIN_WORDS:
            return ParseError(
                f"the story {result.headline[:60]!r} has no body text, and a headline-only flash needs "
                f"{FLASH_MIN_WORDS} words or more"
            )
        result.kind = "flash"
    problem = (limits or StoryLimits()).story_problem(result)
    if problem is None and check_language:
        problem = draft_language_problem(result)
    if problem is not None:
        return TooLarge(problem) if problem.startswith("too large") else ParseError(problem)
    return result


def draft_language_problem(draft: ArticleDraft) -> str | None:
    """Return why a story's text (headline, bullets, body) does not read as language, or ``None``."""
    text = "\n\n".join([draft.headline, *draft.summary, *(block.text for block in draft.body)])
    return not_language_reason(text, english=is_english(draft.language))


__all__ = [
    "FORMATS",
    "ParseError",
    "Parsed",
    "SkippedStory",
    "StoryLimits",
    "TooLarge",
    "draft_language_problem",
    "parse_bytes",
    "parser_for",
    "sniff_within_limits",
]
