"""The ``html`` format: a news article web page, its main text found by ``trafilatura``.

trafilatura separates the story from menus, comments and footers and reads title, author, site name and
categories. The publication time is read from the page's own metadata first, because trafilatura keeps the
date only and the zone matters. The extracted paragraphs then get the same byline, dateline and credits
handling as wire copy.
"""

from __future__ import annotations

import codecs
import json
import logging
import re
from typing import Any

import lxml.etree as etree
import lxml.html
import trafilatura

from tickerwire.core.draft import ArticleDraft, Block, SourceRef
from tickerwire.ingest.decoding import decode_text, looks_binary
from tickerwire.ingest.errors import ParseError
from tickerwire.ingest.markup import clean_text
from tickerwire.ingest.storyparts import known_section, split_lead_dateline, split_revision_marker
from tickerwire.ingest.textblocks import is_byline, is_credits, parse_byline
from tickerwire.ingest.timestamps import iso_timestamp

# trafilatura and its helpers log "empty HTML tree" and the like; the parser's ParseError says it once.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False

_PUBLISHED_META = (
    "article:published_time", "og:published_time", "datepublished", "date", "pubdate", "publishdate",
    "publish-date", "dc.date.issued", "dcterms.created", "dc.date", "sailthru.date", "parsely-pub-date",
)  # fmt: skip
_JSON_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{4,40})"')
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_SUBHEAD_RENDS = frozenset({"h2", "h3", "h4", "h5", "h6"})


def parse(data: bytes) -> list[ArticleDraft | ParseError]:
    """Return the one story of an article page; raise ``ParseError`` when the page holds no article text."""
    if not data.strip():
        raise ParseError("input is empty")
    markup: bytes | str = data
    if data.startswith(_WIDE_BOMS):
        # UTF-16/32 pages: decode by the byte-order mark; other bytes go to trafilatura, which reads <meta charset>.
        markup = decode_text(data)
    elif looks_binary(data):
        raise ParseError("input is binary data, not HTML")
    tree = _page_tree(markup)
    try:
        document = trafilatura.bare_extraction(
            markup,
            with_metadata=True,
            include_comments=False,
            include_formatting=True,
            include_tables=True,
            include_images=False,
            include_links=False,
        )
    except Exception as exc:  # trafilatura's own failures on hostile markup must not escape as tracebacks
        raise ParseError(f"cannot extract the article from the HTML: {type(exc).__name__}: {exc}") from None
    if document is None or getattr(document, "body", None) is None:
        raise ParseError("no article text found in the HTML page")
    return [_draft(document, tree)]


def _draft(document: Any, tree: lxml.html.HtmlElement | None) -> ArticleDraft:
    headline = clean_text(document.title or "")
    blocks = _body_blocks(document.body, headline)
    if not headline:
        first_subhead = next((block for block in blocks if block.type == "subhead"), None)
        headline = first_subhead.text if first_subhead else ""
    if not headline:
        raise ParseError("no headline found in the HTML page (no title, og:title or h1)")
    if not any(block.type == "paragraph" for block in blocks):
        raise ParseError("no article text found in the HTML page")
    byline = parse_byline(document.author) if document.author else []
    if blocks and blocks[0].type == "paragraph" and is_byline(blocks[0].text):
        byline = byline or parse_byline(blocks[0].text)
        blocks = blocks[1:]
    credits = None
    if blocks and is_credits(blocks[-1].text):
        credits = blocks.pop().text
    dateline, blocks = split_lead_dateline(blocks)
    headline, marker = split_revision_marker(headline)
    categories = [clean_text(name) for name in (document.categories or []) if clean_text(name)]
    return ArticleDraft(
        headline=headline,
        source=SourceRef(
            site=clean_text(document.sitename or "") or None,
            section=known_section(categories) or (categories[0] if categories else None),
        ),
        published=_published(tree) or iso_timestamp(document.date),
        byline=byline,
        dateline=dateline,
        body=blocks,
        uri=clean_text(document.url or "") or None,
        revision_marker=marker,
        credits=credits,
        language=clean_text(document.language or "") or _page_language(tree),
    )


def _page_tree(data: bytes | str) -> lxml.html.HtmlElement | None:
    """Return the page parsed by lxml for the metadata trafilatura does not keep, or ``None``."""
    try:
        return lxml.html.document_fromstring(data)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


def _body_blocks(body: etree._Element, headline: str) -> list[Block]:
    """Return paragraphs and subheads from trafilatura's XML body (``p``, ``head rend="h2"``, ``list``...)."""
    blocks: list[Block] = []
    for element in body:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "head":
            text = _element_text(element)
            rend = str(element.get("rend") or "")
            if text and text.casefold() != headline.casefold():
                blocks.append(Block("subhead" if rend in _SUBHEAD_RENDS or rend == "" else "paragraph", text))
        elif tag == "list":
            blocks.extend(Block("paragraph", text) for item in element if (text := _element_text(item)))
        elif tag == "table":
            rows = (" | ".join(filter(None, (_element_text(cell) for cell in row))) for row in element)
            blocks.extend(Block("paragraph", row) for row in rows if row)
        elif tag and tag != "graphic":
            text = _element_text(element)
            if text:
                blocks.append(Block("paragraph", text))
    return blocks


def _element_text(element: etree._Element) -> str:
    for line_break in element.iter("lb"):
        line_break.tail = " " + (line_break.tail or "")
    return clean_text("".join(element.itertext()))


def _published(tree: lxml.html.HtmlElement | None) -> str | None:
    """Return the page's own publication time, zone included, from its meta tags, JSON-LD or ``<time>``."""
    if tree is None:
        return None
    metas: dict[str, str] = {}
    for meta in tree.iter("meta"):
        name = str(meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = meta.get("content")
        if name and content and name not in metas:
            metas[name] = content
    for name in _PUBLISHED_META:
        published = iso_timestamp(metas.get(name))
        if published:
            return published
    for script in tree.iter("script"):
        if "ld+json" in str(script.get("type") or ""):
            published = _json_ld_date(script.text or "")
            if published:
                return published
    for time in tree.iter("time"):
        published = iso_timestamp(time.get("datetime"))
        if published:
            return published
    return None


def _json_ld_date(text: str) -> str | None:
    match = _JSON_LD_DATE.search(text)
    if match is None:
        return None
    try:
        return iso_timestamp(json.loads(f'"{match.group(1)}"'))
    except ValueError:
        return None


def _page_language(tree: lxml.html.HtmlElement | None) -> str | None:
    if tree is None:
        return None
    root = tree.getroottree().getroot()
    return clean_text(str(root.get("lang") or "")) or None
