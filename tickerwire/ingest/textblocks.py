"""Text-level pieces shared by the plain-text parsers: datelines, bylines, credits and whitespace.

Nothing here knows about a whole document; :mod:`tickerwire.ingest.reflow` rebuilds paragraphs from
hard-wrapped lines, and the ``wire``/``page``/``html`` parsers call both.
"""

from __future__ import annotations

import re

from tickerwire.core.draft import Dateline

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
