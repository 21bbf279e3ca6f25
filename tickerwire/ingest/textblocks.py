"""Text-level pieces shared by the plain-text parsers: datelines, bylines, credits, and paragraph reflow.

Nothing here knows about a whole document's layout; the ``wire``/``page``/``html`` parsers call these on
the lines and paragraphs they have found. :func:`reflow_lines` rebuilds paragraphs from hard-wrapped lines
when nothing (indentation, blank lines) marks where one paragraph ends and the next begins.
"""

from __future__ import annotations

import re

from tickerwire.core.draft import Block, Dateline

_MONTH = r"(?i:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?)"
# "Aug 28", "March 2", "2 March", "Aug. 28, 2025".
_DATE = rf"(?:{_MONTH}\s+\d{{1,2}}(?:\s*,\s*\d{{4}})?|\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?)"
# An all-capitals place ("SINGAPORE", "RIO DE JANEIRO", "ST. LOUIS"), required when no date follows it.
_CAPS_WORD = r"[A-Z][A-Z.'\u2019&/-]*"
_CAPS_PLACE = rf"{_CAPS_WORD}(?:[ \t]+{_CAPS_WORD}){{0,4}}(?:[ \t]*,[ \t]*[A-Z][\w.]*(?:[ \t]+[A-Z][\w.]*){{0,2}})?"
# A place word: capitalised ("MOSCOW", "Toronto", "N.J.", "O'HARE") or a small linking word ("RIO DE JANEIRO").
_PLACE_WORD = r"(?:[A-Z][\w.'\u2019&/-]*|de|del|da|do|dos|la|le|les|of|am|upon|on|sur|es|el)"
_PLACE_PART = rf"{_PLACE_WORD}(?:[ \t]+{_PLACE_WORD}){{0,5}}"
_PLACE = rf"{_PLACE_PART}(?:[ \t]*,[ \t]*{_PLACE_PART}){{0,2}}"
_AGENCY = r"\((?P<agency>[A-Z][\w.&' /-]{0,40}?)\)"
_DASH = r"(?:-{1,2}|\u2013|\u2014)"

# Tried in order; each needs a date or an agency so that ordinary sentences are never taken for datelines.
_DATELINE_PATTERNS = [
    re.compile(rf"^\s*(?P<place>{_PLACE})[ \t]*[,\s]\s*(?P<date>{_DATE})\s*(?:{_AGENCY}\s*)?{_DASH}[ \t]*"),
    re.compile(rf"^\s*(?P<place>{_CAPS_PLACE})\s*{_AGENCY}\s*{_DASH}[ \t]*"),
    re.compile(rf"^\s*(?P<date>{_DATE})\s*{_AGENCY}\s*{_DASH}[ \t]*"),
    re.compile(rf"^\s*{_AGENCY}\s*{_DASH}[ \t]*"),
]

_BYLINE_START = re.compile(r"^\s*by\s+(?=\S)", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*", re.IGNORECASE)
# "Jane Doe in London" -> "Jane Doe"; "Jane Doe, Reuters" is split off by the comma and dropped below.
_NAME_PLACE = re.compile(r"\s+in\s+[A-Z][\w .'-]*$")
_NOT_A_NAME = re.compile(r"^(?:reuters|ap|afp|bloomberg|staff|additional reporting)$", re.IGNORECASE)

_CREDITS = re.compile(
    r"^\(\s*(?:(?:additional\s+)?reporting|writing|editing|compiled|reported|by|edited)\b[^()]*(?:\([^()]*\)[^()]*)*\)$",
    re.IGNORECASE,
)
# A sign-off run onto the last line after a gap of spaces: "... 55.8 (33.7).        REUTER".
_TRAILING_SIGN_OFF = re.compile(r"\s{2,}(?:Reuter|REUTER)$")
_SIGN_OFF = re.compile(r"^\s*(?:reuter|reuters|-+\s*reuters\s*-+|\(end\)|end|ap|afp)\s*$", re.IGNORECASE)


def normalise_space(text: str) -> str:
    """Return text with every run of whitespace (tabs, newlines, non-breaking spaces) as one space."""
    return " ".join(text.split())


def split_dateline(paragraph: str) -> tuple[Dateline | None, str]:
    """Split a leading wire dateline off a paragraph; return ``(dateline, rest)``.

    Recognises ``MOSCOW, Aug 28 (Reuters) - ``, ``NEW YORK, Feb 26 - ``, ``TAMPA, Fla., March 19 -``,
    ``SINGAPORE (Reuters) -Oil``, ``March 21 (Reuters) - `` and ``(Reuters) -``. When there is none the
    paragraph comes back unchanged with ``None``.
    """
    for pattern in _DATELINE_PATTERNS:
        match = pattern.match(paragraph)
        if match is None:
            continue
        groups = match.groupdict()
        place = _clean_place(groups.get("place"))
        date = normalise_space(groups["date"]) if groups.get("date") else None
        agency = normalise_space(groups["agency"]) if groups.get("agency") else None
        return Dateline(place=place, date=date, agency=agency), paragraph[match.end() :].lstrip()
    return None, paragraph


def _clean_place(place: str | None) -> str | None:
    """Return the place as written, with its spacing normalised and no trailing comma."""
    if not place:
        return None
    place = normalise_space(place)
    place = re.sub(r"\s+,", ",", place).rstrip(", ")
    return place or None


def is_byline(line: str) -> bool:
    """Return whether a line is a byline ("By Jane Doe and John Roe"), not a sentence starting with "By"."""
    if not _BYLINE_START.match(line):
        return False
    rest = _BYLINE_START.sub("", line).strip()
    names = parse_byline(line)
    if not names or len(rest) > 200 or rest.endswith((".", "?", "!", ":")) and not rest.endswith(" Jr."):
        return False
    return all(_looks_like_name(name) for name in names)


def _looks_like_name(name: str) -> bool:
    """Return whether every word of a name is capitalised or a name particle (de, van, bin...)."""
    words = name.split()
    if not 1 <= len(words) <= 6:
        return False
    particles = {"de", "da", "van", "von", "der", "den", "bin", "al", "el", "la", "le", "di", "du", "dos", "y"}
    return all(w[0].isupper() or w.lower() in particles or w[0] in "'\u2019" for w in words)


def parse_byline(text: str) -> list[str]:
    """Return the names of a byline: "By A, B and C" -> ["A", "B", "C"]; drop "in Moscow" and agency tags."""
    text = normalise_space(_BYLINE_START.sub("", normalise_space(text)))
    names: list[str] = []
    for part in _NAME_SPLIT.split(text):
        part = _NAME_PLACE.sub("", part.strip(" .;:"))
        if part and not _NOT_A_NAME.match(part) and part not in names:
            names.append(part)
    return names


def is_credits(paragraph: str) -> bool:
    """Return whether a paragraph is the closing credit line, "(Reporting by ...; Editing by ...)"."""
    return bool(_CREDITS.match(normalise_space(paragraph)))


def is_sign_off(line: str) -> bool:
    """Return whether a line is a wire sign-off such as ``Reuter`` or ``REUTER`` that ends the copy."""
    return bool(_SIGN_OFF.match(line))


# --- Paragraph reflow ---------------------------------------------------------------------------------

DEFAULT_WRAP_WIDTH = 65  # Wire copy's usual width; assumed when a text's own lines do not show theirs.
MIN_WRAP_WIDTH = 45  # Narrower "widths" come from tables and short lines, never from wrapping prose.
UNSUPPORTED_WIDTH_ALLOWANCE = 6  # Added to a width only one line reaches (measured on Reuters-21578).
PARAGRAPH_INDENT = 4  # Wire copy indents a paragraph's first line, so it wraps that much earlier.

_SENTENCE_END = re.compile(r"[.!?][\'\"\u2019\u201d)\]]*$")
# "U.S.", "S.G.", "Martin T.", "Inc." end a line without ending the sentence.
_ABBREVIATION_END = re.compile(
    r"(?:\b[A-Z]\.)+$|\b(?:Inc|Corp|Co|Ltd|Bhd|Cie|Jr|Sr|Dr|Mr|Mrs|Ms|St|No|Nos|Ave|Rep|Sen|Gov|Gen|Lt|Col|Dept|vs)\.$"
)
_PARAGRAPH_START = re.compile(r"^[\'\"\u2018\u201c(\[<]*[A-Z0-9$\u00a3\u20ac]")
_LIST_ITEM = re.compile(r"^(?:[-*\u2022\u2013\u2014]{1,2}|\d{1,2}[.)])\s+\S")
# Column layouts: runs of three spaces, dot leaders, or two spaces not following punctuation.
_TABLE_ROW = re.compile(r"\S {3,}\S|\.{4,}|(?<![.:;,!?\"\')]) {2}\S")
_SUBHEAD = re.compile(r"^[\'\"\u2018\u201c]?[A-Z0-9][A-Z0-9 ,&/'\u2019\"\u201d$%-]*[A-Z0-9'\u2019\"\u201d?!]$")


def is_subhead(line: str) -> bool:
    """Return whether a line is a subhead: two or more words in capitals, no closing full stop."""
    line = line.strip()
    words = [w for w in re.split(r"\s+", line) if any(ch.isalpha() for ch in w)]
    return 2 <= len(words) <= 10 and len(line) <= 70 and bool(_SUBHEAD.match(line))


def is_table_row(line: str) -> bool:
    """Return whether a line is laid out in columns (aligned spaces or dot leaders), not wrapped prose."""
    return bool(_TABLE_ROW.search(line.strip()))


def ends_sentence(line: str) -> bool:
    """Return whether a line ends a sentence (a full stop not after an abbreviation, "?" or "!")."""
    line = line.rstrip()
    return bool(_SENTENCE_END.search(line)) and not _ABBREVIATION_END.search(line.rstrip("'\"\u2019\u201d)]"))


def starts_paragraph(line: str) -> bool:
    """Return whether a line can open a paragraph: a capital, a digit, a currency sign or an opening quote."""
    return bool(_PARAGRAPH_START.match(line.lstrip())) or bool(_LIST_ITEM.match(line.lstrip()))


def estimate_wrap_width(lines: list[str], indent: int = PARAGRAPH_INDENT) -> int:
    """Return the column width the lines were wrapped at: the longest line, if others come near it.

    The first line opens a paragraph, so it counts ``indent`` longer. A width that no second line
    supports (a short story, a table) falls back to :data:`DEFAULT_WRAP_WIDTH`.
    """
    lengths = [len(line.strip()) for line in lines]
    if not lengths:
        return DEFAULT_WRAP_WIDTH
    lengths[0] += indent
    width = max(lengths)
    near = sum(1 for length in lengths if length >= width - 5)
    if near < 2:
        # Only one line is that long, so nothing shows it was full: allow for a wider wrap.
        width = max(width + UNSUPPORTED_WIDTH_ALLOWANCE, DEFAULT_WRAP_WIDTH)
    return max(width, MIN_WRAP_WIDTH)


def is_paragraph_break(before: str, after: str, capacity: int) -> bool:
    """Return whether a paragraph ends between two consecutive hard-wrapped lines.

    ``capacity`` is the width ``before`` could fill. If the next line opens like a paragraph (a capital, a
    digit, an opening quote) and its first word would have fitted on ``before``, greedy wrapping would have
    put it there, so ``before`` ended its paragraph; a full line ends one only at a sentence end. Columns,
    list items and subheads stand alone.
    """
    before, after = before.strip(), after.strip()
    if not before or not after:
        return True
    if is_table_row(before) or is_table_row(after) or is_subhead(before) or is_subhead(after):
        return True
    if _LIST_ITEM.match(after):
        return True
    room = capacity - len(before) - 1 - len(after.split()[0])
    if not starts_paragraph(after):
        # A paragraph almost never opens in lower case; only a line left far short is taken as an end.
        return room > capacity // 4
    return room >= 1 or ends_sentence(before)


def naive_paragraph_break(before: str, after: str) -> bool:
    """Return the baseline rule, "a sentence end, then a capital", for comparison in benchmarks."""
    return bool(_SENTENCE_END.search(before.rstrip())) and bool(re.match(r"^[\'\"(]*[A-Z0-9]", after.lstrip()))


def reflow_lines(lines: list[str], indent: int = PARAGRAPH_INDENT, width: int | None = None) -> list[str]:
    """Return the paragraphs rebuilt from hard-wrapped lines, one line per list item, no markers.

    The width is estimated from the lines unless given. Lines are joined with one space.
    """
    lines = [normalise_space(line) for line in lines if line.strip()]
    if not lines:
        return []
    wrap = width or estimate_wrap_width(lines, indent)
    paragraphs: list[list[str]] = [[lines[0]]]
    for before, after in zip(lines, lines[1:], strict=False):
        capacity = wrap - indent if len(paragraphs[-1]) == 1 else wrap
        if is_paragraph_break(before, after, capacity):
            paragraphs.append([after])
        else:
            paragraphs[-1].append(after)
    return [" ".join(chunk) for chunk in paragraphs]


def strip_sign_off(lines: list[str]) -> list[str]:
    """Return the lines without trailing blanks and sign-offs, also one run onto the last line."""
    lines = list(lines)
    while lines and (not lines[-1].strip() or is_sign_off(lines[-1])):
        lines.pop()
    if lines:
        lines[-1] = _TRAILING_SIGN_OFF.sub("", lines[-1].rstrip()) or lines[-1]
    return lines


def finish_body(paragraphs: list[str]) -> tuple[Dateline | None, list[Block], str | None]:
    """Turn a story's paragraphs into ``(dateline, blocks, credits)``.

    The dateline comes off the first paragraph, capitalised paragraphs become subheads, the closing
    "(Reporting by ...)" line becomes the credits and sign-offs (``Reuter``) are dropped.
    """
    paragraphs = [normalise_space(text) for text in paragraphs if text.strip()]
    while paragraphs and is_sign_off(paragraphs[-1]):
        paragraphs.pop()
    credits = None
    if paragraphs and is_credits(paragraphs[-1]):
        credits = paragraphs.pop()
    dateline = None
    if paragraphs:
        dateline, rest = split_dateline(paragraphs[0])
        if dateline is not None and not rest:
            paragraphs.pop(0)
        elif dateline is not None:
            paragraphs[0] = rest
    blocks = [Block("subhead" if is_subhead(text) else "paragraph", text) for text in paragraphs]
    return dateline, blocks, credits
