"""Parse plain wire copy into a story.

The first line is the headline (a ``UPDATE 1-`` prefix becomes the revision marker). Optional ``*``
summary bullets and a ``By ...`` byline follow, then the body: paragraphs separated by blank lines or
opened by an indented line, hard-wrapped or not, the first opening with a ``PLACE, Mon DD (Agency) -``
dateline. A closing "(Reporting by ...)" line is kept as credits; sign-offs such as ``Reuter`` are dropped.
Copy with no paragraph marks at all (or a blank line after every wrapped line, as a copied page has) is
reflowed by inference, see :func:`~tickerwire.ingest.textblocks.reflow_lines`.
"""

from __future__ import annotations

import re

from tickerwire.core.draft import ArticleDraft
from tickerwire.ingest.decoding import decode_text
from tickerwire.ingest.errors import ParseError
from tickerwire.ingest.storyparts import split_revision_marker
from tickerwire.ingest.textblocks import (
    ends_sentence,
    finish_body,
    is_byline,
    normalise_space,
    parse_byline,
    reflow_lines,
    split_dateline,
    strip_sign_off,
)

_BULLET = re.compile(r"^\s*[*\u2022]\s+(?P<text>\S.*)$")
_MAX_HEADLINE = 300


def parse(data: bytes) -> list[ArticleDraft | ParseError]:
    """Parse one piece of wire copy; raise ``ParseError`` when it holds no recognisable story."""
    return [parse_wire_text(decode_text(data))]


def parse_wire_text(text: str) -> ArticleDraft:
    """Return the story of a piece of wire copy (see the module docstring for the layout)."""
    lines = [line.rstrip().expandtabs(8) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise ParseError("wire copy is empty")
    headline_line = normalise_space(lines.pop(0))
    if len(headline_line) > _MAX_HEADLINE:
        raise ParseError("wire copy has no headline: its first line is a paragraph, not a title")
    headline, marker = split_revision_marker(headline_line)
    summary, lines = _take_bullets(lines)
    byline, lines = _take_byline(lines)
    dateline, blocks, credits = finish_body(body_paragraphs(strip_sign_off(lines)))
    return ArticleDraft(
        headline=headline,
        revision_marker=marker,
        summary=summary,
        byline=byline,
        dateline=dateline,
        body=blocks,
        credits=credits,
    )


def _skip_blank(lines: list[str]) -> list[str]:
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    return lines[index:]


def _take_bullets(lines: list[str]) -> tuple[list[str], list[str]]:
    """Return the ``* `` bullets (a wrapped bullet continues on unindented lines) and the rest."""
    lines = _skip_blank(lines)
    items: list[str] = []
    index = 0
    while index < len(lines) and _BULLET.match(lines[index]):
        match = _BULLET.match(lines[index])
        assert match is not None
        item = [match.group("text")]
        index += 1
        while (
            index < len(lines)
            and lines[index].strip()
            and not lines[index][:1].isspace()
            and not _BULLET.match(lines[index])
            and not is_byline(lines[index])
            and split_dateline(lines[index])[0] is None
        ):
            item.append(lines[index])
            index += 1
        items.append(normalise_space(" ".join(item)))
        while index < len(lines) and not lines[index].strip() and index + 1 < len(lines):
            if not _BULLET.match(lines[index + 1]):
                break
            index += 1
    return items, lines[index:]


def _take_byline(lines: list[str]) -> tuple[list[str], list[str]]:
    """Return the byline names and the lines after it; a name list ending in "and" or "," runs on."""
    lines = _skip_blank(lines)
    if not lines or not lines[0].strip().lower().startswith("by "):
        return [], lines
    text, index = lines[0].strip(), 1
    while (
        index < len(lines)
        and lines[index].strip()
        and re.search(r"(?:,|\band|&)$", text)
        and split_dateline(lines[index])[0] is None
    ):
        text += " " + lines[index].strip()
        index += 1
    if not is_byline(text):
        return [], lines
    return parse_byline(text), lines[index:]


def body_paragraphs(lines: list[str]) -> list[str]:
    """Return the body's paragraphs from blank lines and indented first lines, or by inference.

    When no line is marked, or when every wrapped line stands between blank lines, paragraph ends are
    inferred from the line lengths.
    """
    lines = _skip_blank(lines)
    filled = [line for line in lines if line.strip()]
    if not filled:
        return []
    chunks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if not line.strip():
            if current:
                chunks.append(current)
            current = []
        elif line[:1].isspace() and current:
            chunks.append(current)
            current = [line]
        else:
            current.append(line)
    if current:
        chunks.append(current)
    if len(chunks) == 1 and len(chunks[0]) > 2 or _one_wrapped_line_per_chunk(chunks):
        return reflow_lines([line for chunk in chunks for line in chunk])
    return [normalise_space(" ".join(chunk)) for chunk in chunks]


def _one_wrapped_line_per_chunk(chunks: list[list[str]]) -> bool:
    """Return whether blank lines separate every wrapped line (a page pasted as wire copy).

    Single-line paragraphs that end mid-sentence show hard wrapping, not paragraphs.
    """
    if len(chunks) < 4 or any(len(chunk) > 1 for chunk in chunks):
        return False
    open_ended = sum(1 for chunk in chunks if not ends_sentence(chunk[0]) and not chunk[0].rstrip().endswith(":"))
    return open_ended >= len(chunks) // 3
