"""Parse a seed-style article page, as a reader's browser copied it, into a story.

The layout, top to bottom: the site and its breadcrumb (items each followed by a ``/`` line), the headline,
the section menu on one line, the headline again, the timestamp ("Aug 28, 2025 3:38 AM"), ``*`` summary
bullets, the byline, then the body hard-wrapped with every line on its own (blank lines between all of
them, so paragraph ends are inferred, see :func:`~tickerwire.ingest.textblocks.reflow_lines`), then the
comments widget, "Related Articles" and a copyright line. Every part but the headline may be missing.
"""

from __future__ import annotations

import re
from datetime import datetime

from tickerwire.core.draft import ArticleDraft, RelatedLink, SourceRef
from tickerwire.core.sections import SECTION_NAMES
from tickerwire.ingest.decoding import decode_text
from tickerwire.ingest.errors import ParseError
from tickerwire.ingest.storyparts import split_revision_marker
from tickerwire.ingest.textblocks import (
    finish_body,
    is_byline,
    normalise_space,
    parse_byline,
    reflow_lines,
    split_dateline,
    strip_sign_off,
)

_MONTH_DAY_YEAR = r"(?P<mon>[A-Z][a-z]{2,8})\.?\s+(?P<day>\d{1,2}),\s+(?P<year>\d{4})"
_TIMESTAMP = re.compile(
    rf"^{_MONTH_DAY_YEAR}(?:\s*(?:,|at)?\s*(?P<hour>\d{{1,2}}):(?P<minute>\d{{2}})\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?$"
)
_BULLET = re.compile(r"^[*\u2022]\s*(?P<text>.*)$")
# Where the article ends: the comments widget, the related list, the copyright footer.
_END_OF_ARTICLE = re.compile(
    r"^(?:comments(?:\s*\(\d+\))?|related articles\b.*|related stories\b.*|more from\b.*|copyright\b.*|\u00a9.*)$",
    re.IGNORECASE,
)
_RELATED_START = re.compile(r"^related (?:articles|stories)\b", re.IGNORECASE)
_FOOTER = re.compile(r"^(?:copyright\b|\u00a9)", re.IGNORECASE)
_INLINE_TICKER = re.compile(r"\(\s+([A-Z][A-Z0-9]{0,5}(?:[.:][A-Z]{1,4})?)\s+\)")
_MAX_HEADLINE = 300
_HEAD_SEARCH_LINES = 60


def parse(data: bytes) -> list[ArticleDraft | ParseError]:
    """Parse one copied article page; raise ``ParseError`` when it holds no recognisable story."""
    text = decode_text(data)
    return [parse_page_text(text)]


def parse_page_text(text: str) -> ArticleDraft:
    """Return the story of a copied page's text (see the module docstring for the layout)."""
    lines = [normalise_space(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    filled = [line for line in lines if line]
    if not filled:
        raise ParseError("page is empty")
    head_end, headline_at, published = _find_head(filled)
    headline = filled[headline_at]
    if len(headline) > _MAX_HEADLINE:
        raise ParseError("page has no headline: its first line is a paragraph, not a title")
    headline, marker = split_revision_marker(headline)
    first_at = filled.index(filled[headline_at])
    crumbs = _breadcrumb(filled[:first_at])
    menu_lines = [line for line in filled[first_at + 1 : headline_at] if line != filled[headline_at]]
    rest = filled[head_end:]
    end = next((i for i, line in enumerate(rest) if _END_OF_ARTICLE.match(line)), len(rest))
    body_lines, tail = rest[:end], rest[end:]
    summary, body_lines = _take_bullets(body_lines)
    byline, body_lines = _take_byline(body_lines)
    dateline, blocks, credits = finish_body(reflow_lines(strip_sign_off(body_lines)))
    return ArticleDraft(
        headline=headline,
        revision_marker=marker,
        source=SourceRef(site=crumbs[0] if crumbs else None, section=crumbs[-1] if len(crumbs) > 1 else None),
        sections_menu=split_menu(" ".join(menu_lines)) if menu_lines else [],
        published=published,
        summary=summary,
        byline=byline,
        dateline=dateline,
        body=blocks,
        credits=credits,
        related=_related(tail),
    )


def _find_head(lines: list[str]) -> tuple[int, int, str | None]:
    """Return where the head ends, where the headline is, and the timestamp (ISO) if there is one.

    The headline is the line just above the timestamp; without a timestamp it is the first line the
    page repeats close by (title, menu, title), and failing that the first line.
    """
    for index, line in enumerate(lines[:_HEAD_SEARCH_LINES]):
        published = parse_page_timestamp(line)
        if published is not None and index > 0:
            return index + 1, index - 1, published
    for index, line in enumerate(lines[:_HEAD_SEARCH_LINES]):
        later = lines[index + 1 : index + 4]
        if line in later and line != "/":
            last = index + 1 + len(later) - 1 - later[::-1].index(line)
            return last + 1, last, None
    return 1, 0, None


def parse_page_timestamp(line: str) -> str | None:
    """Return a page timestamp ("Aug 28, 2025 3:38 AM", "Mar 21, 2024") as ISO 8601 without a zone."""
    match = _TIMESTAMP.match(line.strip())
    if match is None:
        return None
    month = _month_number(match.group("mon"))
    if month is None:
        return None
    try:
        day = datetime(int(match.group("year")), month, int(match.group("day")))  # noqa: DTZ001 - no zone given
    except ValueError:
        return None
    if match.group("hour") is None:
        return day.date().isoformat()
    hour, minute = int(match.group("hour")), int(match.group("minute"))
    ampm = (match.group("ampm") or "").replace(".", "").upper()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "PM" else 0)
    if hour > 23 or minute > 59:
        return None
    return day.replace(hour=hour, minute=minute).isoformat()


def _month_number(name: str) -> int | None:
    months = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    key = name[:3].lower()
    return months.index(key) + 1 if key in months else None


def _breadcrumb(lines: list[str]) -> list[str]:
    """Return the breadcrumb items (site first): the items each followed by a "/" line, else the lines."""
    crumbs = [lines[i - 1] for i in range(1, len(lines)) if lines[i] == "/" and lines[i - 1] != "/"]
    if crumbs:
        return crumbs
    return [line for line in lines[:2] if line != "/"]


def split_menu(line: str) -> list[str]:
    """Split a section menu printed on one line into its items.

    Items separated by "|" or "·" split there; otherwise the site's known section names are matched
    longest first ("Personal Finance"), and any other word is an item of its own.
    """
    if re.search(r"\s[|\u00b7\u2022]\s", line):
        return [item.strip() for item in re.split(r"\s[|\u00b7\u2022]\s", line) if item.strip()]
    words = line.split()
    known = sorted((name.split() for name in SECTION_NAMES), key=len, reverse=True)
    items: list[str] = []
    index = 0
    while index < len(words):
        for name in known:
            if [w.casefold() for w in words[index : index + len(name)]] == [w.casefold() for w in name]:
                items.append(" ".join(words[index : index + len(name)]))
                index += len(name)
                break
        else:
            items.append(words[index])
            index += 1
    return items


def _take_bullets(lines: list[str]) -> tuple[list[str], list[str]]:
    """Return the ``*`` summary bullets (each possibly wrapped over lines) and the lines after them."""
    if not lines or not _BULLET.match(lines[0]):
        return [], lines
    items: list[list[str]] = []
    index = 0
    while index < len(lines):
        match = _BULLET.match(lines[index])
        if match is None:
            break
        items.append([match.group("text")] if match.group("text") else [])
        index += 1
        while index < len(lines) and not _BULLET.match(lines[index]):
            line = lines[index]
            if is_byline(line) or split_dateline(line)[0] is not None:
                break
            items[-1].append(line)
            index += 1
    # The last bullet runs on into the body when neither a byline nor a dateline follows it: keep only
    # its first reflowed paragraph, at the width the bullets themselves were wrapped.
    last = items[-1]
    if len(last) > 1:
        widths = [len(line) for item in items for line in item]
        kept = reflow_lines(last, indent=0, width=max(widths[:-1] or widths))
        first_len = len(kept[0].split()) if kept else 0
        taken, words = 0, 0
        while taken < len(last) and words < first_len:
            words += len(last[taken].split())
            taken += 1
        lines = last[taken:] + lines[index:]
        items[-1] = last[:taken]
        index = 0
    else:
        lines = lines[index:]
        index = 0
    summary = [" ".join(item) for item in items if item]
    return summary, lines[index:]


def _take_byline(lines: list[str]) -> tuple[list[str], list[str]]:
    """Return the byline names and the lines after it; a name list ending in "and" or "," runs on."""
    if not lines or not is_byline(lines[0]) and not lines[0].lower().startswith("by "):
        return [], lines
    text, index = lines[0], 1
    while index < len(lines) and re.search(r"(?:,|\band|&)$", text) and split_dateline(lines[index])[0] is None:
        text += " " + lines[index]
        index += 1
    if not is_byline(text):
        return [], lines
    return parse_byline(text), lines[index:]


def _related(tail: list[str]) -> list[RelatedLink]:
    """Return the related-article teasers: headline (often printed twice), date, snippet."""
    start = next((i for i, line in enumerate(tail) if _RELATED_START.match(line)), None)
    if start is None:
        return []
    lines = [line for line in tail[start + 1 :] if not _FOOTER.match(line)]
    dates = [i for i, line in enumerate(lines) if parse_page_timestamp(line) is not None]
    links: list[RelatedLink] = []
    for n, at in enumerate(dates):
        if at == 0:
            continue
        headline = lines[at - 1]
        head_start = at - 2 if at >= 2 and lines[at - 2] == headline else at - 1
        if n + 1 < len(dates):
            following = dates[n + 1]
            nxt = lines[following - 1] if following >= 1 else ""
            stop = following - 2 if following >= 2 and lines[following - 2] == nxt else following - 1
        else:
            stop = len(lines)
        snippet = " ".join(lines[at + 1 : max(at + 1, stop)])
        if n > 0 and head_start <= dates[n - 1]:
            continue
        links.append(
            RelatedLink(
                headline=headline,
                published=parse_page_timestamp(lines[at]),
                snippet=snippet,
                tickers=inline_tickers(snippet),
            )
        )
    return links


def inline_tickers(text: str) -> list[str]:
    """Return the tickers a page marks inline as ``( META )``, once each, in order."""
    seen: list[str] = []
    for symbol in _INLINE_TICKER.findall(text):
        if symbol not in seen:
            seen.append(symbol)
    return seen
