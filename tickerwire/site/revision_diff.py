"""Describe what changed between an article's revisions, paragraph by paragraph, for readers."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from tickerwire.core.dates import received_differs, time_style

ChangeKind = Literal["added", "removed", "changed"]
_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Change:
    """One changed part: ``html`` marks removed words with ``<del>`` and added ones with ``<ins>``."""

    kind: ChangeKind
    part: str  # "headline", "summary" or "paragraph"
    html: SafeString


@dataclass
class RevisionEntry:
    """One revision of the history with the changes that brought it about (none for the first)."""

    number: int
    created_at: datetime  # when this version was received
    marker: str
    changes: list[Change] = field(default_factory=list)
    published: datetime | None = None  # this version's story time; None for versions stored before it was kept
    published_style: str = "datetime"

    @property
    def shown_time(self) -> datetime:
        """Return the time readers see for this version: its story time, else when it was received."""
        return self.published or self.created_at

    @property
    def shows_received(self) -> bool:
        """Return whether the received time falls on another day than the version's story time."""
        return self.published is not None and received_differs(self.published, self.created_at)


def word_diff(before: str, after: str) -> SafeString:
    """Return ``after`` as HTML with words removed from ``before`` in ``<del>`` and new ones in ``<ins>``."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    parts: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(new[j1:j2])))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", "".join(old[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", "".join(new[j1:j2])))
    return mark_safe("".join(parts))  # noqa: S308 - built from escape()/format_html() parts only


def diff_texts(before: Sequence[str], after: Sequence[str], part: str) -> list[Change]:
    """Return the added, removed and changed items between two lists of texts."""
    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(a=list(before), b=list(after), autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        old, new = list(before[i1:i2]), list(after[j1:j2])
        paired = min(len(old), len(new)) if op == "replace" else 0
        for a, b in zip(old[:paired], new[:paired], strict=True):
            changes.append(Change("changed", part, word_diff(a, b)))
        changes.extend(Change("removed", part, format_html("<del>{}</del>", a)) for a in old[paired:])
        changes.extend(Change("added", part, format_html("<ins>{}</ins>", b)) for b in new[paired:])
    return changes


def paragraphs(draft: dict[str, Any]) -> list[str]:
    """Return the paragraph and subhead texts of a stored draft JSON."""
    return [str(block.get("text", "")) for block in draft.get("body") or []]


def diff_drafts(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Return what a reader would see changed from one draft JSON to the next."""
    changes: list[Change] = []
    if before.get("headline") != after.get("headline"):
        headline = word_diff(before.get("headline") or "", after.get("headline") or "")
        changes.append(Change("changed", "headline", headline))
    changes += diff_texts(before.get("summary") or [], after.get("summary") or [], "summary")
    changes += diff_texts(paragraphs(before), paragraphs(after), "paragraph")
    return changes


def revision_history(revisions: Sequence[Any]) -> list[RevisionEntry]:
    """Return the history, newest first, of revisions ordered oldest first (``Revision`` rows)."""
    entries: list[RevisionEntry] = []
    previous: dict[str, Any] | None = None
    for revision in revisions:
        draft = revision.draft or {}
        entry = RevisionEntry(
            number=revision.number, created_at=revision.created_at, marker=revision.revision_marker,
            published=revision.published_at, published_style=time_style(revision.published_basis),
        )
        if previous is not None:
            entry.changes = diff_drafts(previous, draft)
        entries.append(entry)
        previous = draft
    return list(reversed(entries))
