"""Render an article body as HTML blocks with every tagged ticker mention linked to its ticker page.

Mentions are ``[start, end)`` character offsets into the body text, which is the body blocks' text joined
by a blank line (``ArticleDraft.body_text``). All text is escaped; only the links are markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from tickerwire.enrich.ticker_marks import tighten_marks

BLOCK_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Mention:
    """One linked span of the body text."""

    start: int
    end: int
    symbol: str
    url: str


@dataclass(frozen=True)
class BodyBlock:
    """A paragraph or subhead, its text already escaped and linked."""

    type: str
    html: SafeString


def non_overlapping(mentions: Iterable[Mention]) -> list[Mention]:
    """Return the mentions in text order, dropping empty spans and any that overlap an earlier one."""
    kept: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        if mention.end <= mention.start or (kept and mention.start < kept[-1].end):
            continue
        kept.append(mention)
    return kept


def link_text(text: str, offset: int, mentions: Sequence[Mention]) -> SafeString:
    """Return ``text`` escaped, with the mentions lying wholly inside it (offset-shifted) made links.

    Ticker marks padded by the source, ``( QLFB )``, are shown tight: ``(QLFB)``.
    """
    parts: list[str] = []
    cursor = 0
    for mention in mentions:
        start, end = mention.start - offset, mention.end - offset
        if start < cursor or end > len(text):
            continue
        parts.append(escape(text[cursor:start]))
        parts.append(
            format_html(
                '<a class="ticker-link" href="{}" data-symbol="{}">{}</a>', mention.url, mention.symbol,
                text[start:end],
            )
        )
        cursor = end
    parts.append(escape(text[cursor:]))
    # Every part above is escaped or format_html output; tightening only drops spaces inside parentheses.
    return mark_safe(tighten_marks("".join(parts)))  # noqa: S308


def render_body(body: Sequence[dict[str, str]], mentions: Iterable[Mention]) -> list[BodyBlock]:
    """Return the body's blocks as HTML, linking each mention inside the block it falls in."""
    ordered = non_overlapping(mentions)
    blocks: list[BodyBlock] = []
    offset = 0
    index = 0
    for block in body:
        text = str(block.get("text", ""))
        end = offset + len(text)
        while index < len(ordered) and ordered[index].start < offset:
            index += 1  # a mention in a separator or straddling a block edge cannot be linked
        inside: list[Mention] = []
        scan = index
        while scan < len(ordered) and ordered[scan].start < end:
            inside.append(ordered[scan])
            scan += 1
        index = scan
        block_type = "subhead" if block.get("type") == "subhead" else "paragraph"
        blocks.append(BodyBlock(type=block_type, html=link_text(text, offset, inside)))
        offset = end + len(BLOCK_SEPARATOR)
    return blocks
