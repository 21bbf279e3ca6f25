"""Parse a reader's search box text into terms both backends understand the same way (no Django here).

Supported, as on web search engines: plain words (all must match), ``"quoted phrases"`` and ``-excluded``
words. English stop words are dropped from plain words, as PostgreSQL's ``english`` configuration does, so
SQLite FTS5 and PostgreSQL match the same stories for the same text.

Input is bounded before it reaches a database: at most :data:`MAX_QUERY_CHARS` characters, and after
repeated terms are merged at most :data:`MAX_TERMS` terms of :data:`MAX_WORDS` words in all; more is
:class:`QueryTooComplex`. Both compiled forms are flat (one AND list, one NOT group of ORs), so their depth
does not grow with the number of terms: FTS5's parser overflowed its stack on 96 nested NOTs, and the cost
of matching and highlighting grew with the square of the word count (2,000 words took seconds).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# PostgreSQL's english.stop list (Snowball), so both backends ignore the same words.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers
    herself it its itself they them their theirs themselves what which who whom this that these those am is are
    was were be been being have has had having do does did doing a an the and but if or because as until while
    of at by for with about against between into through during before after above below to from up down in out
    on off over under again further then once here there when where why how all any both each few more most
    other some such no nor not only own same so than too very s t can will just don should now""".split()
)

# Longer than any search a reader types, far shorter than what made one query stall the server.
MAX_QUERY_CHARS = 500
MAX_TERMS = 32
MAX_WORDS = 64

_TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)([^\s"]+)')
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


class QueryTooComplex(Exception):
    """A search text over the bounds; the message says which bound, for the reader or the API client."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Term:
    """One search term: a word or a phrase (several words in order), possibly excluded."""

    words: tuple[str, ...]
    negated: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Term, ...] = field(default_factory=tuple)

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.negated)

    @property
    def is_empty(self) -> bool:
        """True when nothing positive is left to match (an all-excluded or all-stop-word query)."""
        return not self.positive

    def words(self) -> list[str]:
        """Return the positive words, lower-cased, for highlighting and semantic ranking."""
        return [w for t in self.positive for w in t.words]


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _WORD.findall(text))


def parse_query(text: str) -> ParsedQuery:
    """Return the terms of a search box text; unbalanced quotes are read as plain words.

    A term given twice counts once. Raise :class:`QueryTooComplex` for a text over the bounds.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryTooComplex(
            f"the search is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}"
        )
    parsed = _read_terms(text)
    words = sum(len(term.words) for term in parsed.terms)
    if len(parsed.terms) > MAX_TERMS or words > MAX_WORDS:
        raise QueryTooComplex(
            f"the search has {len(parsed.terms)} different terms of {words} words; the limit is "
            f"{MAX_TERMS} terms of {MAX_WORDS} words in all"
        )
    return parsed


def _read_terms(text: str) -> ParsedQuery:
    if text.count('"') % 2:
        text = text.replace('"', " ")
    terms: list[Term] = []
    for match in _TOKEN.finditer(text):
        phrase_neg, phrase, word_neg, word = match.groups()
        if phrase is not None:
            words = _words(phrase)
            if words:
                terms.append(Term(words, negated=bool(phrase_neg)))
            continue
        # A hyphenated or dotted token ("year-on-year", "8.1") is a phrase of its parts.
        words = _words(word)
        negated = bool(word_neg)
        if not words:
            continue
        if len(words) == 1 and words[0] in STOP_WORDS and not negated:
            continue
        terms.append(Term(words, negated=negated))
    return ParsedQuery(tuple(dict.fromkeys(terms)))


def to_fts5(query: ParsedQuery) -> str:
    """Return an FTS5 MATCH expression: every positive term ANDed, then NOT any of the excluded ones.

    The words are only letters and digits (see ``_WORD``), so a quoted phrase can hold no FTS5 syntax.
    """
    def quote(term: Term) -> str:
        return '"' + " ".join(term.words) + '"'

    expression = "(" + " AND ".join(quote(t) for t in query.positive) + ")"
    excluded = [quote(t) for t in query.terms if t.negated]
    if excluded:
        expression = f"({expression} NOT ({' OR '.join(excluded)}))"
    return expression


def to_websearch(query: ParsedQuery) -> str:
    """Return the query as PostgreSQL ``websearch_to_tsquery`` text with the same meaning."""
    parts = []
    for term in query.terms:
        text = " ".join(term.words)
        if term.is_phrase:
            text = f'"{text}"'
        parts.append(("-" if term.negated else "") + text)
    return " ".join(parts)
