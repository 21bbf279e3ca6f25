"""Tag the listed companies a story names: explicit ticker marks, company names and their short forms.

No Django, no network. Public API (called by the enrichment pipeline):

* :func:`default_directory` — the bundled US directory plus the sample content's fictional tickers, cached;
* :meth:`TickerDirectory.from_entries` — a directory from any entries (tests, a site's own Ticker table);
* :func:`tag_text`, :func:`tag_draft`, :func:`tag_related`.

Evidence and confidence, strongest first:

* 1.0 — an explicit mark of a known symbol: ``( META )``, ``(META.O)``, ``(NASDAQ: META)``, ``$META``,
  ``<GS.N>``, a Benzinga-style list ``(HTZ, R, RCII)``, or a bare ``(META)`` that is not an acronym;
* 0.95 — a name followed by a legal suffix or by its own mark: "Target Corp", "Apple Inc (AAPL.O)";
* 0.9 — a company's full name that is not an ordinary word: "Meta Platforms", "Agilent Technologies";
* 0.8 — a short form or ordinary-word name of a company the text names in full or marks elsewhere;
* 0.75 — a distinctive short form standing alone: "Agilent", "Samsonite";
* 0.7 — a name that fills the company's place in an analyst-action or company-report headline, even an
  ordinary word: "Maintains Apple at Buy", "Target Upgraded by", "Gap Q2 EPS" (:mod:`ticker_headlines`);
* 0.6 — an ordinary-word name with a financial cue next to it: "shares of Target", "Apple said";
* 0.55 — a bare upper-case symbol in running text that is not a word or acronym: "AAPL shares";
* 0.5 — an explicit mark of a symbol the directory does not list (``( SMSOF )`` without it), kept.

A common word on its own ("apple", "Target practice", "IT", "ALL", "NOW") is never tagged.
"""

from __future__ import annotations

import bisect
import gzip
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from tickerwire.core.draft import ArticleDraft
from tickerwire.core.enrichment import TickerTag
from tickerwire.enrich.ticker_directory import DATA_DIR, DirectoryEntry, read_bundled, read_sample_tickers
from tickerwire.enrich.ticker_headlines import Slot, company_slots, fills
from tickerwire.enrich.ticker_marks import COMMON_ACRONYMS, Mark, acronym_of_preceding, find_marks, run_tokens
from tickerwire.enrich.ticker_names import (
    CONNECTORS,
    NAMED_KINDS,
    KeyKind,
    NameKey,
    build_automaton,
    fold,
    legal_base,
)

AMBIGUOUS_WORDS_PATH = DATA_DIR / "ambiguous_words.txt.gz"
SAMPLE_TICKERS_PATH = Path(__file__).resolve().parents[1] / "sample_content" / "tickers.csv"

# Words next to an ordinary-word name that show it is the company ("Apple said", "shares of Target").
NEXT_CUES = frozenset(
    """said says reported reports posted announced announces shares share stock stocks revenue revenues
    earnings profit profits sales ceo cfo inc corp corporation co ltd plc llc holdings group shareholders
    investors executives spokesperson spokesman spokeswoman beat beats missed misses lifted trimmed raised
    lowered agreed agrees declined confirmed reaffirmed expects forecast forecasts posts topped raises cuts
    launches unveils sues wins names hires buys sells plans files expects sees announces says beats misses
    reaffirms lifts lowers acquires completes prices analysts confirms tells opens reopens closes adds delays
    faces signs partners teams invests supplier suppliers analyst issues recalls settles debuts introduces
    releases ships vs could will""".split()
)
# Nouns after a possessive: "Apple's quarterly revenue", "Target's chief executive".
POSSESSIVE_CUES = frozenset(
    """revenue revenues earnings profit profits sales shares stock ceo cfo chief executive executives chairman
    president quarterly quarter fiscal guidance forecast outlook dividend results eps buyback ipo board
    shareholders investors stake valuation market margins margin debt bonds acquisition merger deal
    spokesperson spokesman spokeswoman stores subsidiary unit price""".split()
)
MOVE_CUES = frozenset("rose fell jumped slid gained dropped climbed tumbled surged plunged rallied sank "
                      "soared slumped advanced declined lost added edged up down higher lower".split())
BEFORE_CUES = frozenset(
    """shares stock stocks stake upgrades upgraded downgrades downgraded initiates initiated maintains
    maintained reiterates reiterated coverage rating overweight underweight outperform underperform neutral
    buy sell hold investors analysts acquisition takeover bid rival rivals competitor competitors peers
    supplier suppliers short owns bought sold acquire acquired acquires invest invested investing""".split()
)
AFTER_CUES = NEXT_CUES | POSSESSIVE_CUES
NEGATIVE_BEFORE = frozenset({"the", "a", "an", "price", "this", "that", "our", "your", "their", "its"})
NEGATIVE_AFTER = frozenset({"price", "prices", "range", "date", "rate", "rates", "audience", "practice", "market"})
LEGAL_SUFFIX = re.compile(
    r"^(?:'s)?,?\s+(?:Inc\b\.?|Incorporated\b|Corp\b\.?|Corporation\b|Co\b\.?|Company\b|Ltd\b\.?|Limited\b|"
    r"plc\b|PLC\b|LLC\b|L\.P\.|LP\b|N\.V\.|NV\b|S\.A\.|SA\b|AG\b|SE\b|Holdings\b|Group\b)"
)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’&.-]*")
_SEGMENT_BREAK = re.compile(r"(?<=[.!?;])\s+(?=[\"'“‘(]?[A-Z0-9])|\n+| - | -- | — ")
_BARE_SYMBOL = re.compile(r"(?<![\w$.<(])([A-Z]{3,5})(?![\w])")
LIST_JOINERS = re.compile(r"^(?:\s*(?:,|and|&|or|as well as|vs\.?|versus|/)\s*)+$", re.IGNORECASE)
# Capitalised small words of a Title Case headline that never start a name: "Maintains Buy On Apple".
NOT_NAME_WORDS = frozenset("on at for by to from with as vs into over after against about than via in".split())
# Quoted passages ('our optimism for the stock ...') are not in the headline's Title Case.
_QUOTED = re.compile(r"(?<![\w])['\"“‘][^'\"”’]*(?:['\"”’](?![\w])|$)")


@dataclass
class _Evidence:
    entry: DirectoryEntry | None
    symbol: str
    exchange: str | None
    confidence: float
    spans: list[tuple[int, int]] = field(default_factory=list)


class TickerDirectory:
    """The symbols and company names the tagger knows, with the automaton built once over every name."""

    def __init__(self, entries: Iterable[DirectoryEntry], ambiguous_words: Iterable[str] | None = None) -> None:
        self.entries: list[DirectoryEntry] = list(entries)
        self.ambiguous_words = frozenset(ambiguous_words) if ambiguous_words is not None else load_ambiguous_words()
        self.by_symbol: dict[str, DirectoryEntry] = {}
        for entry in sorted(self.entries, key=lambda e: (e.is_sample, e.rank or 10**9)):
            self.by_symbol.setdefault(entry.symbol, entry)
        self.automaton = build_automaton(self.entries, self.ambiguous_words)

    @classmethod
    def from_entries(
        cls, entries: Iterable[DirectoryEntry], ambiguous_words: Iterable[str] | None = None
    ) -> TickerDirectory:
        """Build a directory from entries (tests, or a site's own Ticker rows)."""
        return cls(entries, ambiguous_words)

    def lookup(self, symbol: str) -> DirectoryEntry | None:
        """Return the entry listed under ``symbol`` (directory form: ``BRK.B``), if any."""
        return self.by_symbol.get(symbol)

    def issuer_of(self, entry: DirectoryEntry) -> str:
        """Return the identity shared by an issuer's listings (its CIK, else its folded name)."""
        return entry.cik or " ".join(fold(legal_base(entry.name)).split())


def load_ambiguous_words(path: Path = AMBIGUOUS_WORDS_PATH) -> frozenset[str]:
    """Read the committed list of words that a name or symbol must not be tagged as on its own."""
    return frozenset(gzip.decompress(path.read_bytes()).decode("utf-8").split())


@lru_cache(maxsize=1)
def default_directory() -> TickerDirectory:
    """Return the bundled US directory plus the sample content's fictional tickers (built once per process)."""
    entries = read_bundled()
    if SAMPLE_TICKERS_PATH.exists():
        entries += read_sample_tickers(SAMPLE_TICKERS_PATH)
    return TickerDirectory(entries)


def tag_text(text: str, directory: TickerDirectory | None = None) -> list[TickerTag]:
    """Return the tickers ``text`` names, strongest first; ``mentions`` are offsets into ``text``."""
    return _Tagger(text, directory or default_directory()).run()


def tag_draft(draft: ArticleDraft, directory: TickerDirectory | None = None) -> list[TickerTag]:
    """Return the tickers a story names, from its headline, summary and body.

    Evidence anywhere counts (a full name in the headline lets a short form in the body count), but
    ``mentions`` are ``[start, end)`` offsets into ``draft.body_text()`` (the body blocks joined by a blank
    line), so the site can link each mention; a ticker named only in the headline or summary has none.
    """
    preamble = "\n\n".join([draft.headline, *draft.summary])
    offset = len(preamble) + 2
    # preamble + "\n\n" + draft.body_text(), joined once: a long story's text is not copied twice.
    texts = [block.text for block in draft.body] or [""]
    tags = tag_text("\n\n".join([preamble, *texts]), directory)
    for tag in tags:
        tag.mentions = [[start - offset, end - offset] for start, end in tag.mentions if start >= offset]
    return tags


def tag_related(draft: ArticleDraft, directory: TickerDirectory | None = None) -> dict[int, list[str]]:
    """Return, for each related teaser whose snippet names tickers, the symbols it names (by teaser index)."""
    result: dict[int, list[str]] = {}
    for index, related in enumerate(draft.related):
        symbols = [tag.symbol for tag in tag_text(related.snippet, directory)] if related.snippet else []
        if symbols:
            result[index] = symbols
    return result


class _Tagger:
    """One pass over one text: marks, then names (strong first, then those that need context)."""

    def __init__(self, text: str, directory: TickerDirectory) -> None:
        self.text = text
        self.directory = directory
        self.found: dict[str, _Evidence] = {}
        self.strong_issuers: set[str] = set()
        self.marked_entry: dict[str, DirectoryEntry] = {}  # issuer -> the listing the text marks
        self.mark_regions: list[tuple[int, int]] = []
        self.mark_spans: list[tuple[int, int, Mark]] = []
        self.segments = [0] + [m.end() for m in _SEGMENT_BREAK.finditer(text)]

    def run(self) -> list[TickerTag]:
        self._tag_marks()
        candidates = self._name_candidates()
        pending = []
        for start, end, key in candidates:
            if not self._accept_strong(start, end, key):
                pending.append((start, end, key))
        rejected = []
        for start, end, key in pending:
            if not self._accept_with_context(start, end, key):
                rejected.append((start, end, key))
        self._accept_lists(rejected)
        self._tag_bare_symbols()
        return self._tags()

    # -- evidence bookkeeping -------------------------------------------------------------------------------
    def _add(self, entry: DirectoryEntry | None, symbol: str, exchange: str | None, confidence: float,
             span: tuple[int, int]) -> None:
        evidence = self.found.get(symbol)
        if evidence is None:
            evidence = self.found[symbol] = _Evidence(entry, symbol, exchange, confidence)
        evidence.confidence = max(evidence.confidence, confidence)
        if span not in evidence.spans:
            evidence.spans.append(span)

    def _tags(self) -> list[TickerTag]:
        tags = []
        for evidence in self.found.values():
            entry = evidence.entry
            spans = sorted(evidence.spans)
            tags.append(
                TickerTag(
                    symbol=evidence.symbol,
                    exchange=(entry.exchange or None) if entry else evidence.exchange,
                    name=entry.name if entry else None,
                    confidence=round(evidence.confidence, 2),
                    mentions=[[s, e] for s, e in spans],
                )
            )
        tags.sort(key=lambda t: (-t.confidence, t.mentions[0][0] if t.mentions else 0, t.symbol))
        return tags

    # -- explicit marks -------------------------------------------------------------------------------------
    def _tag_marks(self) -> None:
        for mark in find_marks(self.text):
            entry = None if mark.foreign else self.directory.lookup(mark.symbol)
            if mark.form == "bare" and not self._bare_mark_ok(mark, entry):
                continue
            if mark.form == "list" and entry is None and not self._list_mostly_known(mark):
                continue
            if mark.form == "run" and (entry is None or not self._run_mostly_known(mark)):
                continue
            if mark.form == "cashtag" and entry is None and len(mark.symbol) < 2:
                continue
            self.mark_spans.append((mark.start, mark.end, mark))
            opening = max(self.text.rfind("(", 0, mark.start), self.text.rfind("<", 0, mark.start))
            self.mark_regions.append((opening if mark.start - opening < 24 else mark.start, mark.end))
            if entry is not None:
                self._add(entry, entry.symbol, entry.exchange, 1.0, (mark.start, mark.end))
                issuer = self.directory.issuer_of(entry)
                self.strong_issuers.add(issuer)
                self.marked_entry.setdefault(issuer, entry)
            else:
                confidence = 0.6 if mark.foreign else 0.5
                self._add(None, mark.symbol, mark.exchange, confidence, (mark.start, mark.end))

    def _list_mostly_known(self, mark: Mark) -> bool:
        """Return whether at least half of the symbols in the parenthesised list holding ``mark`` are known."""
        opening = self.text.rfind("(", 0, mark.start)
        closing = self.text.find(")", mark.end)
        tokens = re.findall(r"[A-Z][A-Z0-9.]*", self.text[opening + 1:closing])
        known = sum(1 for t in tokens if self.directory.lookup(t) is not None)
        return len(tokens) >= 2 and known * 2 >= len(tokens)

    def _run_mostly_known(self, mark: Mark) -> bool:
        """Return whether an unbracketed run is a symbol list: half known, half of 3+ letters (not "CA, TX, NY")."""
        tokens = run_tokens(self.text, mark)
        known = sum(1 for t in tokens if t not in COMMON_ACRONYMS and self.directory.lookup(t) is not None)
        long_tokens = sum(1 for t in tokens if len(t) >= 3)
        return known * 2 >= len(tokens) and long_tokens * 2 >= len(tokens)

    def _bare_mark_ok(self, mark: Mark, entry: DirectoryEntry | None) -> bool:
        """Return whether "(XYZ)" is a ticker rather than an acronym or a word in parentheses."""
        token = mark.symbol
        if token in COMMON_ACRONYMS or acronym_of_preceding(self.text, mark.start - 1, token):
            return False
        if token.lower() in self.directory.ambiguous_words and not self._name_just_before(mark.start, entry):
            return False
        if entry is not None:
            return True
        # An unknown symbol counts only right after a capitalised name: "Samsonite International (SMSOF)".
        before = self.text[max(0, mark.start - 40):mark.start].rstrip(" (")
        last = re.findall(r"[A-Za-z][\w.&'-]*", before)
        return bool(last) and last[-1][0].isupper() and 2 <= len(token) <= 5 and token.isalpha()

    def _name_just_before(self, position: int, entry: DirectoryEntry | None) -> bool:
        if entry is None:
            return False
        before = fold(self.text[max(0, position - 80):position]).split()
        name_words = [w for w in fold(entry.name).split() if w not in CONNECTORS]
        return bool(name_words) and name_words[0] in before[-6:]

    # -- names ----------------------------------------------------------------------------------------------
    def _name_candidates(self) -> list[tuple[int, int, NameKey]]:
        padded = f" {fold(self.text)} "  # one copy, not two: a long story's text is large
        matches = []
        text = self.text
        for end_index, (folded, keys) in self.directory.automaton.iter(padded):
            start = end_index - len(folded) - 1  # padded key is " folded ", text offsets shift by one
            if text[start : start + 1].islower() and not any(k.form[:1].islower() for k in keys):
                continue  # an ordinary word, which _choose_key refuses whatever else is found: not kept
            matches.append((start, start + len(folded), keys))
        matches.sort(key=lambda m: (m[0], -(m[1] - m[0])))
        chosen = []
        last_end = -1
        for start, end, keys in matches:
            if start < last_end or self._inside_mark(start, end):
                continue
            key = self._choose_key(start, end, keys)
            if key is None:
                continue
            chosen.append((start, end, key))
            last_end = end
        return chosen

    def _inside_mark(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.mark_regions)

    def _choose_key(self, start: int, end: int, keys: Sequence[NameKey]) -> NameKey | None:
        written = self.text[start:end]
        if written[:1].islower():  # most matches are ordinary lower-case words: only "eBay"-style names remain
            keys = [k for k in keys if k.form[:1].islower()]
        usable = [k for k in keys if self._case_ok(written, k)]
        if not usable:
            return None
        entries = self.directory.entries

        def order(k: NameKey) -> tuple[int, int, int]:
            return (-int(k.kind), 0 if k.issuer in self.strong_issuers else 1, entries[k.entry].rank or 10**9)

        usable.sort(key=order)
        best = usable[0]
        rivals = [k for k in usable[1:] if k.kind == best.kind and k.issuer != best.issuer
                  and not self._dwarfs(entries[best.entry], entries[k.entry])]
        if rivals and best.issuer not in self.strong_issuers:
            # Several companies share this name: only the one the text otherwise names, and only with context.
            return NameKey(best.entry, best.issuer, min(best.kind, KeyKind.SHORT), best.form, True,
                           best.exact_case, best.words, shared=True)
        return best

    @staticmethod
    def _dwarfs(best: DirectoryEntry, rival: DirectoryEntry) -> bool:
        """Return whether ``best`` is so much larger that a name they share means it ("UBS" vs a UBS AG note)."""
        if not best.rank:
            return False
        return (rival.rank or 10**9) > 20 * best.rank

    def _case_ok(self, written: str, key: NameKey) -> bool:
        if key.exact_case:
            return re.sub(r"\W", "", written) == re.sub(r"\W", "", key.form)
        form_words = key.form.split()
        for index, word in enumerate(written.split()):
            if not word[0].isalpha():
                continue
            if word.lower() in CONNECTORS and index:
                continue
            if word[0].isupper():
                continue
            if index < len(form_words) and form_words[index] == word:
                continue  # written as the company writes it: "eBay"
            return False
        return True

    def _accept_strong(self, start: int, end: int, key: NameKey) -> bool:
        if start > 0 and self.text[start - 1] == "-":
            return True  # part of a compound word ("E-Commerce"): not a name; nothing more to try
        return self._accept_by_name(start, end, key) or self._accept_in_slot(start, end, key)

    @cached_property
    def slots(self) -> list[Slot]:
        """Return the headline slots of the text (found only when a name needs them)."""
        return company_slots(self.text)

    def _accept_in_slot(self, start: int, end: int, key: NameKey) -> bool:
        """Accept a name that fills a headline's company slot; a first word only if no other issuer has it."""
        if key.shared and key.issuer not in self.strong_issuers:
            return False
        if key.ambiguous and key.words == 1 and key.kind != KeyKind.FULL:
            return False  # "Outlook Raised": a word that is only part of a company's name
        if not any(fills(self.text, slot, start, end) for slot in self.slots):
            return False
        self._accept(self.directory.entries[key.entry], key, 0.7, start, end)
        return True

    def _accept_by_name(self, start: int, end: int, key: NameKey) -> bool:
        entry = self.directory.entries[key.entry]
        after = self.text[end:end + 24]
        suffix = LEGAL_SUFFIX.match(after)
        if suffix and (key.kind == KeyKind.FULL or not suffix.group(0).rstrip().endswith(("Holdings", "Group"))):
            self._accept(entry, key, 0.95, start, end)
            return True
        mark = self._mark_right_after(end)
        if mark is not None and self._same_issuer(mark, entry):
            self._accept(entry, key, 0.95, start, end)
            return True
        if key.kind == KeyKind.FIRST:
            return False
        if key.ambiguous:
            # "Advance Auto Parts", "General Motors": several capitalised ordinary words in running text.
            if key.kind == KeyKind.FULL and (
                key.words >= 3 or key.words == 2 and (not self._is_title_case(start, end) or self._opens_segment(start))
            ):
                self._accept(entry, key, 0.85, start, end)
                return True
            return False
        if key.kind == KeyKind.FULL:
            if key.words == 1 and self._embedded_in_name(start, end):
                return False
            self._accept(entry, key, 0.9 if not key.exact_case else 0.85, start, end)
            return True
        if self._embedded_in_name(start, end) or self._next_word_capitalised(start, end):
            return False
        self._accept(entry, key, 0.75, start, end, strong=False)
        return True

    def _accept_with_context(self, start: int, end: int, key: NameKey) -> bool:
        entry = self.directory.entries[key.entry]
        if key.words == 1 and self._embedded_in_name(start, end):
            return False
        if key.issuer in self.strong_issuers:
            if self._negative_context(start, end) and key.ambiguous and key.words == 1:
                return False
            self._accept(entry, key, 0.8, start, end, strong=False)
            return True
        if key.kind == KeyKind.FIRST or (key.kind == KeyKind.SHORT and key.ambiguous and key.words == 1):
            return False
        if self._has_cue(start, end):
            self._accept(entry, key, 0.6, start, end, strong=False)
            return True
        return False

    def _accept_lists(self, rejected: list[tuple[int, int, NameKey]]) -> None:
        """Accept an ordinary-word name listed with accepted companies: "Apple, Microsoft and Alphabet shares".

        The list needs a finance word in its sentence unless a partner is named in full or marked and the
        name is a company's whole name.
        """
        accepted = sorted((span, ev.confidence) for ev in self.found.values() for span in ev.spans)
        for start, end, key in rejected:
            if key.kind == KeyKind.FIRST or key.shared or self._negative_context(start, end):
                continue
            for (s, e), confidence in accepted:
                gap = self.text[e:start] if e <= start else self.text[end:s] if end <= s else None
                if gap is not None and len(gap) < 16 and LIST_JOINERS.match(gap) and (
                        confidence >= 0.85 and key.kind == KeyKind.FULL or self._segment_has_cue(start)):
                    self._accept(self.directory.entries[key.entry], key, 0.55, start, end, strong=False)
                    break

    def _accept(self, entry: DirectoryEntry, key: NameKey, confidence: float, start: int, end: int,
                strong: bool = True) -> None:
        entry = self.marked_entry.get(key.issuer, entry)
        self._add(entry, entry.symbol, entry.exchange, confidence, (start, end))
        if strong:
            self.strong_issuers.add(key.issuer)

    def _mark_right_after(self, end: int) -> Mark | None:
        for s, _e, mark in self.mark_spans:
            if end <= s <= end + 14 and re.fullmatch(r"(?:'s|’s)?,?\s*[(<]\s*(?:[A-Za-z ]+:\s*)?", self.text[end:s]):
                return mark
        return None

    def _same_issuer(self, mark: Mark, entry: DirectoryEntry) -> bool:
        listed = self.directory.lookup(mark.symbol)
        return listed is not None and self.directory.issuer_of(listed) == self.directory.issuer_of(entry)

    # -- context --------------------------------------------------------------------------------------------
    def _segment_start(self, position: int) -> int:
        return self.segments[bisect.bisect_right(self.segments, position) - 1]

    def _segment_end(self, position: int) -> int:
        index = bisect.bisect_right(self.segments, position)
        return self.segments[index] if index < len(self.segments) else len(self.text)

    def _is_title_case(self, start: int, end: int) -> bool:
        """Return whether the segment around a name is in Title Case or capitals (capitals tell nothing there)."""
        seg_start, seg_end = self._segment_start(start), self._segment_end(start)
        text = _QUOTED.sub(" ", self.text[seg_start:start] + " " + self.text[end:seg_end])
        words = [w for w in _WORD.findall(text) if len(w) >= 4 and w[0].isalpha()]
        upper = sum(1 for w in words if w[0].isupper())
        return len(words) >= 2 and upper >= 0.75 * len(words)

    def _opens_segment(self, start: int) -> bool:
        """Return whether a name is the first thing in its sentence or headline (its subject, in a headline)."""
        return not re.search(r"\w", self.text[self._segment_start(start):start])

    def _embedded_in_name(self, start: int, end: int) -> bool:
        """Return whether a one-word name sits inside a longer capitalised name ("Michael Jackson")."""
        if self._is_title_case(start, end):
            return False
        before = self.text[self._segment_start(start):start]
        words = _WORD.findall(before)
        if not words or not before.endswith(" ") or before.rstrip()[-1:] in ",;:":
            return False
        prev = words[-1]
        if prev.endswith(("'s", "’s", "s'")) or prev.lower() in NOT_NAME_WORDS:
            return False
        ordinary_opening = len(words) == 1 and before.strip() == prev and prev.lower() in self.directory.ambiguous_words
        return prev[0].isupper() and not ordinary_opening and prev.lower() not in BEFORE_CUES and not prev.isupper()

    def _next_word_capitalised(self, start: int, end: int) -> bool:
        if self._is_title_case(start, end):
            return False
        match = re.match(r" ([A-Z][a-z][\w-]*)", self.text[end:end + 30])
        return match is not None and match.group(1).lower() not in AFTER_CUES

    def _words_around(self, start: int, end: int) -> tuple[list[str], list[str], bool]:
        """Return up to 3 words before, 4 words after (past a possessive) and whether a possessive follows."""
        seg_start, seg_end = self._segment_start(start), self._segment_end(end)
        before = [w.lower().strip(".'’") for w in _WORD.findall(self.text[max(seg_start, start - 60):start])][-3:]
        after_text = self.text[end:min(seg_end, end + 60)]
        possessive = re.match(r"(?:'s|’s|s'|')\b", after_text)
        if possessive:
            after_text = after_text[possessive.end():]
        after = [w.lower().strip(".'’,") for w in _WORD.findall(after_text)][:4]
        if after and not re.match(r"^[\s,]*\w", after_text):
            after = []  # punctuation such as a dash or a quote closes the phrase
        return before, after, bool(possessive)

    def _negative_context(self, start: int, end: int) -> bool:
        before, after, possessive = self._words_around(start, end)
        if before and before[-1] in NEGATIVE_BEFORE:
            return True
        return bool(after) and after[0] in NEGATIVE_AFTER and not possessive  # "Apple's price" is the company's

    def _has_cue(self, start: int, end: int) -> bool:
        """Return whether finance words right next to a name show that it is the company."""
        if self._negative_context(start, end):
            return False
        before, after, possessive = self._words_around(start, end)
        if possessive and any(w in POSSESSIVE_CUES for w in after[:3]):
            return True
        if not possessive and after and after[0] in NEXT_CUES:
            return True
        if not possessive and after[:1] and after[0] in MOVE_CUES and any(re.match(r"\d", w) for w in after[1:]):
            return True
        if len(before) >= 2 and before[-1] in ("of", "on", "in", "at", "for") and before[-2] in BEFORE_CUES:
            return True
        return bool(before) and before[-1] in BEFORE_CUES

    def _segment_has_cue(self, position: int) -> bool:
        seg = self.text[self._segment_start(position):self._segment_end(position)]
        return any(w.lower() in AFTER_CUES or w.lower() in BEFORE_CUES for w in _WORD.findall(seg))

    # -- bare symbols ---------------------------------------------------------------------------------------
    def _tag_bare_symbols(self) -> None:
        for match in _BARE_SYMBOL.finditer(self.text):
            token = match.group(1)
            if token in COMMON_ACRONYMS or token.lower() in self.directory.ambiguous_words:
                continue
            entry = self.directory.lookup(token)
            if entry is None or entry.kind not in NAMED_KINDS or self._inside_mark(match.start(), match.end()):
                continue
            if self._in_capitals(match.start()):
                continue
            self._add(entry, entry.symbol, entry.exchange, 0.55, (match.start(1), match.end(1)))

    def _in_capitals(self, position: int) -> bool:
        """Return whether the token stands in a run of capitals (a subhead), where a symbol is just a word."""
        seg = self.text[self._segment_start(position):self._segment_end(position)]
        words = [w for w in re.findall(r"[A-Za-z]{2,}", seg)]
        return len(words) >= 2 and sum(1 for w in words if w.isupper()) >= 0.5 * len(words)
