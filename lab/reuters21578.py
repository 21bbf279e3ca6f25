"""Turn a Reuters-21578 record into a known story and its wire and page layouts, for checks and benchmarks.

The corpus (``../shared/data/reuters21578``, read at run time only) is real 1987 wire copy: a title, a
``NEW YORK, Feb 26 -`` dateline, and a body hard-wrapped at about 65 columns whose paragraphs start with
an indented line. The expected story comes from that markup alone, independently of the parsers:

* headline: the title with its spacing normalised (for the untitled ``UNPROC`` stories, the body's first
  line, which is their title);
* dateline: place and date split off the ``<DATELINE>`` text by a simple pattern, agency "Reuters";
* paragraphs: a new one at every indented line or after a blank line; lines are joined with one space and
  every run of whitespace becomes one space (so table columns collapse); the ``Reuter`` sign-off is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tickerwire.core.draft import ArticleDraft, Block, Dateline, SourceRef
from tickerwire.core.sections import SECTION_NAMES
from tickerwire.ingest.layout import format_dateline, render_page, wrap_text
from tickerwire.ingest.textblocks import DEFAULT_WRAP_WIDTH, normalise_space

_DATELINE = re.compile(
    r"^(?P<place>.*?)[,\s]+(?P<date>[A-Za-z]{3,9}\.?\s+\d{1,3}|\d{1,2}\s+[A-Za-z]{3,9})\s*,?\s*(?:Reuter\s*)?-\s*"
    r"(?P<extra>.*)$",
    re.DOTALL,
)
_TRAILING_SIGN_OFF = re.compile(r"\s+(?:Reuter|REUTER|reuter)\s*$")
_CORPUS_DATE = re.compile(r"(\d{1,2})-([A-Z]{3})-(\d{4})\s+(\d{2}):(\d{2})")
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")

SITE = "Reuters-21578"
SECTION = "Business"


@dataclass
class ReutersCase:
    """One corpus story: what a parser should recover, and the text to give it."""

    id: int
    headline: str
    dateline: Dateline | None
    paragraphs: list[str]
    published: str | None
    wire: str
    page_lines: list[str] = field(repr=False)
    source_lines: list[str] = field(default_factory=list, repr=False)
    source_dateline: str = ""

    def draft(self) -> ArticleDraft:
        """Return the expected story as a draft, the input of the layout functions."""
        return ArticleDraft(
            headline=self.headline,
            source=SourceRef(site=SITE, section=SECTION),
            sections_menu=list(SECTION_NAMES),
            published=self.published,
            dateline=self.dateline,
            body=[Block("paragraph", text) for text in self.paragraphs],
        )

    def page(self, width: int | None = None) -> str:
        """Return the story as a seed-style page: the corpus's own line breaks, or re-wrapped at ``width``.

        The corpus's own breaks are those of :attr:`page_lines` (the first paragraph re-wrapped around a
        "(Reuters)" dateline); :meth:`source_page` keeps the source's first line as well.
        """
        draft = self.draft()
        if width is not None:
            return render_page(draft, width=width)
        return self.page_of_lines(self.page_lines)

    def source_page(self) -> str:
        """Return the story as a seed-style page with every body line exactly as the source broke it."""
        return self.page_of_lines(self.source_lines)

    def agency_lines(self) -> list[str]:
        """Return :attr:`source_lines` with the dateline printed as the seed page has it, "(Reuters)" and all.

        The rest of the first line is kept as the source broke it, so that line runs longer than the others.
        """
        lines = list(self.source_lines)
        head = self.source_dateline
        if self.dateline is None or not lines or not head or not lines[0].startswith(head):
            return lines
        lines[0] = (format_dateline(self.dateline) + lines[0][len(head) :].lstrip()).strip()
        return lines

    def page_of_lines(self, body_lines: list[str]) -> str:
        """Return a seed-style page whose body is ``body_lines``, each followed by a blank line."""
        draft = self.draft()
        header = render_page(
            ArticleDraft(
                headline=draft.headline,
                source=draft.source,
                sections_menu=draft.sections_menu,
                published=draft.published,
            ),
            comments_widget=False,
        ).rstrip("\n")
        return header + "\n\n" + "\n\n".join(body_lines) + "\n\nComments\nSign up to post\n"


def case_from_record(record: dict[str, Any]) -> ReutersCase | None:
    """Return the case of a corpus record, or ``None`` when it has no body (title-only ``BRIEF`` stories)."""
    body = record.get("body")
    if not body or not body.strip():
        return None
    lines = [line.rstrip() for line in body.replace("\r", "").split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    title = normalise_space(record.get("title") or "")
    if not title:
        title = normalise_space(lines.pop(0))
    lines = _without_sign_off(lines)
    dateline, lead = _split_corpus_dateline(record.get("dateline") or "")
    if dateline is None and lead:
        lines = [lead.rstrip(), *lines] if lines and lines[0][:1].isspace() else [lead + _first(lines), *lines[1:]]
        lead = ""
    paragraphs = _paragraphs(lines, lead)
    wire_lines = [title, *_wire_body(lines, (format_dateline(dateline) if dateline else "") + lead)]
    page_lines = [line.strip() for line in wire_lines[1:] if line.strip()]
    # In the source the dateline and the body's first line are one line: "    SALVADOR, Feb 26 - Showers ...".
    source = [line.strip() for line in _without_sign_off(((record.get("dateline") or "") + body).split("\n"))]
    source = [line for line in source if line]
    if not normalise_space(record.get("title") or "") and source:
        source.pop(0)
    return ReutersCase(
        id=int(record["id"]),
        headline=title,
        dateline=dateline,
        paragraphs=paragraphs,
        published=_published(record.get("date") or ""),
        wire="\n".join(wire_lines) + "\n Reuter\n",
        page_lines=page_lines,
        source_lines=source,
        source_dateline=normalise_space(record.get("dateline") or ""),
    )


def _wire_body(lines: list[str], prefix: str) -> list[str]:
    """Return the body as wire lines: the corpus's own, but the first paragraph re-wrapped with the dateline.

    The corpus wrapped the first line around a dateline without "(Reuters)"; re-wrapping that paragraph at
    the story's own width keeps every line within it, as a wire system would.
    """
    if not lines:
        return ["    " + prefix.strip()] if prefix.strip() else []
    width = max(len(line) for line in lines)
    if width < 60:  # a table's short lines; the wire itself was about 65 columns wide
        width = DEFAULT_WRAP_WIDTH
    end = 1
    while end < len(lines) and lines[end].strip() and not lines[end][:1].isspace():
        end += 1
    if not prefix:
        return ["    " + lines[0].strip(), *lines[1:]]
    first = wrap_text(prefix + " ".join(line.strip() for line in lines[:end]), width, first_line_width=width - 4)
    return ["    " + first[0], *first[1:], *lines[end:]]


def _first(lines: list[str]) -> str:
    return lines[0] if lines else ""


def _without_sign_off(lines: list[str]) -> list[str]:
    """Return the body lines without trailing blanks and the closing ``Reuter`` sign-off."""
    lines = list(lines)
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and lines[-1].strip().lower() == "reuter":
        lines.pop()
        while lines and not lines[-1].strip():
            lines.pop()
    if lines:
        lines[-1] = _TRAILING_SIGN_OFF.sub("", lines[-1])
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _split_corpus_dateline(raw: str) -> tuple[Dateline | None, str]:
    """Return the expected dateline and any body text the corpus put inside ``<DATELINE>``."""
    text = normalise_space(raw)
    match = _DATELINE.match(text)
    if not text or match is None or not match.group("place").strip(" ,"):
        return None, text + " " if text else ""
    place = re.sub(r"\s+,", ",", match.group("place")).strip(" ,")
    extra = match.group("extra")
    return Dateline(place=place, date=match.group("date"), agency="Reuters"), extra + " " if extra else ""


def _paragraphs(lines: list[str], lead: str) -> list[str]:
    """Return the corpus paragraphs: a new one at each indented line or after a blank line."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for index, line in enumerate(lines):
        if not line.strip():
            if current:
                paragraphs.append(current)
            current = []
            continue
        if line[:1].isspace() and current:
            paragraphs.append(current)
            current = []
        current.append(lead + line if index == 0 else line)
    if current:
        paragraphs.append(current)
    return [normalise_space(" ".join(chunk)) for chunk in paragraphs if normalise_space(" ".join(chunk))]


def _published(raw: str) -> str | None:
    """Return the corpus ``<DATE>`` ("26-FEB-1987 15:01:01.79") as ISO 8601 to the minute, no zone."""
    match = _CORPUS_DATE.search(raw)
    if match is None or match.group(2) not in _MONTHS:
        return None
    day, month, year, hour, minute = match.groups()
    return f"{year}-{_MONTHS.index(month) + 1:02d}-{int(day):02d}T{hour}:{minute}:00"


__all__ = ["ReutersCase", "case_from_record"]
