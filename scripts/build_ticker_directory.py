"""Build the bundled ticker directory and the ambiguous-word list the ticker tagger ships with.

    .venv/bin/python scripts/build_ticker_directory.py [--source ../shared/data/tickers]

Writes ``tickerwire/enrich/data/tickers.tsv.gz`` from the official directories (NASDAQ Trader
``nasdaqlisted.txt``/``otherlisted.txt``, SEC ``company_tickers_exchange.json``, S&P 500
``constituents.csv``; test issues dropped, ETFs/warrants/units/rights/preferreds/notes kept with their
kind), and ``tickerwire/enrich/data/ambiguous_words.txt.gz``: lower-case words a company name or a
symbol must not be tagged as on its own. That list is

* English dictionary words (lower-case entries of Debian's ``wamerican``, i.e. SCOWL) whose wordfreq
  Zipf frequency is at least 3.0 (about once per million words) — "apple", "target", "gap", "visa";
* symbols whose lower-case form is frequent (Zipf >= 2.5) as a word or acronym;
* names of exchanges, indices and news agencies ("Nasdaq", "Dow");
* place, language and people names (Babel's English territory and language names, pytz's zone city
  names, the US states), because a short form such as "Alaska" or "India" names a place far more often.

Building needs ``wordfreq`` (dev extra) and ``/usr/share/dict/words`` (``apt-get install wamerican``);
the outputs are committed, so nothing of this is needed at run time.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tickerwire.enrich.ticker_directory import (  # noqa: E402
    BUNDLED_PATH,
    DATA_DIR,
    DirectoryEntry,
    merge_directories,
    normalise_symbol,
    parse_directory,
    write_bundled,
)

AMBIGUOUS_PATH = DATA_DIR / "ambiguous_words.txt.gz"
ZIPF_THRESHOLD = 3.0
SYMBOL_ZIPF_THRESHOLD = 2.5
# Dictionary words whose everyday use in news is the company: kept out of the ambiguous list.
BRAND_DOMINANT = {"google", "intel"}

# Names the press uses that no directory gives (facts: brand or former name -> listed symbol).
BRAND_ALIASES: dict[str, tuple[str, ...]] = {
    "GOOGL": ("Google", "Alphabet"),
    "META": ("Facebook", "Meta"),
    "AMZN": ("Amazon",),
    "BRK.B": ("Berkshire Hathaway", "Berkshire"),
    "JNJ": ("J&J",),
    "PG": ("P&G",),
    "KO": ("Coca-Cola", "Coke"),
    "XOM": ("Exxon", "ExxonMobil"),
    "GM": ("GM",),
    "GE": ("GE",),
    "IBM": ("IBM",),
    "HPQ": ("HP",),
    "DIS": ("Disney",),
    "WMT": ("Wal-Mart",),
    "JPM": ("JPMorgan", "JP Morgan", "J.P. Morgan"),
    "GS": ("Goldman Sachs", "Goldman"),
    "MS": ("Morgan Stanley",),
    "C": ("Citigroup", "Citi"),
    "BAC": ("Bank of America", "BofA"),
    "WFC": ("Wells Fargo",),
    "TSM": ("TSMC",),
    "BABA": ("Alibaba",),
    "NVDA": ("Nvidia",),
    "MCD": ("McDonald's",),
    "CVX": ("Chevron",),
    "T": ("AT&T",),
    "VZ": ("Verizon",),
    "UNH": ("UnitedHealth",),
    "LLY": ("Eli Lilly", "Lilly"),
    "ABBV": ("AbbVie",),
    "BA": ("Boeing",),
    "F": ("Ford Motor", "Ford"),
    "TSLA": ("Tesla",),
    "NFLX": ("Netflix",),
    "PYPL": ("PayPal",),
    "UBER": ("Uber",),
    "ABNB": ("Airbnb",),
    "COR": ("AmerisourceBergen", "Cencora"),
    "B": ("Barrick Gold", "Barrick"),
    "HSBC": ("HSBC",),
    "UBS": ("UBS",),
    "DB": ("Deutsche Bank",),
    "BCS": ("Barclays",),
    "SHEL": ("Shell", "Royal Dutch Shell"),
    "BP": ("BP",),
    "MMM": ("3M",),
}
# Names of exchanges, indices and news agencies: "the Nasdaq", "the Dow" name a market, not the company.
MARKET_WORDS = {"nasdaq", "dow", "cboe", "nyse", "russell", "msci", "stoxx", "nikkei", "ftse", "sensex", "reuters",
                "bloomberg", "benzinga", "morningstar", "zacks"}

US_STATES = (
    "Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii Idaho "
    "Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota "
    "Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania Tennessee Texas Utah "
    "Vermont Virginia Washington Wisconsin Wyoming Carolina Dakota Hampshire Jersey York Mexico"
).split()


def build_directory(source: Path) -> list[DirectoryEntry]:
    """Parse and merge the official files under ``source``; add brand aliases."""
    def load(*parts: str) -> list[DirectoryEntry]:
        path = source.joinpath(*parts)
        return parse_directory(path.read_bytes()) if path.exists() else []

    nasdaq = load("nasdaqtrader", "nasdaqlisted.txt") + load("nasdaqtrader", "otherlisted.txt")
    sec = load("sec", "company_tickers_exchange.json")
    sp500 = load("sp500", "constituents.csv")
    if not (nasdaq or sec):
        raise SystemExit(f"{source}: no nasdaqtrader/*.txt or sec/company_tickers_exchange.json found")
    entries = merge_directories(nasdaq, sec, sp500)
    by_symbol = {e.symbol: e for e in entries}
    for symbol, aliases in BRAND_ALIASES.items():
        entry = by_symbol.get(normalise_symbol(symbol))
        if entry is None:
            print(f"warning: brand alias for unknown symbol {symbol}", file=sys.stderr)
            continue
        extra = tuple(a for a in aliases if a not in entry.aliases and a != entry.name)
        by_symbol[entry.symbol] = DirectoryEntry(**{**entry.__dict__, "aliases": entry.aliases + extra})
    return sorted(by_symbol.values(), key=lambda e: e.symbol)


def build_ambiguous_words(entries: list[DirectoryEntry]) -> list[str]:
    """Return the sorted lower-case ambiguous words (see the module docstring for the sources).

    Symbols that are frequent as words or acronyms ("ALL", "CEO"-like, Zipf >= 2.5) are added too, so a bare
    upper-case token is never taken for a ticker when it is more likely a word.
    """
    try:
        from wordfreq import zipf_frequency
    except ImportError as exc:
        raise SystemExit("building the word list needs wordfreq: pip install -e '.[dev]'") from exc
    dictionary = Path("/usr/share/dict/words")
    if not dictionary.exists():
        raise SystemExit("building the word list needs /usr/share/dict/words: apt-get install wamerican")
    words: set[str] = set()
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        word = line.strip()
        if word and word.islower() and word.isalpha() and zipf_frequency(word, "en") >= ZIPF_THRESHOLD:
            words.add(word)
    words.update(_place_and_people_names())
    words.update(MARKET_WORDS)
    for entry in entries:
        token = entry.symbol.casefold()
        if token.isalpha() and zipf_frequency(token, "en") >= SYMBOL_ZIPF_THRESHOLD:
            words.add(token)
    return sorted(words - BRAND_DOMINANT)


def _place_and_people_names() -> set[str]:
    import pytz
    from babel import Locale

    english = Locale("en")
    names: set[str] = set()
    for label in list(english.territories.values()) + list(english.languages.values()):
        if len(label.split()) > 2:  # "Heard & McDonald Islands": too specific to say anything about a word
            continue
        names.update(w.casefold() for w in re.findall(r"[A-Za-z]+", label) if len(w) > 2)
    for zone in pytz.all_timezones:
        city = zone.rsplit("/", 1)[-1].replace("_", " ")
        names.update(w.casefold() for w in city.split() if len(w) > 2)
    names.update(s.casefold() for s in US_STATES)
    for territory in english.territories.values():  # demonyms the Babel data does not list as languages
        stem = territory.split()[-1]
        if stem.endswith("a"):
            names.add((stem + "n").casefold())
    return {n for n in names if n.isalpha()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=REPO.parent / "shared" / "data" / "tickers")
    parser.add_argument("--skip-words", action="store_true", help="rebuild only tickers.tsv.gz")
    args = parser.parse_args()
    entries = build_directory(args.source)
    write_bundled(entries, BUNDLED_PATH)
    kinds: dict[str, int] = {}
    for e in entries:
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
    print(f"{BUNDLED_PATH.relative_to(REPO)}: {len(entries)} symbols {kinds}, {BUNDLED_PATH.stat().st_size} bytes")
    if not args.skip_words:
        words = build_ambiguous_words(entries)
        with AMBIGUOUS_PATH.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
            out.write(("\n".join(words) + "\n").encode("utf-8"))
        print(f"{AMBIGUOUS_PATH.relative_to(REPO)}: {len(words)} words, {AMBIGUOUS_PATH.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
