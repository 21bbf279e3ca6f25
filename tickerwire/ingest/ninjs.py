"""The ``ninjs`` format: IPTC News in JSON, versions 1.x (``headline``, ``body_html``), 2.x (``headlines``,
``bodies``) and 3.x (the same in camelCase), one item, an array of items, or JSON Lines of items.

Pictures, video, audio and graphics without story text, and event or planning items, are well-formed but hold
nothing to publish: they come back as :class:`SkippedStory` with the reason.
"""

from __future__ import annotations

import re
from itertools import chain
from typing import Any

import lxml.etree as etree

from tickerwire.core.draft import ArticleDraft, Block, Dateline, SourceRef
from tickerwire.ingest.errors import ParseError, SkippedStory
from tickerwire.ingest.jsondocs import read_json_items
from tickerwire.ingest.markup import clean_text, element_to_blocks, html_to_blocks, strip_controls, text_to_blocks
from tickerwire.ingest.storyparts import known_section, split_lead_dateline, split_revision_marker
from tickerwire.ingest.textblocks import parse_byline
from tickerwire.ingest.timestamps import iso_timestamp

MEDIA_TYPES = frozenset({"picture", "image", "photo", "video", "audio", "graphic"})
NON_STORY_TYPES = frozenset({"event", "planning", "component"})

# Keys that make a JSON object a ninjs item rather than some other JSON.
NINJS_KEYS = frozenset(
    {"uri", "type", "headline", "headlines", "body_text", "body_html", "body_xhtml", "bodies", "versioncreated",
     "firstcreated", "descriptions", "description_text", "byline", "by", "located", "renditions", "standard"}
)  # fmt: skip

_FOREIGN_BY = re.compile(r"^(?:von|par|por|av|door|di|da|af)\s+(?=[A-Z])", re.IGNORECASE)

# Preference among the bodies of one item: HTML keeps subheads, NITF is XML, plain text last.
_BODY_RANK = {"html": 0, "xhtml": 0, "nitf": 1, "text": 2}


def parse(data: bytes) -> list[ArticleDraft | ParseError]:
    """Return one draft per ninjs item; media-only and event items come back as ``SkippedStory``."""
    items = read_json_items(data)  # one at a time: each item's value is dropped once it is a draft
    first = next(items, None)
    second = next(items, None)
    if first is not None and second is None and first.error is None and not _is_item(first.value):
        raise ParseError("not ninjs: expected a JSON object with ninjs fields such as uri, type and headline(s)")
    results: list[ArticleDraft | ParseError] = []
    for item in chain((first, second), items):
        if item is None:
            continue
        if item.error is not None:
            results.append(item.error)
        elif not _is_item(item.value):
            results.append(ParseError(item.prefixed("not a ninjs item (no uri, type or headline)")))
        else:
            try:
                results.append(item_to_draft(_lower_keys(item.value)))
            except ParseError as exc:
                error_class = type(exc)
                results.append(error_class(item.prefixed(exc.reason)))
    return results


def _is_item(value: Any) -> bool:
    return isinstance(value, dict) and any(str(key).lower() in NINJS_KEYS for key in value)


def _lower_keys(value: Any, depth: int = 0) -> Any:
    """Return a copy of a JSON value with every object key lower-cased, so 3.x camelCase reads as 2.x."""
    if depth > 50:
        return None
    if isinstance(value, dict):
        return {str(key).lower(): _lower_keys(inner, depth + 1) for key, inner in value.items()}
    if isinstance(value, list):
        return [_lower_keys(inner, depth + 1) for inner in value]
    return value


def item_to_draft(item: dict[str, Any]) -> ArticleDraft:
    """Return the draft of one ninjs item (keys lower-cased); raise ``SkippedStory`` or ``ParseError``."""
    item_type = _text(item.get("type")).lower()
    uri = _text(item.get("uri")) or None
    label = f"{item_type or 'untyped'} item {uri}" if uri else f"{item_type or 'untyped'} item"
    if item_type in NON_STORY_TYPES or "eventdetails" in item or "planningdetails" in item:
        raise SkippedStory(f"{label} is an event or planning entry, not a story")
    body = _body_blocks(item)
    description = _description(item)
    if item_type in MEDIA_TYPES and not body:
        raise SkippedStory(f"{label} is media only ({item_type}) with no story text")
    headline = _headline(item)
    if not headline:
        raise ParseError(f"{label} has no headline")
    if not body and item_type not in ("text", "composite", ""):
        raise SkippedStory(f"{label} has no body text")
    if not body and description and not _is_flash(item):
        # A text item sent with its description only (representationtype "partial"): that is its text.
        body, description = text_to_blocks(description), ""
    if body and body[0].text.casefold() == headline.casefold() and len(body) > 1:
        body = body[1:]  # some agencies repeat the headline as the body's first line
    dateline, body = split_lead_dateline(body)
    located = clean_text(_text(item.get("located")))
    if located:
        dateline = dateline or Dateline()
        dateline.place = dateline.place or located
    headline, marker = split_revision_marker(headline)
    return ArticleDraft(
        headline=headline,
        source=SourceRef(site=clean_text(_text(item.get("copyrightholder"))) or None, section=_section(item)),
        published=_published(item),
        summary=_summary_bullets(item) or ([description] if description else []),
        credits=_credits(item),
        byline=_byline(item),
        dateline=dateline,
        body=body,
        uri=uri,
        revision_marker=marker,
        language=clean_text(_text(item.get("language"))) or None,
        kind="flash" if _is_flash(item) else "story",
    )


def _is_flash(item: dict[str, Any]) -> bool:
    """Return whether an item says it is a flash: a genre named or coded "flash" (as our own output writes)."""
    value = item.get("genres")
    genres: list[Any] = value if isinstance(value, list) else [item.get("genre")]
    for genre in genres:
        if isinstance(genre, dict):
            names = (_text(genre.get(key)).strip().lower() for key in ("name", "code", "literal", "uri"))
            if any(name == "flash" or name.endswith(":flash") or name.endswith("/flash") for name in names):
                return True
    return False


def _text(value: Any) -> str:
    """Return a JSON value as text when it is text (or a number), else the empty string."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _role_values(value: Any) -> list[tuple[str, str, str]]:
    """Return ``(role, contenttype, value)`` for each entry of a 2.x list such as ``headlines`` or ``bodies``."""
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return []
    entries = []
    for entry in value:
        if isinstance(entry, dict) and _text(entry.get("value")).strip():
            role = _text(entry.get("role")).lower()
            entries.append((role, _text(entry.get("contenttype")).lower(), _text(entry.get("value"))))
    return entries


def _headline(item: dict[str, Any]) -> str:
    headline = clean_text(_text(item.get("headline")))
    if headline:
        return headline
    entries = _role_values(item.get("headlines"))
    main = [value for role, _ct, value in entries if role in ("main", "")] or [value for _r, _ct, value in entries]
    if main:
        return clean_text(main[0])
    return clean_text(_text(item.get("title")))


def _description(item: dict[str, Any]) -> str:
    for key in ("description_text", "description_html", "description_xhtml"):
        text = _text(item.get(key))
        if text.strip():
            return " ".join(block.text for block in html_to_blocks(text))
    entries = [e for e in _role_values(item.get("descriptions")) if e[0] != "credits"]
    preferred = [e for e in entries if e[0] in ("text", "summary", "lead", "")] or entries
    if not preferred:
        return ""
    return " ".join(block.text for block in html_to_blocks(preferred[0][2]))


def _summary_bullets(item: dict[str, Any]) -> list[str]:
    """Return summary bullets: 2.x ``descriptions`` with role ``summary``, one bullet each (as we write them)."""
    entries = [e for e in _role_values(item.get("descriptions")) if e[0] == "summary"]
    if len(entries) < 2:
        return []
    return [" ".join(block.text for block in html_to_blocks(value)) for _r, _ct, value in entries]


def _credits(item: dict[str, Any]) -> str | None:
    """Return wire credits carried as a description with role ``credits`` (as our own ninjs output does)."""
    for role, _ct, value in _role_values(item.get("descriptions")):
        if role == "credits":
            return clean_text(value) or None
    return None


def _body_blocks(item: dict[str, Any]) -> list[Block]:
    """Return the body of an item from ``body_html``/``body_xhtml``/``body_text`` (1.x) or ``bodies`` (2.x)."""
    candidates: list[tuple[int, str, str]] = []
    for key, kind in (("body_html", "html"), ("body_xhtml", "xhtml"), ("body_text", "text")):
        text = _text(item.get(key))
        if text.strip():
            candidates.append((_BODY_RANK[kind], kind, text))
    for role, content_type, value in _role_values(item.get("bodies")):
        kind = _body_kind(role, content_type)
        candidates.append((_BODY_RANK[kind], kind, value))
    for _rank, kind, text in sorted(candidates, key=lambda candidate: candidate[0]):
        blocks = _nitf_blocks(text) if kind == "nitf" else html_to_blocks(text)
        if blocks:
            return blocks
    return []


def _body_kind(role: str, content_type: str) -> str:
    if "nitf" in content_type or role == "nitf":
        return "nitf"
    if "html" in content_type or role in ("html", "xhtml"):
        return "html"
    return "text"


def _nitf_blocks(document: str) -> list[Block]:
    """Return the paragraphs and ``hl2`` subheads of an NITF document's ``body.content``."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(strip_controls(document).encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        return html_to_blocks(document)
    contents = [el for el in root.iter() if isinstance(el.tag, str) and etree.QName(el).localname == "body.content"]
    return [block for content in contents for block in element_to_blocks(content)]


def _byline(item: dict[str, Any]) -> list[str]:
    text = clean_text(_text(item.get("byline")) or _text(item.get("by")))
    # "Von ...", "Par ...", "Av ...": the word "by" in the languages of the agencies that send ninjs.
    return parse_byline(_FOREIGN_BY.sub("", text))


def _section(item: dict[str, Any]) -> str | None:
    names: list[str] = []
    for key in ("subject", "subjects", "genre", "genres"):
        value = item.get(key)
        entries = value if isinstance(value, list) else [value]
        names.extend(_text(entry.get("name")) for entry in entries if isinstance(entry, dict))
    return known_section(names)


def _published(item: dict[str, Any]) -> str | None:
    for key in ("firstcreated", "versioncreated", "contentcreated"):
        published = iso_timestamp(item.get(key))
        if published:
            return published
    return None
