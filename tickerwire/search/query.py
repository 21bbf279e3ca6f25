"""Parse a reader's search box text into terms both backends understand the same way (no Django here).

Supported, as on web search engines: plain words (all must match), ``"quoted phrases"`` and ``-excluded``
words. English stop words are dropped from plain words, as PostgreSQL's ``english`` configuration does, so
SQLite FTS5 and PostgreSQL match the same stories for the same text.
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

_TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)([^\s"]+)')
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


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
    """Return the terms of a search box text; unbalanced quotes are read as plain words."""
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
    return ParsedQuery(tuple(terms))


def to_fts5(query: ParsedQuery) -> str:
    """Return an FTS5 MATCH expression: every positive term ANDed, excluded ones after NOT."""
    def quote(term: Term) -> str:
        return '"' + " ".join(term.words) + '"'

    expression = "(" + " AND ".join(quote(t) for t in query.positive) + ")"
    for term in query.terms:
        if term.negated:
            expression = f"({expression} NOT {quote(term)})"
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
