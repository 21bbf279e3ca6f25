"""Ticker tagging precision and recall: our hand-written sentences and the Benzinga headline sample.

    .venv/bin/python bench/ticker_eval.py [--show-errors 20]

(The first line says which tagger ran: put another checkout first on PYTHONPATH to measure its code on
the same data, e.g. a baseline.)

1. ``tests/fixtures/ticker_sentences.jsonl``: micro precision/recall over each sentence's symbol set.
   (A development set: the tagger's rules were tuned while reading its failures.)
2. ``../shared/data/ticker-news/analyst_ratings_processed_sample.csv`` (Benzinga headlines, one labelled
   ticker per row, labels incomplete). Rules of the measurement:

   * Labels are of 2009-2020, so the directory is the bundled one plus the labelled tickers as they were
     listed then (:data:`PERIOD_LISTINGS`, facts: symbol and name; an issuer that still trades under
     another symbol keeps its CIK, so "Barrick Gold" means ABX in that period).
   * Only headlines that name the labelled company are kept: a name pattern of :data:`PERIOD_LISTINGS`
     matches (case-sensitive, whole words), or the symbol is written as a ticker (``(ABX)``, ``NYSE: ABX``,
     ``$ABX``, or bare when it has 3+ letters). Each (headline, label) pair counts once.
   * Recall = kept pairs whose label is among the headline's tags / kept pairs.
   * Precision: the labels are incomplete (a headline can name a broker and two companies but carries one
     label), so each tag on a kept headline is
       - correct if its symbol is one of the headline's labels (all rows with that exact title), or
       - verified if it is another company that the headline independently names: the symbol written
         as a ticker, or the company's full directory name (legal suffix dropped) present and not a
         single ordinary word (not in the ambiguous-word list);
       - unverified otherwise (counted wrong).
     strict precision = correct / all tags; precision = (correct + verified) / all tags.

3. Held-out discipline: the sample is split into TUNE and REPORT halves by :func:`split_of`, a SHA-256 of the
   labelled ticker symbol (the same company appears in many headlines, so a split by headline would put
   "Agilent" headlines in both halves). A (headline, label) pair belongs to its label's half; a headline's
   tags count toward the precision of each half it has a kept pair in. Rules are chosen on TUNE only and
   only TUNE errors are printed. A split by headline (:func:`headline_split_of`) is printed too, for
   comparison: it shares companies between its halves, so it is the weaker held-out figure.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import tickerwire.enrich.tickers as tagger_module  # noqa: E402
from tickerwire.enrich.ticker_directory import DirectoryEntry, read_bundled  # noqa: E402
from tickerwire.enrich.ticker_names import KeyKind, name_variants  # noqa: E402
from tickerwire.enrich.tickers import TickerDirectory, default_directory, tag_text  # noqa: E402

SENTENCES = REPO / "tests" / "fixtures" / "ticker_sentences.jsonl"
NEWS_CSV = REPO.parent / "shared" / "data" / "ticker-news" / "analyst_ratings_processed_sample.csv"

# The labelled tickers as listed in 2009-2020: symbol -> (name, CIK of a current listing, name pattern).
PERIOD_LISTINGS: dict[str, tuple[str, str, str]] = {
    "A": ("Agilent Technologies, Inc.", "1090872", r"Agilent"),
    "AAME": ("Atlantic American Corporation", "", r"Atlantic American"),
    "AAMC": ("Altisource Asset Management Corporation", "", r"Altisource Asset Management"),
    "AAN": ("Aaron's, Inc.", "", r"Aaron's|Aarons"),
    "AAON": ("AAON, Inc.", "", r"AAON"),
    "AAOI": ("Applied Optoelectronics, Inc.", "", r"Applied Optoelectronics"),
    "AAP": ("Advance Auto Parts, Inc.", "1158449", r"Advance Auto Parts"),
    "AAPL": ("Apple Inc.", "320193", r"Apple"),
    "AAU": ("Almaden Minerals Ltd.", "", r"Almaden"),
    "AAV": ("Advantage Oil & Gas Ltd.", "", r"Advantage Oil"),
    "AAVL": ("Avalanche Biotechnologies, Inc.", "", r"Avalanche Biotech\w*"),
    "AAWW": ("Atlas Air Worldwide Holdings, Inc.", "", r"Atlas Air"),
    "AAXJ": ("iShares MSCI All Country Asia ex Japan ETF", "", r"iShares MSCI All Country Asia ex Japan"),
    "AB": ("AllianceBernstein Holding L.P.", "", r"AllianceBernstein"),
    "ABAC": ("Aoxin Tianli Group, Inc.", "", r"Aoxin Tianli|Renhuang"),
    "ABAX": ("Abaxis, Inc.", "", r"Abaxis"),
    "ABB": ("ABB Ltd", "", r"ABB"),
    "ABBV": ("AbbVie Inc.", "1551152", r"AbbVie"),
    "ABC": ("AmerisourceBergen Corporation", "1140859", r"AmerisourceBergen|Amerisource"),
    "ABCB": ("Ameris Bancorp", "", r"Ameris"),
    "ABCD": ("Cambium Learning Group, Inc.", "", r"Cambium Learning"),
    "ABCO": ("The Advisory Board Company", "", r"Advisory Board"),
    "ABCW": ("Anchor BanCorp Wisconsin Inc.", "", r"Anchor BanCorp|Anchor Bancorp"),
    "ABDC": ("Alcentra Capital Corporation", "", r"Alcentra"),
    "ABEV": ("Ambev S.A.", "", r"Ambev|AmBev"),
    "ABG": ("Asbury Automotive Group, Inc.", "", r"Asbury"),
    "ABGB": ("Abengoa, S.A.", "", r"Abengoa(?! Yield)"),
    "ABIO": ("ARCA biopharma, Inc.", "", r"ARCA biopharma|ARCA Biopharma"),
    "ABM": ("ABM Industries Incorporated", "", r"ABM"),
    "ABMD": ("Abiomed, Inc.", "", r"Abiomed|ABIOMED"),
    "ABR": ("Arbor Realty Trust, Inc.", "", r"Arbor Realty"),
    "ABTL": ("Autobytel Inc.", "", r"Autobytel"),
    "ABX": ("Barrick Gold Corporation", "756894", r"Barrick"),
    "ABY": ("Atlantica Yield plc", "", r"Atlantica Yield|Abengoa Yield"),
    "ACAD": ("ACADIA Pharmaceuticals Inc.", "", r"ACADIA|Acadia"),
    "ACAS": ("American Capital, Ltd.", "", r"American Capital"),
    "ACAT": ("Arctic Cat Inc.", "", r"Arctic Cat"),
}


@dataclass
class Figures:
    """Counts of one measurement; ``examples`` keeps a few misses and unverified tags for reading."""

    pairs: int = 0
    found: int = 0
    tags: int = 0
    correct: int = 0
    verified: int = 0
    headlines: int = 0
    seconds: float = 0.0
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @property
    def recall(self) -> float:
        return self.found / self.pairs if self.pairs else 0.0

    @property
    def precision(self) -> float:
        return (self.correct + self.verified) / self.tags if self.tags else 1.0

    @property
    def strict_precision(self) -> float:
        return self.correct / self.tags if self.tags else 1.0


def period_directory() -> TickerDirectory:
    """Return the bundled directory with the labelled tickers as they were listed in 2009-2020."""
    current = {e.symbol: e for e in read_bundled()}
    for symbol, (name, cik, pattern) in PERIOD_LISTINGS.items():
        old = current.get(symbol)
        aliases = tuple(a for a in pattern.split("|") if re.fullmatch(r"[\w' ]+", a) and a != name)
        current[symbol] = DirectoryEntry(symbol=symbol, exchange=old.exchange if old else "US", name=name,
                                         kind="etf" if symbol == "AAXJ" else "stock", cik=cik, rank=1,
                                         aliases=aliases)
    return TickerDirectory(current.values())


TUNE, REPORT = "TUNE", "REPORT"


def split_of(symbol: str) -> str:
    """Return the half a labelled ticker belongs to: its headlines are tuned on, or only reported."""
    return _half(symbol)


def headline_split_of(title: str) -> str:
    """Return the half of a headline in the comparison split by headline text."""
    return _half(title)


def _half(key: str) -> str:
    return REPORT if hashlib.sha256(key.encode("utf-8")).digest()[0] % 2 else TUNE


def load_news(path: Path = NEWS_CSV) -> list[tuple[str, str]]:
    """Return (title, label) rows of the Benzinga sample."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [(row["title"], row["stock"].strip()) for row in csv.DictReader(handle) if row.get("title")]


def names_label(title: str, symbol: str) -> bool:
    """Return whether a headline names the labelled company by its period name or writes its symbol."""
    _name, _cik, pattern = PERIOD_LISTINGS.get(symbol, ("", "", ""))
    if pattern and re.search(rf"(?<![\w]){pattern}(?![\w])", title):
        return True
    return written_as_ticker(title, symbol)


def written_as_ticker(title: str, symbol: str) -> bool:
    """Return whether ``symbol`` is written as a ticker in ``title`` ((SYM), exchange: SYM, $SYM, bare 3+)."""
    sym = re.escape(symbol)
    if re.search(rf"[(:,]\s*{sym}\s*[),]|\${sym}\b|:\s*{sym}\b", title):
        return True
    return len(symbol) >= 3 and re.search(rf"(?<![\w.]){sym}(?![\w])", title) is not None


def measure_news(rows: Iterable[tuple[str, str]], directory: TickerDirectory, show: int = 0,
                 part: Callable[[str, str], bool] | None = None) -> Figures:
    """Measure recall and precision on the labelled headlines that name their company (module docstring).

    ``part(title, symbol)`` keeps only the pairs of one half; every row's label still counts as correct.
    """
    rows = list(rows)
    labels: dict[str, set[str]] = defaultdict(set)
    for title, symbol in rows:
        labels[title].add(symbol)
    kept = sorted({(t, s) for t, s in rows if names_label(t, s) and (part is None or part(t, s))})
    figures = Figures(pairs=len(kept))
    titles = sorted({t for t, _ in kept})
    figures.headlines = len(titles)
    started = time.perf_counter()
    tags_of = {title: tag_text(title, directory) for title in titles}
    figures.seconds = time.perf_counter() - started
    for title, symbol in kept:
        if any(tag.symbol == symbol for tag in tags_of[title]):
            figures.found += 1
        elif len(figures.examples["missed"]) < show:
            figures.examples["missed"].append(f"{symbol}: {title}")
    for title in titles:
        for tag in tags_of[title]:
            figures.tags += 1
            if tag.symbol in labels[title]:
                figures.correct += 1
            elif verified_elsewhere(title, tag.symbol, directory):
                figures.verified += 1
                figures.examples["verified"].append(f"{tag.symbol}: {title}")
            else:
                figures.examples["unverified"].append(f"{tag.symbol} ({tag.name}): {title}")
    return figures


def verified_elsewhere(title: str, symbol: str, directory: TickerDirectory) -> bool:
    """Return whether a headline independently names a company it is not labelled with.

    The symbol written as a ticker, or one of the company's names (directory name or alias, legal suffix
    dropped, or without generic trailing words such as "Group") present as whole words and not one
    ordinary word.
    """
    if written_as_ticker(title, symbol):
        return True
    entry = directory.lookup(symbol)
    if entry is None:
        return False
    for name in (entry.name, *entry.aliases):
        for variant, _kind in name_variants(name):
            if _kind == KeyKind.FIRST:
                continue
            if len(variant.split()) == 1 and variant.lower() in directory.ambiguous_words:
                continue
            if re.search(rf"(?<![\w]){re.escape(variant)}(?![\w])", title, flags=re.IGNORECASE):
                return True
    return False


def measure_sentences(path: Path = SENTENCES, directory: TickerDirectory | None = None, show: int = 0) -> Figures:
    """Micro precision/recall over the hand-written sentences' expected symbol sets."""
    figures = Figures()
    started = time.perf_counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        expected = set(record["expected"])
        got = {tag.symbol for tag in tag_text(record["text"], directory)}
        figures.headlines += 1
        figures.pairs += len(expected)
        figures.found += len(expected & got)
        figures.tags += len(got)
        figures.correct += len(expected & got)
        if got != expected and len(figures.examples["wrong"]) < show:
            figures.examples["wrong"].append(f"expected {sorted(expected)} got {sorted(got)}: {record['text']}")
    figures.seconds = time.perf_counter() - started
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show-errors", type=int, default=15, help="print this many misses/unverified tags")
    args = parser.parse_args()

    started = time.perf_counter()
    default_directory()
    tagger = Path(tagger_module.__file__ or "").parent
    print(f"tagger: {tagger}; directory built in {time.perf_counter() - started:.2f}s")
    sentences = measure_sentences(show=args.show_errors)
    print(f"sentences: {sentences.headlines} sentences, {sentences.pairs} expected symbols, {sentences.tags} tags: "
          f"precision {sentences.strict_precision:.3f} recall {sentences.recall:.3f}")
    for line in sentences.examples["wrong"]:
        print("   ", line)
    if not NEWS_CSV.exists():
        print(f"{NEWS_CSV} is absent: Benzinga figures skipped")
        return 0
    rows = load_news()
    directory = period_directory()
    print(f"ticker-news: {len(rows)} rows")
    halves = {half: sorted(s for s in PERIOD_LISTINGS if split_of(s) == half) for half in (TUNE, REPORT)}
    for half, members in halves.items():
        print(f"    {half} tickers ({len(members)}): {' '.join(members)}")
    parts: list[tuple[str, Callable[[str, str], bool] | None]] = [
        (f"by ticker {TUNE}", lambda _t, s: split_of(s) == TUNE),
        (f"by ticker {REPORT}", lambda _t, s: split_of(s) == REPORT),
        (f"by headline {TUNE}", lambda t, _s: headline_split_of(t) == TUNE),
        (f"by headline {REPORT}", lambda t, _s: headline_split_of(t) == REPORT),
        ("whole sample", None),
    ]
    tune = Figures()
    for label, part in parts:
        news = measure_news(rows, directory, show=args.show_errors, part=part)
        print(f"  {label:<20} pairs {news.pairs:4d} headlines {news.headlines:4d} tags {news.tags:4d}  "
              f"recall {news.recall:.3f}  precision {news.precision:.3f}  strict precision {news.strict_precision:.3f}"
              f"  (unverified {news.tags - news.correct - news.verified}, "
              f"{news.headlines / news.seconds:,.0f} headlines/s)")
        if part is parts[0][1]:
            tune = news
    print(f"  errors shown are from by ticker {TUNE} only (REPORT errors are never read)")
    totals = {"missed": tune.pairs - tune.found, "unverified": tune.tags - tune.correct - tune.verified}
    for kind in ("missed", "unverified"):
        counts = Counter(line.split(":")[0] for line in tune.examples[kind])
        print(f"  {kind} ({totals[kind]}; most frequent of those shown: {dict(counts.most_common(10))})")
        for line in tune.examples[kind][: args.show_errors]:
            print("   ", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
