"""Official US symbol directories: parse them, merge them, and read/write the bundled compact form.

No Django here: the build script, ``tickerwire tickers import`` and the tagger all share this code.

Formats understood (sniffed by :func:`sniff_format`):

* ``nasdaqlisted`` — NASDAQ Trader ``nasdaqlisted.txt`` (``Symbol|Security Name|Market Category|...``)
* ``otherlisted`` — NASDAQ Trader ``otherlisted.txt`` (``ACT Symbol|Security Name|Exchange|...``)
* ``sec`` — SEC ``company_tickers_exchange.json`` (``{"fields": [...], "data": [...]}``) and
  ``company_tickers.json`` (``{"0": {"cik_str", "ticker", "title"}, ...}``)
* ``sp500`` — S&P 500 constituents CSV (``Symbol,Security,GICS Sector,...``)
* ``bundled`` — this project's own ``tickers.tsv[.gz]`` (see :data:`BUNDLED_COLUMNS`)
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
BUNDLED_PATH = DATA_DIR / "tickers.tsv.gz"

# What a listing is; only "stock" and "adr" names are matched in text, every kind by explicit mark.
KINDS = ("stock", "adr", "etf", "fund", "warrant", "unit", "right", "preferred", "note", "other")
BUNDLED_COLUMNS = ("symbol", "exchange", "name", "kind", "cik", "rank", "sp500", "aliases")

NASDAQ_MARKETS = {"Q": "NASDAQ", "G": "NASDAQ", "S": "NASDAQ"}
OTHER_EXCHANGES = {"N": "NYSE", "A": "NYSE American", "P": "NYSE Arca", "Z": "Cboe BZX", "V": "IEX", "M": "NYSE Texas"}
SEC_EXCHANGES = {"Nasdaq": "NASDAQ", "NYSE": "NYSE", "NYS": "NYSE", "OTC": "OTC", "CBOE": "Cboe BZX"}


class DirectoryFormatError(ValueError):
    """A file is not one of the symbol-directory formats, or is damaged; the message says which line."""


@dataclass(frozen=True)
class DirectoryEntry:
    """One listed security as the directories describe it.

    ``name`` is the issuer's name without the issue description ("Apple Inc.", not
    "Apple Inc. - Common Stock"). ``rank`` is the SEC file's order (roughly market value; 0 = unknown),
    used to prefer the main listing when a name belongs to several symbols. ``aliases`` are other
    names for the same issuer (the SEC's registered name, the S&P 500 short name).
    """

    symbol: str
    exchange: str = ""
    name: str = ""
    kind: str = "stock"
    cik: str = ""
    rank: int = 0
    sp500: bool = False
    aliases: tuple[str, ...] = field(default_factory=tuple)
    is_sample: bool = False


def normalise_symbol(symbol: str) -> str:
    """Return a symbol in the directory's form: upper case, class shares with a dot (``BRK-B`` -> ``BRK.B``)."""
    symbol = symbol.strip().upper()
    return re.sub(r"^([A-Z0-9]+)[-/]([A-Z]{1,2})$", r"\1.\2", symbol)


# Issue descriptions that NASDAQ Trader appends to the issuer's name.
_ISSUE_SPLIT = re.compile(
    r"\s+-\s+(?=.*\b(?:stock|shares?|warrants?|units?|rights?|notes?|depositary|debentures?|preferred|"
    r"interests?|ordinary|beneficial|trust|etf|fund|series|class|subordinated)\b)",
    re.IGNORECASE,
)
_ISSUE_TAIL = re.compile(
    r"\s*,?\s*\b(?:Class [A-Z] )?(?:Common Stock|Common Shares|Ordinary Shares|Subordinate Voting Shares|"
    r"American Depositary Shares?|ADS|Units?|Warrants?|Rights?|Common Units?|Shares of Beneficial Interest|"
    r"Depositary Shares?|Registered Shares|Capital Stock)\b.*$",
    re.IGNORECASE,
)


def issue_kind(description: str, etf: bool = False) -> str:
    """Return the kind of issue a NASDAQ Trader security name describes."""
    text = description.lower()
    if etf:
        return "etf"
    if re.search(r"\bwarrants?\b", text):
        return "warrant"
    if re.search(r"\bunits?\b", text) and "common units" not in text:
        return "unit"
    if re.search(r"\brights?\b", text):
        return "right"
    if re.search(r"\bpreferred\b|\bpfd\b|%", text):
        return "note" if re.search(r"\bnotes?\b|\bdebentures?\b|\bbonds?\b", text) else "preferred"
    if re.search(r"\bnotes? due\b|\bdebentures?\b|\bsenior notes\b|\betns?\b|exchange traded notes?", text):
        return "note"
    if "depositary" in text or re.search(r"\bads\b|\badr\b", text):
        return "adr"
    if re.search(r"\bfund\b|\btrust\b.*\bbeneficial\b|closed[- ]end", text):
        return "fund"
    return "stock"


def issuer_name(description: str) -> str:
    """Return the issuer's name from a NASDAQ Trader security name ("Apple Inc. - Common Stock" -> "Apple Inc.")."""
    head = _ISSUE_SPLIT.split(description.strip(), maxsplit=1)[0]
    head = _ISSUE_TAIL.sub("", head).strip(" ,-")
    return tidy_name(head or description.strip())


def tidy_name(name: str) -> str:
    """Return a name without trailing notes such as "(The)" or "(Class A)"."""
    name = re.sub(r"\s*\((?:The|Class [A-Z0-9]+|Holding Company|New)\)\s*$", "", name.strip(), flags=re.IGNORECASE)
    return name.strip(" ,")


def sniff_format(data: bytes) -> str:
    """Return which directory format ``data`` is in, or raise :class:`DirectoryFormatError`."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    head = data.lstrip()[:4096].decode("utf-8", errors="replace")
    first_line = head.splitlines()[0] if head else ""
    if first_line.startswith("Symbol|Security Name|Market Category"):
        return "nasdaqlisted"
    if first_line.startswith("ACT Symbol|Security Name|Exchange"):
        return "otherlisted"
    if first_line.startswith("Symbol,Security,"):
        return "sp500"
    if first_line.startswith("\t".join(BUNDLED_COLUMNS[:3])):
        return "bundled"
    if head.startswith("{") and ('"fields"' in head or '"cik_str"' in head):
        return "sec"
    raise DirectoryFormatError(
        "not a known symbol-directory format (expected nasdaqlisted.txt, otherlisted.txt, "
        "SEC company_tickers[_exchange].json, S&P 500 constituents.csv or a bundled tickers.tsv)"
    )


def parse_directory(data: bytes, fmt: str | None = None) -> list[DirectoryEntry]:
    """Parse one directory file's bytes; sniff the format unless ``fmt`` is given."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    fmt = fmt or sniff_format(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DirectoryFormatError(f"not UTF-8 text: {exc}") from exc
    parsers = {
        "nasdaqlisted": _parse_nasdaqlisted,
        "otherlisted": _parse_otherlisted,
        "sec": _parse_sec,
        "sp500": _parse_sp500,
        "bundled": _parse_bundled,
    }
    if fmt not in parsers:
        raise DirectoryFormatError(f"unknown directory format {fmt!r}")
    return parsers[fmt](text)


def _pipe_rows(text: str, expected: int) -> Iterable[tuple[int, list[str]]]:
    lines = text.splitlines()
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("File Creation Time"):
            continue
        cells = line.split("|")
        if len(cells) != expected:
            raise DirectoryFormatError(f"line {number}: expected {expected} '|'-separated fields, got {len(cells)}")
        yield number, cells


def _parse_nasdaqlisted(text: str) -> list[DirectoryEntry]:
    entries = []
    for _number, cells in _pipe_rows(text, 8):
        symbol, description, market, test_issue, _status, _lot, etf, _next = cells
        if test_issue == "Y":
            continue
        entries.append(
            DirectoryEntry(
                symbol=normalise_symbol(symbol),
                exchange=NASDAQ_MARKETS.get(market, "NASDAQ"),
                name=issuer_name(description),
                kind=issue_kind(description, etf == "Y"),
            )
        )
    return entries


def _parse_otherlisted(text: str) -> list[DirectoryEntry]:
    entries = []
    for _number, cells in _pipe_rows(text, 8):
        act_symbol, description, exchange, _cqs, etf, _lot, test_issue, _nasdaq = cells
        if test_issue == "Y":
            continue
        entries.append(
            DirectoryEntry(
                symbol=normalise_symbol(act_symbol),
                exchange=OTHER_EXCHANGES.get(exchange, exchange),
                name=issuer_name(description),
                kind=issue_kind(description, etf == "Y"),
            )
        )
    return entries


def _parse_sec(text: str) -> list[DirectoryEntry]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DirectoryFormatError(f"invalid JSON at line {exc.lineno}: {exc.msg}") from exc
    rows: list[tuple[str, str, str, str | None]] = []
    if isinstance(doc, dict) and "fields" in doc:
        index = {name: i for i, name in enumerate(doc["fields"])}
        for row in doc.get("data", []):
            rows.append((str(row[index["cik"]]), row[index["name"]], row[index["ticker"]], row[index["exchange"]]))
    elif isinstance(doc, dict):
        for item in doc.values():
            rows.append((str(item["cik_str"]), item["title"], item["ticker"], None))
    else:
        raise DirectoryFormatError("SEC JSON must be an object")
    entries = []
    for rank, (cik, name, ticker, exchange) in enumerate(rows, start=1):
        if not ticker or not name:
            continue
        entries.append(
            DirectoryEntry(
                symbol=normalise_symbol(ticker),
                exchange=SEC_EXCHANGES.get(exchange or "", exchange or ""),
                name=tidy_name(re.sub(r"\s*/[A-Z]{2,3}/?\s*$", "", name)),
                cik=cik,
                rank=rank,
            )
        )
    return entries


def _parse_sp500(text: str) -> list[DirectoryEntry]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "Symbol" not in reader.fieldnames or "Security" not in reader.fieldnames:
        raise DirectoryFormatError("S&P 500 CSV needs Symbol and Security columns")
    return [
        DirectoryEntry(symbol=normalise_symbol(row["Symbol"]), name=tidy_name(row["Security"]),
                       cik=(row.get("CIK") or "").lstrip("0"), sp500=True)
        for row in reader
        if row.get("Symbol")
    ]


def _parse_bundled(text: str) -> list[DirectoryEntry]:
    lines = text.splitlines()
    if not lines or tuple(lines[0].split("\t")) != BUNDLED_COLUMNS:
        raise DirectoryFormatError(f"bundled ticker file needs the header {' '.join(BUNDLED_COLUMNS)}")
    entries = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(BUNDLED_COLUMNS):
            raise DirectoryFormatError(f"line {number}: expected {len(BUNDLED_COLUMNS)} tab-separated fields")
        symbol, exchange, name, kind, cik, rank, sp500, aliases = cells
        entries.append(
            DirectoryEntry(symbol=symbol, exchange=exchange, name=name, kind=kind, cik=cik,
                           rank=int(rank or 0), sp500=sp500 == "1",
                           aliases=tuple(a for a in aliases.split("|") if a))
        )
    return entries


def merge_directories(
    nasdaq: Iterable[DirectoryEntry] = (), sec: Iterable[DirectoryEntry] = (), sp500: Iterable[DirectoryEntry] = ()
) -> list[DirectoryEntry]:
    """Merge the sources into one entry per symbol.

    NASDAQ Trader's listings decide which symbols are exchange-listed and their kind; the SEC file adds
    the CIK, market-value rank, OTC listings and its registered name as an alias; the S&P 500 list adds
    membership and its short name as an alias.
    """
    merged: dict[str, DirectoryEntry] = {}
    for entry in nasdaq:
        merged.setdefault(entry.symbol, entry)
    for entry in sec:
        current = merged.get(entry.symbol)
        if current is None:
            merged[entry.symbol] = replace(entry, name=_tidy_upper(entry.name))
        else:
            aliases = _add_alias(current.aliases, current.name, _tidy_upper(entry.name))
            merged[entry.symbol] = replace(current, cik=entry.cik, rank=current.rank or entry.rank, aliases=aliases)
    for entry in sp500:
        current = merged.get(entry.symbol)
        if current is None:
            merged[entry.symbol] = entry
        else:
            aliases = _add_alias(current.aliases, current.name, entry.name)
            merged[entry.symbol] = replace(current, sp500=True, aliases=aliases, cik=current.cik or entry.cik)
    return sorted(merged.values(), key=lambda e: e.symbol)


def _add_alias(aliases: tuple[str, ...], name: str, alias: str) -> tuple[str, ...]:
    if not alias or alias.casefold() == name.casefold() or alias in aliases:
        return aliases
    return (*aliases, alias)


_KEEP_UPPER = re.compile(r"^(?:[A-Z]{1,3}|[A-Z]&[A-Z]|[A-Z]+\d+|II|III|IV|USA|LLC|ETF|REIT|NV|SA|AG|SE|PLC|LP)$")


def _tidy_upper(name: str) -> str:
    """Return an all-caps SEC name in title case ("NVIDIA CORP" -> "Nvidia Corp"), other names unchanged."""
    if name != name.upper() or not re.search(r"[A-Z]{4}", name):
        return name
    words = []
    for word in name.split(" "):
        words.append(word if _KEEP_UPPER.match(word) else word.capitalize())
    return " ".join(words)


def write_bundled(entries: Iterable[DirectoryEntry], path: Path) -> None:
    """Write entries as the bundled gzip TSV (deterministic bytes: no timestamp in the gzip header)."""
    lines = ["\t".join(BUNDLED_COLUMNS)]
    for e in entries:
        cells = [e.symbol, e.exchange, e.name, e.kind, e.cik, str(e.rank), "1" if e.sp500 else "",
                 "|".join(e.aliases)]
        lines.append("\t".join(re.sub(r"[\t\r\n]+", " ", c) for c in cells))
    buffer = io.StringIO("\n".join(lines) + "\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
        out.write(buffer.getvalue().encode("utf-8"))


def read_bundled(path: Path = BUNDLED_PATH) -> list[DirectoryEntry]:
    """Read the bundled directory shipped with the package."""
    return parse_directory(path.read_bytes(), "bundled")


def read_sample_tickers(path: Path) -> list[DirectoryEntry]:
    """Read the sample content's fictional tickers (CSV: symbol,exchange,name)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return [
            DirectoryEntry(symbol=normalise_symbol(row["symbol"]), exchange=(row.get("exchange") or "").strip(),
                           name=(row.get("name") or "").strip(), is_sample=True)
            for row in reader
            if row.get("symbol")
        ]
