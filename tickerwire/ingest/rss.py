"""The ``rss`` format: RSS 2.0, RSS 1.0 (RDF) and Atom feeds, read by ``feedparser``; one story per entry.

An entry's guid (Atom ``id``) or else its link is the story's identity, so re-reading a feed changes nothing.
"""

from __future__ import annotations

import io
from typing import Any

import feedparser

from tickerwire.core.draft import ArticleDraft, SourceRef
from tickerwire.ingest.errors import ParseError, SkippedStory
from tickerwire.ingest.markup import clean_text, html_to_blocks, text_to_blocks
from tickerwire.ingest.storyparts import known_section, split_lead_dateline, split_revision_marker
from tickerwire.ingest.textblocks import normalise_space, parse_byline
from tickerwire.ingest.timestamps import iso_timestamp


def parse(data: bytes) -> list[ArticleDraft | ParseError]:
    """Return one draft per feed entry; raise ``ParseError`` when the input is not a feed with entries."""
    if not data.strip():
        raise ParseError("input is empty")
    try:
        # A file object, never the bytes themselves: given bytes, feedparser tries them as a file name first.
        feed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    except Exception as exc:  # feedparser's own failures on hostile input must not escape as tracebacks
        raise ParseError(f"not a readable feed: {type(exc).__name__}: {exc}") from None
    entries = feed.get("entries") or []
    if not entries:
        if feed.get("bozo"):
            raise ParseError(f"not an RSS or Atom feed: {_bozo_reason(feed)}")
        if not feed.get("version"):
            raise ParseError("not an RSS or Atom feed: no channel or feed element")
        raise ParseError("feed has no entries")
    header = feed.get("feed") or {}
    site = clean_text(str(header.get("title") or "")) or None
    language = clean_text(str(header.get("language") or "")) or None
    results: list[ArticleDraft | ParseError] = []
    for number, entry in enumerate(entries, start=1):
        try:
            results.append(entry_to_draft(entry, site=site, language=language))
        except ParseError as exc:
            uri = entry_uri(entry)
            label = f"entry {number} ({uri})" if uri else f"entry {number}"
            results.append(type(exc)(f"{label}: {exc.reason}"))
    return results


def entry_to_draft(entry: dict[str, Any], *, site: str | None, language: str | None) -> ArticleDraft:
    """Return the draft of one feed entry; raise ``SkippedStory`` for an entry with no text at all."""
    uri = entry_uri(entry)
    headline = _plain(entry.get("title_detail"), entry.get("title"))
    body, summary = _body_and_summary(entry)
    if not headline and not body:
        if entry.get("enclosures") or entry.get("media_content"):
            raise SkippedStory("media only, with no title or text")
        raise SkippedStory("no title and no text")
    if not headline:
        raise ParseError("no title, and a story needs a headline")
    headline, marker = split_revision_marker(headline)
    dateline, body = split_lead_dateline(body)
    return ArticleDraft(
        headline=headline,
        source=SourceRef(site=site, section=_section(entry)),
        # dict.get: feedparser's own .get("published") falls back to "updated" with a DeprecationWarning.
        published=iso_timestamp(dict.get(entry, "published")) or iso_timestamp(dict.get(entry, "updated")),
        summary=summary,
        byline=_byline(entry),
        dateline=dateline,
        body=body,
        uri=uri,
        revision_marker=marker,
        language=clean_text(str((entry.get("title_detail") or {}).get("language") or "")) or language,
    )


def entry_uri(entry: dict[str, Any]) -> str | None:
    """Return an entry's identity: its guid (Atom ``id``), else its link."""
    return clean_text(str(entry.get("id") or entry.get("link") or "")) or None


def _plain(detail: Any, fallback: Any) -> str:
    """Return a feed text construct as plain text, stripping HTML when the feed marked it as HTML."""
    if isinstance(detail, dict) and isinstance(detail.get("value"), str):
        value = detail["value"]
        if "html" in str(detail.get("type") or ""):
            return " ".join(block.text for block in html_to_blocks(value))
        return clean_text(value)
    return clean_text(fallback) if isinstance(fallback, str) else ""


def _blocks(detail: Any) -> list:
    if not isinstance(detail, dict) or not isinstance(detail.get("value"), str):
        return []
    value = detail["value"]
    if "html" in str(detail.get("type") or "html"):
        return html_to_blocks(value)
    return text_to_blocks(value)


def _body_and_summary(entry: dict[str, Any]) -> tuple[list, list[str]]:
    """Return the body blocks (content, else summary) and the summary when it is more than the body's start."""
    contents = [item for item in entry.get("content") or [] if isinstance(item, dict)]
    contents.sort(key=lambda item: 0 if "html" in str(item.get("type") or "") else 1)
    body = next((blocks for blocks in (_blocks(item) for item in contents) if blocks), [])
    summary_blocks = _blocks(entry.get("summary_detail"))
    if not body:
        return summary_blocks, []
    summary = normalise_space(" ".join(block.text for block in summary_blocks))
    body_start = normalise_space(" ".join(block.text for block in body))
    if not summary or body_start.startswith(summary.rstrip(".… ").removesuffix("[...]").strip()):
        return body, []
    return body, [summary]


def _byline(entry: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for author in entry.get("authors") or []:
        name = author.get("name") if isinstance(author, dict) else None
        # RSS 2.0 <author> is "email (Name)"; feedparser keeps just the name when there is one.
        for part in parse_byline(clean_text(name)) if isinstance(name, str) else []:
            if part not in names:
                names.append(part)
    if not names and isinstance(entry.get("author"), str):
        names = parse_byline(clean_text(entry["author"]))
    return names


def _section(entry: dict[str, Any]) -> str | None:
    terms = [
        clean_text(str(tag.get("term") or tag.get("label") or ""))
        for tag in entry.get("tags") or []
        if isinstance(tag, dict)
    ]
    terms = [term for term in terms if term]
    return known_section(terms) or (terms[0] if terms else None)


def _bozo_reason(feed: Any) -> str:
    exc = feed.get("bozo_exception")
    reason = getattr(exc, "getMessage", lambda: str(exc))() if exc is not None else "malformed XML"
    line = getattr(exc, "getLineNumber", lambda: None)()
    return f"{reason} (line {line})" if line else str(reason)
