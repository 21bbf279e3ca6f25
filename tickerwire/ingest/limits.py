"""How big a story may be: checked on the input's size before any parsing, and on each parsed story.

A 20 MB file of random text once parsed into 110,000 paragraphs and took a minute and gigabytes to store.
One story is a few kilobytes to a few hundred (the longest BBC story is 25 kB), so:

* ``TICKERWIRE_MAX_STORY_BYTES`` (default 2 MiB) caps an input that holds one story (wire copy, a page,
  an HTML page) before it is parsed, and the text of every parsed story (headline, bullets and body);
* ``TICKERWIRE_MAX_INPUT_BYTES`` (default 64 MiB) caps an input of many stories (a feed, ninjs or draft
  JSON Lines) before it is parsed; each of its stories still meets the story cap;
* ``TICKERWIRE_MAX_STORY_PARAGRAPHS`` (default 2,000) caps the paragraphs of one story.

The values come from the environment here (``tickerwire parse`` runs without Django) and from the Django
settings of the same names in the store; each refusal names the limit and the setting to raise.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from tickerwire.core.draft import ArticleDraft
from tickerwire.ingest.errors import ParseError

MULTI_STORY_FORMATS = frozenset({"rss", "ninjs", "draft"})
LIMIT_SETTINGS = ("TICKERWIRE_MAX_STORY_BYTES", "TICKERWIRE_MAX_INPUT_BYTES", "TICKERWIRE_MAX_STORY_PARAGRAPHS")
MIB = 1024 * 1024


class TooLarge(ParseError):
    """An input or story over a size limit; the reason names the limit and its setting."""


@dataclass(frozen=True)
class StoryLimits:
    """The size caps; see the module docstring for what each one covers."""

    max_story_bytes: int = 2 * MIB
    max_input_bytes: int = 64 * MIB
    max_paragraphs: int = 2000

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> StoryLimits:
        """Return the limits named ``TICKERWIRE_MAX_*`` in a mapping (the environment or settings)."""
        default = cls()
        return cls(
            max_story_bytes=_positive(values, "TICKERWIRE_MAX_STORY_BYTES", default.max_story_bytes),
            max_input_bytes=_positive(values, "TICKERWIRE_MAX_INPUT_BYTES", default.max_input_bytes),
            max_paragraphs=_positive(values, "TICKERWIRE_MAX_STORY_PARAGRAPHS", default.max_paragraphs),
        )

    @classmethod
    def from_env(cls) -> StoryLimits:
        """Return the limits set in the environment, the defaults for those not set."""
        return cls.from_mapping(os.environ)

    def input_limit(self, fmt: str) -> tuple[int, str]:
        """Return the byte cap of an input of a format and the setting that sets it."""
        if fmt in MULTI_STORY_FORMATS:
            return self.max_input_bytes, "TICKERWIRE_MAX_INPUT_BYTES"
        return self.max_story_bytes, "TICKERWIRE_MAX_STORY_BYTES"

    def check_input_size(self, size: int, fmt: str) -> None:
        """Raise ``TooLarge`` when an input of ``size`` bytes in format ``fmt`` (or ``auto``) is over its cap.

        With ``auto`` the cap is that of many-story inputs; :meth:`check_input_size` runs again once the
        format is sniffed.
        """
        limit, setting = (
            (self.max_input_bytes, "TICKERWIRE_MAX_INPUT_BYTES") if fmt == "auto" else self.input_limit(fmt)
        )
        if size > limit:
            what = "input" if fmt in MULTI_STORY_FORMATS or fmt == "auto" else f"{fmt} story"
            raise TooLarge(
                f"too large: the {what} is {describe_size(size)}, over the limit of {describe_size(limit)} "
                f"(set {setting} to raise it)"
            )

    def story_problem(self, draft: ArticleDraft) -> str | None:
        """Return why a parsed story is over the story caps, or ``None``."""
        paragraphs = sum(1 for block in draft.body if block.type == "paragraph")
        if paragraphs > self.max_paragraphs:
            return (
                f"too large: the story has {paragraphs:,} paragraphs, over the limit of {self.max_paragraphs:,} "
                "(set TICKERWIRE_MAX_STORY_PARAGRAPHS to raise it)"
            )
        size = len(draft.headline.encode("utf-8")) + sum(len(s.encode("utf-8")) for s in draft.summary)
        size += sum(len(block.text.encode("utf-8")) for block in draft.body)
        if size > self.max_story_bytes:
            return (
                f"too large: the story's text is {describe_size(size)}, over the limit of "
                f"{describe_size(self.max_story_bytes)} (set TICKERWIRE_MAX_STORY_BYTES to raise it)"
            )
        return None


def describe_size(size: int) -> str:
    """Return a byte count as people read it: "20.0 MiB", "512 bytes"."""
    if size >= MIB:
        return f"{size / MIB:.1f} MiB ({size:,} bytes)"
    if size >= 1024:
        return f"{size / 1024:.1f} KiB ({size:,} bytes)"
    return f"{size:,} bytes"


def _positive(values: Mapping[str, object], name: str, default: int) -> int:
    raw = values.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise ValueError(f"{name} must be a whole number of bytes or paragraphs, not {raw!r}") from None
    if value <= 0:
        raise ValueError(f"{name} must be positive, not {value}")
    return value
