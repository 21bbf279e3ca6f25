"""Company-name keys for the tagger: full names, short forms and brand aliases in one Aho-Corasick automaton.

Text and keys are folded the same way by :func:`fold` (lower case, every character that is not a letter,
digit or ``&`` becomes a space; the length never changes), and each key is padded with a space on both
sides, so a match always starts and ends at word boundaries and its offsets are offsets into the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

import ahocorasick
from cleanco import basename

from tickerwire.core.draft import cut_before_spaces
from tickerwire.enrich.ticker_directory import DirectoryEntry
from tickerwire.enrich.ticker_marks import COMMON_ACRONYMS

NAMED_KINDS = frozenset({"stock", "adr"})

# Trailing words that a short form drops: "Agilent Technologies" -> "Agilent", "Samsonite International".
GENERIC_TAIL = frozenset(
    """group holdings holding technologies technology international intl industries enterprises systems
    platforms pharmaceuticals pharmaceutical pharma therapeutics biosciences bioscience biotherapeutics
    biopharma sciences labs laboratories financial bancorp bancshares corporation company companies co inc
    incorporated trust partners resources brands communications networks solutions software entertainment
    worldwide global capital investments properties realty reit motor motors stores healthcare medical
    semiconductor semiconductors limited ltd plc corp sa ag nv se llc lp the""".split()
)
CONNECTORS = frozenset({"of", "and", "the", "&", "de", "du", "des", "la", "le", "y", "for", "in", "on", "s"})
# How headlines shorten the words of a name: "ACADIA Pharma", "Avalanche Biotech", "Agilent Tech".
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "pharmaceuticals": ("Pharma",), "pharmaceutical": ("Pharma",), "biopharmaceuticals": ("Bio",),
    "biotechnologies": ("Biotech", "Bio"), "biotechnology": ("Biotech", "Bio"), "biosciences": ("Bio",),
    "technologies": ("Tech",), "technology": ("Tech",), "international": ("Intl", "Int'l"),
    "holdings": ("Hldgs",), "companies": ("Cos",), "services": ("Svcs",), "management": ("Mgmt",),
    "financial": ("Finl", "Fin'l"), "national": ("Natl", "Nat'l"), "communications": ("Comms",),
    "industries": ("Inds",), "laboratories": ("Labs",), "semiconductor": ("Semi",), "semiconductors": ("Semi",),
    "manufacturing": ("Mfg",), "brothers": ("Bros",), "group": ("Grp",),
}

_FOLD = re.compile(r"[^\w&]|_")
FOLD_CHUNK_CHARS = 64 * 1024


def fold(text: str) -> str:
    """Return ``text`` lower-cased with punctuation as spaces, the same length as ``text``."""
    if len(text) > FOLD_CHUNK_CHARS:
        # re.sub lists a piece per word and gap (some ten times the text), so a long story is folded a part
        # at a time, cut before whitespace, where lower-casing a part reads the same context as the whole.
        parts = []
        for part in cut_before_spaces(text, FOLD_CHUNK_CHARS):
            lowered = part.lower()
            if len(lowered) != len(part):
                break
            parts.append(_FOLD.sub(" ", lowered))
        else:
            return "".join(parts)
        del parts
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters ("İ") grow when lower-cased: fold them one by one
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return _FOLD.sub(" ", lowered)


class KeyKind(IntEnum):
    """How a key was made; a higher kind is better evidence."""

    FIRST = 1  # first word of a longer name: only when the article names the company in full too
    SHORT = 2  # the name without generic trailing words ("Agilent" for "Agilent Technologies")
    FULL = 3  # the name without its legal suffix, or a brand alias


@dataclass(frozen=True)
class NameKey:
    """One way of writing a company's name.

    ``entry`` indexes the directory's entries. ``form`` is the key as written in the directory (for case
    checks). ``ambiguous`` says every word of the key is also an ordinary word or place, so it needs
    context. ``exact_case`` keys (acronyms such as "GE") only match text written exactly so. ``shared``
    marks a key the tagger demoted because several issuers have it.
    """

    entry: int
    issuer: str
    kind: KeyKind
    form: str
    ambiguous: bool
    exact_case: bool
    words: int
    shared: bool = False


def legal_base(name: str) -> str:
    """Return a company name without its legal suffix and leading "The" ("The Walt Disney Company" -> "Walt Disney")."""
    base = basename(name.strip()) or name.strip()
    base = re.sub(r"^the\s+", "", base, flags=re.IGNORECASE)
    return base.strip(" ,.-")


def name_variants(name: str, is_alias: bool = False) -> list[tuple[str, KeyKind]]:
    """Return the keys one name yields, with their kinds."""
    base = legal_base(name)
    if not base:
        return []
    variants: list[tuple[str, KeyKind]] = [(base, KeyKind.FULL)]
    if "&" in base:
        variants.append((base.replace("&", "and"), KeyKind.FULL))
    if is_alias:
        return variants
    words = base.split()
    short = list(words)
    while len(short) > 1 and short[-1].strip(",.").lower() in GENERIC_TAIL:
        short.pop()
    if len(short) < len(words):
        variants.append((" ".join(short).strip(" ,"), KeyKind.SHORT))
    if len(words) > 1 and len(words[0]) >= 3 and words[0].lower() not in CONNECTORS:
        variants.append((words[0].strip(" ,"), KeyKind.FIRST))
    # The first two words of a longer name: "Advance Auto" for "Advance Auto Parts".
    if len(short) > 2 and words[1].lower() not in CONNECTORS and words[0].lower() not in CONNECTORS:
        variants.append((" ".join(words[:2]).strip(" ,"), KeyKind.FIRST))
    return variants


def abbreviated_variants(name: str) -> list[str]:
    """Return the name with one word shortened as headlines shorten it ("ACADIA Pharma"); none for one word."""
    words = legal_base(name).split()
    variants = []
    for index, word in enumerate(words):
        if index == 0:
            continue
        for short in ABBREVIATIONS.get(word.lower().strip(",."), ()):
            variants.append(" ".join([*words[:index], short, *words[index + 1:]]))
    return variants


def is_ambiguous(key: str, ambiguous_words: frozenset[str]) -> bool:
    """Return whether every word of ``key`` is an ordinary word, place or connector."""
    words = [w for w in fold(key).split() if w not in CONNECTORS]
    return bool(words) and all(w in ambiguous_words or len(w) <= 2 for w in words)


def build_automaton(
    entries: Sequence[DirectoryEntry], ambiguous_words: frozenset[str]
) -> ahocorasick.Automaton:
    """Return one automaton whose values are the :class:`NameKey` lists of each folded key."""
    table: dict[str, dict[str, NameKey]] = {}
    for index, entry in enumerate(entries):
        if entry.kind not in NAMED_KINDS and not entry.is_sample:
            continue
        issuer = entry.cik or fold(legal_base(entry.name)).strip()
        names = [(entry.name, False)] + [(alias, True) for alias in entry.aliases]
        for name, is_alias in names:
            abbreviated = [] if is_alias else [(text, KeyKind.FULL) for text in abbreviated_variants(name)]
            for text, kind in name_variants(name, is_alias) + abbreviated:
                spaced = fold(text).strip()
                folded = " ".join(spaced.split())
                letters = re.sub(r"[^a-z0-9]", "", folded)
                exact = text.isupper() and len(letters) <= 5
                if len(letters) < 2 or letters.isdigit() or (exact and not is_alias and len(letters) < 3):
                    continue  # "Q2" of "Q2 Holdings", "ECB" of "ECB Bancorp": acronyms, not names
                if (len(letters) < 3 and not (exact and is_alias)) or text.upper() in COMMON_ACRONYMS:
                    continue
                ambiguous = not exact and (is_ambiguous(text, ambiguous_words) or folded in GENERIC_TAIL)
                key = NameKey(index, issuer, kind, text, ambiguous, exact, len(text.split()))
                for form in {folded, spaced}:  # "T. Rowe Price" folds to two spaces after the "T"
                    by_issuer = table.setdefault(form, {})
                    current = by_issuer.get(issuer)
                    if current is None or _better(key, current, entries):
                        by_issuer[issuer] = key
    automaton = ahocorasick.Automaton()
    for folded, by_issuer in table.items():
        automaton.add_word(f" {folded} ", (folded, tuple(by_issuer.values())))
    automaton.make_automaton()
    return automaton


def _better(new: NameKey, old: NameKey, entries: Sequence[DirectoryEntry]) -> bool:
    """Return whether ``new`` should replace ``old`` for the same issuer: higher kind, then the main listing."""
    if new.kind != old.kind:
        return new.kind > old.kind
    return _listing_order(entries[new.entry]) < _listing_order(entries[old.entry])


def _listing_order(entry: DirectoryEntry) -> tuple[int, int, int, int]:
    """Return a sort key that puts an issuer's main US listing first: exchange-listed, then largest."""
    off_exchange = entry.exchange in ("", "OTC")
    return (1 if off_exchange else 0, entry.rank or 10**9, 0 if entry.sp500 else 1, len(entry.symbol))
