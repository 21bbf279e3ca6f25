"""Turn an HTML fragment (a feed entry, a ninjs body, an NITF body) into paragraphs and subheads.

Feeds and ninjs carry story bodies as HTML of every quality. Block elements end a block, ``h1``-``h6`` become
subheads, ``<br><br>`` splits paragraphs, and scripts, styles and figures carry no story text.
"""

from __future__ import annotations

import re

import lxml.etree as etree
import lxml.html

from tickerwire.core.draft import Block
from tickerwire.ingest.textblocks import normalise_space

# Characters XML 1.0 forbids (lxml refuses them) and that no story needs.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")

_BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "blockquote", "li", "ul", "ol", "dl", "dt", "dd", "pre", "table",
        "tr", "td", "th", "tbody", "thead", "header", "footer", "main", "aside", "address", "center", "body",
        "html", "nitf", "body.content", "block", "hr",
    }
)  # fmt: skip
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "hl1", "hl2"})
_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "figure", "figcaption", "template", "iframe", "object", "svg", "head", "title",
     "button", "form", "select", "media", "media-caption", "body.head", "body.end", "nav"}
)  # fmt: skip


def clean_text(text: str) -> str:
    """Return text with control characters removed and runs of whitespace folded to one space."""
    return normalise_space(_CONTROL.sub("", text))


def strip_controls(text: str) -> str:
    """Return text without the control characters XML parsers refuse, keeping line breaks."""
    return _CONTROL.sub("", text)


def text_to_blocks(text: str) -> list[Block]:
    """Split plain text into paragraphs: blank lines separate them, or single lines when there are none."""
    text = strip_controls(text).replace("\r\n", "\n").replace("\r", "\n")
    chunks = re.split(r"\n\s*\n", text)
    if len(chunks) == 1:
        chunks = text.split("\n")
    return [Block("paragraph", cleaned) for cleaned in (clean_text(chunk) for chunk in chunks) if cleaned]


def looks_like_html(text: str) -> bool:
    """Return whether text holds HTML tags or entities rather than plain prose."""
    return bool(re.search(r"<\s*/?\s*[a-zA-Z][\w.:-]*[^<>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);", text))


def html_to_blocks(fragment: str) -> list[Block]:
    """Return the paragraphs and subheads of an HTML fragment, in order; plain text is split into paragraphs."""
    fragment = strip_controls(fragment)
    if not fragment.strip():
        return []
    if not looks_like_html(fragment):
        return text_to_blocks(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return text_to_blocks(re.sub(r"<[^>]*>", " ", fragment))
    return element_to_blocks(root)


def element_to_blocks(root: etree._Element) -> list[Block]:
    """Return the paragraphs and subheads below a parsed HTML or XML element."""
    collector = _BlockCollector()
    collector.walk(root)
    collector.flush()
    return collector.blocks


def _local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return etree.QName(tag).localname.lower() if tag.startswith("{") else tag.lower()


class _BlockCollector:
    """Walk an element tree, gathering inline text until a block boundary ends the current block."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._parts: list[str] = []
        self._pending_break = False

    def flush(self, block_type: str = "paragraph") -> None:
        text = clean_text("".join(self._parts))
        self._parts = []
        self._pending_break = False
        if text:
            self.blocks.append(Block("subhead" if block_type == "subhead" else "paragraph", text))

    def add_text(self, text: str | None) -> None:
        if not text:
            return
        if self._pending_break and text.strip():
            # A second <br> in a row with text after it: the source's paragraph break.
            self.flush()
        self._parts.append(text)

    def walk(self, element: etree._Element) -> None:
        name = _local_name(element)
        if name in _SKIP_TAGS or not name and not isinstance(element.tag, str):
            self.add_text(element.tail)
            return
        if name == "br":
            if "".join(self._parts).endswith("\n"):
                self._pending_break = True
            self._parts.append("\n")
            self.add_text(element.tail)
            return
        if name in _HEADING_TAGS:
            self.flush()
            self.add_text(element.text)
            for child in element:
                self.walk(child)
            self.flush("subhead")
        elif name in _BLOCK_TAGS:
            self.flush()
            self.add_text(element.text)
            for child in element:
                self.walk(child)
            self.flush()
        else:
            self.add_text(element.text)
            for child in element:
                self.walk(child)
        self.add_text(element.tail)
