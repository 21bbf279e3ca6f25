"""The parsed-story contract between ingestion and everything else.

Field names follow ``../shared/seeds/*.expected.json``. ``ArticleDraft.to_json()`` is what
``tickerwire parse`` prints, and ``ArticleDraft.from_json()`` reads it back (the ``draft`` format),
so the JSON form must round-trip exactly.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

BlockType = Literal["paragraph", "subhead"]
StoryKind = Literal["story", "flash"]
STORY_KINDS: tuple[str, ...] = ("story", "flash")

# "BRIEF-Agilent Q3 revenue rises": a wire's headline-first brief; the prefix marks the kind, not the text.
BRIEF_PREFIX = re.compile(r"^\s*BRIEF\s*[-:]\s*(?=\S)")

# Wire revision prefixes such as "UPDATE 1-", "UPDATE 2-", "CORRECTED-", "REFILE-" are markers, not text.
REVISION_PREFIX = re.compile(
    r"^\s*((?:UPDATE\s*\d+|CORRECTED|CORRECTION|REFILE|RPT|REPEAT|UPDATED|WRAPUP\s*\d*|INSTANT VIEW\s*\d*)"
    r"(?:\s*[-,]\s*(?:UPDATE\s*\d+|CORRECTED|REFILE|RPT))*)\s*[-:]\s*",
    re.IGNORECASE,
)


@dataclass
class SourceRef:
    """Where the story was published: site name and the site's own section, when given."""

    site: str | None = None
    section: str | None = None


@dataclass
class Dateline:
    """The wire dateline, ``MOSCOW, Aug 28 (Reuters) -``, split into its parts."""

    place: str | None = None
    date: str | None = None
    agency: str | None = None


@dataclass
class Block:
    """One body block: a paragraph or a subhead."""

    type: BlockType
    text: str


@dataclass
class RelatedLink:
    """A related-article teaser as a source page lists it."""

    headline: str
    published: str | None = None
    snippet: str = ""
    tickers: list[str] = field(default_factory=list)


@dataclass
class ArticleDraft:
    """One story as parsed, before enrichment and storage.

    ``published`` is ISO 8601 text exactly as precise as the source: no zone when the source gives none.
    ``uri`` is the source's own identity (guid, link, ninjs uri) when it has one.
    ``revision_marker`` keeps wire prefixes such as ``UPDATE 1`` or ``CORRECTED`` out of the headline.
    ``kind`` is ``"flash"`` for a headline-only item (a wire flash, an analyst action, a ``BRIEF-``), which
    is published as a story of its own kind rather than refused for having no body.
    """

    headline: str
    source: SourceRef = field(default_factory=SourceRef)
    sections_menu: list[str] = field(default_factory=list)
    published: str | None = None
    summary: list[str] = field(default_factory=list)
    byline: list[str] = field(default_factory=list)
    dateline: Dateline | None = None
    body: list[Block] = field(default_factory=list)
    related: list[RelatedLink] = field(default_factory=list)
    uri: str | None = None
    revision_marker: str | None = None
    credits: str | None = None
    language: str | None = None
    format: str | None = None
    kind: StoryKind = "story"

    @property
    def key(self) -> str:
        """Return the story's stable identity key (see :func:`story_key`)."""
        return story_key(self)

    def body_text(self) -> str:
        """Return the body's blocks joined by blank lines."""
        return "\n\n".join(block.text for block in self.body)

    def paragraphs(self) -> list[str]:
        """Return the text of the body's paragraphs, without subheads."""
        return [block.text for block in self.body if block.type == "paragraph"]

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form printed by ``tickerwire parse`` (key order is stable)."""
        return {
            "key": self.key,
            "format": self.format,
            "uri": self.uri,
            "source": {"site": self.source.site, "section": self.source.section},
            "sections_menu": list(self.sections_menu),
            "headline": self.headline,
            "revision_marker": self.revision_marker,
            "published": self.published,
            "summary": list(self.summary),
            "byline": list(self.byline),
            "dateline": (
                None
                if self.dateline is None
                else {"place": self.dateline.place, "date": self.dateline.date, "agency": self.dateline.agency}
            ),
            "body": [{"type": block.type, "text": block.text} for block in self.body],
            "related": [
                {"headline": r.headline, "published": r.published, "snippet": r.snippet, "tickers": list(r.tickers)}
                for r in self.related
            ],
            "credits": self.credits,
            "language": self.language,
            "kind": self.kind,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ArticleDraft:
        """Build a draft from its JSON form; raise ``KeyError``/``TypeError`` on a malformed object."""
        source = data.get("source") or {}
        dateline = data.get("dateline")
        return cls(
            headline=data["headline"],
            source=SourceRef(site=source.get("site"), section=source.get("section")),
            sections_menu=list(data.get("sections_menu") or []),
            published=data.get("published"),
            summary=list(data.get("summary") or []),
            byline=list(data.get("byline") or []),
            dateline=(
                None
                if dateline is None
                else Dateline(place=dateline.get("place"), date=dateline.get("date"), agency=dateline.get("agency"))
            ),
            body=[Block(type=b["type"], text=b["text"]) for b in data.get("body") or []],
            related=[
                RelatedLink(
                    headline=r["headline"],
                    published=r.get("published"),
                    snippet=r.get("snippet") or "",
                    tickers=list(r.get("tickers") or []),
                )
                for r in data.get("related") or []
            ],
            uri=data.get("uri"),
            revision_marker=data.get("revision_marker"),
            credits=data.get("credits"),
            language=data.get("language"),
            format=data.get("format"),
            kind="flash" if data.get("kind") == "flash" else "story",
        )

    def content_hash(self) -> str:
        """Return a hash of what a reader reads; a change in it makes a new revision.

        The publication time is left out: the same text re-sent with its time written another way
        (a zone added by a feed, say) is the same version, not a correction.
        """
        digest = hashlib.sha256()
        for part in (self.headline, "\x1f", "\x1e".join(self.summary), "\x1f", "\x1e".join(self.byline), "\x1f"):
            digest.update(part.encode("utf-8"))
        # The body block by block: the digest of the parts joined, without joining a long story's text.
        for index, block in enumerate(self.body):
            digest.update(f"{chr(0x1E) if index else ''}{block.type}:".encode())
            digest.update(block.text.encode("utf-8"))
        digest.update(("\x1f" + (self.credits or "")).encode("utf-8"))
        return digest.hexdigest()


# Long text is folded this many characters at a time: folding lists every character and every word of what it
# folds (some 20 times the text's size), so a 5 MB story folded whole took about 100 MB.
FOLD_CHUNK_CHARS = 64 * 1024
_SPACE = re.compile(r"\s")


def normalise_for_key(text: str) -> str:
    """Return text folded for identity: no revision prefix, case, accents, punctuation or spacing.

    Long text is folded in parts cut just before whitespace: no word, accent or run of punctuation spans
    such a cut, so the parts' words, joined by spaces, are the words of the whole text folded at once.
    """
    text = REVISION_PREFIX.sub("", text)
    if len(text) <= FOLD_CHUNK_CHARS:
        return _fold_for_key(text)
    parts = [folded for part in cut_before_spaces(text, FOLD_CHUNK_CHARS) if (folded := _fold_for_key(part))]
    return " ".join(parts)


def cut_before_spaces(text: str, size: int) -> Iterator[str]:
    """Yield ``text`` in parts of about ``size`` characters, each cut just before a whitespace character."""
    start = 0
    while len(text) - start > size:
        space = _SPACE.search(text, start + size)
        if space is None:
            break
        yield text[start : space.start()]
        start = space.start()
    yield text[start:] if start else text


def _fold_for_key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w]+", " ", text.casefold())
    return " ".join(text.split())


# Our own ninjs output carries a story's key in its uri, so re-ingesting it maps to the same article.
OWN_KEY_URN = "urn:tickerwire:key:"


def key_uri(key: str) -> str:
    """Return the URI that carries ``key`` in our own output (ninjs ``uri``, feed guids)."""
    return key[len("uri:") :] if key.startswith("uri:") else OWN_KEY_URN + key


def story_key(draft: ArticleDraft) -> str:
    """Return the stable key of a story.

    The source's own URI wins. A flash (no body) is :func:`flash_key`. Otherwise it is a hash of the
    normalised headline, dateline place and
    date, and first paragraph, so that a re-sent story maps to the same article and an "UPDATE 1-"
    with a changed later body becomes a new revision of it.
    """
    if draft.uri:
        uri = draft.uri.strip()
        return uri[len(OWN_KEY_URN) :] if uri.startswith(OWN_KEY_URN) else "uri:" + uri
    if draft.kind == "flash":
        agency = draft.dateline.agency if draft.dateline and draft.dateline.agency else ""
        return flash_key(draft.headline, draft.source.site or agency, flash_day(draft))
    first = draft.paragraphs()[0] if draft.paragraphs() else ""
    place = draft.dateline.place if draft.dateline and draft.dateline.place else ""
    date = draft.dateline.date if draft.dateline and draft.dateline.date else ""
    material = "\x1f".join(normalise_for_key(part) for part in (draft.headline, place, date, first))
    return "h:" + hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def flash_day(draft: ArticleDraft) -> str:
    """Return the day a flash belongs to: its published date, else its dateline date, else ``""``."""
    if draft.published and re.match(r"^\d{4}-\d{2}-\d{2}", draft.published):
        return draft.published[:10]
    return draft.dateline.date if draft.dateline and draft.dateline.date else ""


def flash_key(headline: str, source: str, day: str) -> str:
    """Return the key of a headline-only item: its normalised headline, source and day.

    A flash has no first paragraph to tell two of them apart, and the same analyst action is sent again
    on other days ("X Maintains Y at Buy"): the day keeps those apart while a repeat the same day maps
    to the same article.
    """
    material = "\x1f".join((normalise_for_key(headline), normalise_for_key(source), day.strip()))
    return "f:" + hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]
