"""Lay a structured story out as plain wire copy or as a seed-style page, as the parsers expect them.

The inverse of the ``wire`` and ``page`` parsers: acceptance checks and benchmarks render known stories
and parse them back, and sample content is produced the same way. Paragraph first lines are wrapped
``indent`` columns narrower, as wire copy indents them; a page keeps that wrapping but loses the indent.
"""

from __future__ import annotations

import textwrap
from datetime import datetime

from tickerwire.core.draft import ArticleDraft, Block, Dateline

PAGE_TIMESTAMP_FORMAT = "%b %d, %Y %I:%M %p"  # "Aug 28, 2025 03:38 AM"; the leading zeros are removed.
PAGE_DATE_FORMAT = "%b %d, %Y"  # "Mar 21, 2024"


def wrap_text(text: str, width: int, first_line_width: int | None = None) -> list[str]:
    """Return the text hard-wrapped greedily at ``width`` columns, never splitting a word."""
    first = width if first_line_width is None else first_line_width
    lines = textwrap.wrap(
        text,
        width=width,
        initial_indent=" " * (width - first),
        break_long_words=False,
        break_on_hyphens=False,
    )
    if lines:
        lines[0] = lines[0].lstrip()
    return lines


def format_dateline(dateline: Dateline) -> str:
    """Return the dateline as wire copy opens a story: ``MOSCOW, Aug 28 (Reuters) - ``."""
    head = ", ".join(part for part in (dateline.place, dateline.date) if part)
    if dateline.agency:
        head = f"{head} ({dateline.agency})" if head else f"({dateline.agency})"
    return f"{head} - "


def body_blocks_with_dateline(draft: ArticleDraft) -> list[Block]:
    """Return the body blocks with the dateline put back in front of the first paragraph."""
    blocks = list(draft.body)
    if draft.dateline is None:
        return blocks
    for index, block in enumerate(blocks):
        if block.type == "paragraph":
            blocks[index] = Block("paragraph", format_dateline(draft.dateline) + block.text)
            return blocks
    return [Block("paragraph", format_dateline(draft.dateline).rstrip(" -")), *blocks]


def format_byline(names: list[str]) -> str:
    """Return "By A, B and C" for a list of names."""
    if len(names) <= 1:
        return "By " + "".join(names)
    return "By " + ", ".join(names[:-1]) + " and " + names[-1]


def render_wire(draft: ArticleDraft, width: int = 65, indent: int = 4, blank_lines: bool = False) -> str:
    """Return the story as plain wire copy.

    The headline (with its revision marker, ``UPDATE 1-...``) comes first, then ``*`` summary bullets, the
    byline, and the body with each paragraph's first line indented; ``blank_lines`` also separates
    paragraphs with an empty line. Credits close the copy.
    """
    headline = f"{draft.revision_marker}-{draft.headline}" if draft.revision_marker else draft.headline
    out = [headline, ""]
    if draft.summary:
        out += [line for item in draft.summary for line in wrap_text("* " + item, width)] + [""]
    if draft.byline:
        out += wrap_text(format_byline(draft.byline), width) + [""]
    pad = " " * indent
    blocks = body_blocks_with_dateline(draft)
    if draft.credits:
        blocks.append(Block("paragraph", draft.credits))
    for block in blocks:
        lines = wrap_text(block.text, width, first_line_width=width - indent)
        out += [pad + lines[0], *lines[1:]] if lines else []
        if blank_lines:
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def format_page_timestamp(iso: str, with_time: bool = True) -> str:
    """Return an ISO timestamp as a page prints it: "Aug 28, 2025 3:38 AM" (or "Mar 21, 2024")."""
    moment = datetime.fromisoformat(iso)
    text = moment.strftime(PAGE_TIMESTAMP_FORMAT if with_time and "T" in iso else PAGE_DATE_FORMAT)
    return text.replace(" 0", " ")


def render_page(
    draft: ArticleDraft,
    width: int = 65,
    indent: int = 4,
    bullet_width: int | None = None,
    comments_widget: bool = True,
    footer: str | None = None,
) -> str:
    """Return the story as a reader's browser copies a seed-style article page.

    Site and breadcrumb, the section menu on one line, the headline twice around it, the timestamp, ``*``
    bullets, the byline, then the body hard-wrapped at ``width`` with one line per line and a blank line
    between every line (paragraph indentation is lost). The comments widget, the related-article list and
    the ``footer`` line follow the body.
    """
    site = draft.source.site
    section = draft.source.section
    out: list[str] = []
    crumbs = [part for part in (site, section) if part]
    if crumbs:
        out += crumbs + [item for crumb in crumbs for item in (crumb, "/")]
    out.append(draft.headline)
    if draft.sections_menu:
        out.append(" ".join(draft.sections_menu))
    out.append(draft.headline)
    if draft.published:
        out.append(format_page_timestamp(draft.published))
    body_lines: list[str] = []
    for item in draft.summary:
        body_lines += ["*", *wrap_text(item, bullet_width or width - 10)]
    if draft.byline:
        body_lines += wrap_text(format_byline(draft.byline), width)
    for block in body_blocks_with_dateline(draft):
        body_lines += wrap_text(block.text, width, first_line_width=width - indent)
    if draft.credits:
        body_lines += wrap_text(draft.credits, width)
    out += [""] + "\n\n".join(body_lines).split("\n") + [""]
    if comments_widget:
        out += ["Comments", "Welcome to the comments! Please keep conversations courteous.", "Sign up to post"]
        out += ["Sort by", "Show More Comments"]
    if draft.related:
        out.append("Related Articles >")
        for link in draft.related:
            out += [link.headline, link.headline]
            if link.published:
                out.append(format_page_timestamp(link.published, with_time=False))
            if link.snippet:
                out.append(link.snippet)
    if footer:
        out.append(footer)
    return "\n".join(out).rstrip("\n") + "\n"
