"""Find explicit ticker marks in text: ``( META )``, ``(META.O)``, ``(NASDAQ: META)``, ``$META``, ``<GS.N>``.

A mark is a place where the writer says "this is a symbol". Resolving a mark against a directory is the
tagger's job; this module only finds marks and says how sure the form itself is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Exchange prefixes written inside parentheses, "(NASDAQ: META)", mapped to the exchange's name.
EXCHANGE_PREFIXES = {
    "NASDAQ": "NASDAQ", "NASDAQGS": "NASDAQ", "NASDAQGM": "NASDAQ", "NASDAQCM": "NASDAQ",
    "NYSE": "NYSE", "NYSEAMERICAN": "NYSE American", "NYSEAMEX": "NYSE American", "AMEX": "NYSE American",
    "NYSEARCA": "NYSE Arca", "NYSEMKT": "NYSE American", "CBOE": "Cboe BZX", "BATS": "Cboe BZX",
    "OTC": "OTC", "OTCQX": "OTC", "OTCQB": "OTC", "OTCMKTS": "OTC", "OTCBB": "OTC", "PINK": "OTC",
    "TSX": "TSX", "TSXV": "TSXV", "CSE": "CSE", "LSE": "LSE", "AIM": "LSE", "ASX": "ASX", "HKEX": "HKEX",
    "SEHK": "HKEX", "TSE": "Tokyo", "SGX": "SGX", "EURONEXT": "Euronext", "XETRA": "Xetra", "FRA": "Frankfurt",
}
US_EXCHANGES = frozenset({"NASDAQ", "NYSE", "NYSE American", "NYSE Arca", "Cboe BZX", "OTC"})
# Reuters Instrument Code suffixes: US ones resolve to the US listing; others name a foreign exchange.
US_RIC_SUFFIXES = {"O": "NASDAQ", "OQ": "NASDAQ", "OB": "OTC", "PK": "OTC", "N": "NYSE", "K": "NYSE",
                   "A": "NYSE American", "P": "NYSE Arca", "Z": "Cboe BZX"}
FOREIGN_RIC_SUFFIXES = {
    "L": "LSE", "T": "Tokyo", "TO": "TSX", "V": "TSXV", "CN": "CSE", "HK": "HKEX", "PA": "Euronext Paris",
    "AS": "Euronext Amsterdam", "BR": "Euronext Brussels", "LS": "Euronext Lisbon", "IR": "Euronext Dublin",
    "DE": "Xetra", "F": "Frankfurt", "MI": "Milan", "MC": "Madrid", "S": "SIX", "SW": "SIX", "VX": "SIX",
    "ST": "Stockholm", "CO": "Copenhagen", "OL": "Oslo", "HE": "Helsinki", "VI": "Vienna", "WA": "Warsaw",
    "IS": "Istanbul", "AX": "ASX", "NZ": "NZX", "SI": "SGX", "KS": "KRX", "KQ": "KOSDAQ", "TW": "TWSE",
    "SS": "Shanghai", "SZ": "Shenzhen", "BO": "BSE", "NS": "NSE", "SA": "B3", "MX": "BMV", "JO": "JSE",
    "MM": "Moscow", "TA": "TASE", "SR": "Tadawul", "BK": "SET", "JK": "IDX", "KL": "Bursa Malaysia",
}

# Acronyms often written in parentheses after their expansion; never taken for a bare "(XXX)" mark.
COMMON_ACRONYMS = frozenset(
    "CEO CFO COO CTO CIO IPO GDP EPS ETF ETFS FDA SEC FTC DOJ FCC EPA EU UK US USA UN IMF WHO OPEC NATO AI "
    "ESG ECB BOJ BOE PMI CPI PPI YOY QOQ EV EVS LNG API AGM NYSE NASDAQ OTC REIT REITS SPAC LLC PLC INC LTD "
    "CORP CO USD EUR GBP JPY CNY RMB HK IT PC TV FX ADR ADRS ADS NAV AUM EBITDA ROI ROE FY Q1 Q2 Q3 Q4 H1 H2 "
    "UAE UAW NHS WTO IEA EIA FED FOMC IRS NASA RBI PBOC SNB ASEAN OECD".split()
)

_TOKEN = r"[A-Z0-9][A-Za-z0-9]{0,7}(?:[.\-][A-Z]{1,3})?"
_PAREN = re.compile(r"\(([^()\n]{1,120})\)")
_ANGLE = re.compile(r"<([A-Z][A-Z0-9]{0,7}(?:\.[A-Z]{1,2})?)>")
_CASHTAG = re.compile(r"(?<![\w$])\$([A-Z]{1,6}(?:\.[A-Z]{1,2})?)(?![\w.]*\d)(?=[^\w]|$)")
_PREFIX = re.compile(r"^\s*([A-Za-z][A-Za-z ]{1,20}?)\s*:\s*")
_LIST_SPLIT = re.compile(r"\s*(?:,|;|/|\band\b)\s*")
_TOKEN_RE = re.compile(rf"^{_TOKEN}$")
_RIC = re.compile(r"^([A-Z0-9]{1,8}?)([a-z])?\.([A-Z]{1,2})$")
# A run of four or more symbols written without parentheses: "Top movers- NL, OMN, NNBR, AAU and FCX".
_RUN_SYMBOL = r"[A-Z]{1,5}(?:\.[A-Z])?"
_RUN = re.compile(rf"(?<![\w(.$])(?:{_RUN_SYMBOL}(?:, | and | & )){{3,}}{_RUN_SYMBOL}(?![\w.])")
_RUN_SPLIT = re.compile(r", | and | & ")
MAX_LIST = 24  # symbols in one parenthesised list: "Top Percentage Gainers (VSEA, ZSTN, ... OPEN)"


@dataclass(frozen=True)
class Mark:
    """One symbol written as a ticker.

    ``form`` is how sure the writing is: "prefixed" (exchange prefix), "ric" (Reuters code), "spaced"
    (``( META )``), "angle" (``<GS.N>``), "cashtag", "list" (``(HTZ, R, RCII)``), "bare" (``(META)``) or
    "run" (``NL, OMN, NNBR, AAU`` without parentheses: the caller checks that most are known symbols).
    ``symbol`` is the directory form for US marks (``BRK.B``) and the full code for foreign ones (``7203.T``).
    """

    symbol: str
    exchange: str | None
    start: int
    end: int
    form: str
    foreign: bool = False


def split_ric(token: str) -> tuple[str, str | None, bool]:
    """Return (symbol, exchange, is_foreign) for a token that may carry a RIC suffix (``META.O``, ``BRKb.N``)."""
    match = _RIC.match(token)
    if match:
        base, share_class, suffix = match.groups()
        if suffix in US_RIC_SUFFIXES:
            symbol = f"{base}.{share_class.upper()}" if share_class else base
            return symbol, US_RIC_SUFFIXES[suffix], False
        if suffix in FOREIGN_RIC_SUFFIXES:
            return token.upper(), FOREIGN_RIC_SUFFIXES[suffix], True
    return token.replace("-", "."), None, False


def find_marks(text: str) -> list[Mark]:
    """Return every explicit-looking mark in ``text``, in order; bare marks still need checking by the caller."""
    marks: list[Mark] = []
    for match in _PAREN.finditer(text):
        marks.extend(_paren_marks(match))
    for match in _ANGLE.finditer(text):
        symbol, exchange, foreign = split_ric(match.group(1))
        marks.append(Mark(symbol, exchange, match.start(1), match.end(1), "angle", foreign))
    for match in _CASHTAG.finditer(text):
        # The mention spans the "$" too: it is part of what a reader sees as the ticker, and of its link.
        marks.append(Mark(match.group(1), None, match.start(), match.end(1), "cashtag"))
    for match in _RUN.finditer(text):
        if _inside_parentheses(text, match.start()):
            continue
        position = match.start()
        for token in _RUN_SPLIT.split(match.group(0)):
            start = text.index(token, position)
            position = start + len(token)
            marks.append(Mark(token, None, start, position, "run"))
    marks.sort(key=lambda m: m.start)
    return marks


def _paren_marks(match: re.Match[str]) -> list[Mark]:
    inner = match.group(1)
    spaced = inner.startswith(" ") and inner.endswith(" ")
    pieces: list[tuple[str, int, str | None]] = []  # (token, start, exchange prefix)
    exchange: str | None = None
    position = 0
    for piece in _LIST_SPLIT.split(inner):
        found = inner.find(piece, position) if piece else position
        position = found + len(piece)
        body_start = found + len(piece) - len(piece.lstrip())
        body = piece.strip()
        if not body:
            continue
        prefix = _PREFIX.match(body)
        if prefix:
            name = re.sub(r"\s+", "", prefix.group(1)).upper()
            if name not in EXCHANGE_PREFIXES:
                return []
            exchange = EXCHANGE_PREFIXES[name]
            body_start += prefix.end()
            body = body[prefix.end():]
        if not _TOKEN_RE.match(body) or body.isdigit() or not any(c.isupper() for c in body):
            return []
        pieces.append((body, match.start(1) + body_start, exchange))
    if not pieces or len(pieces) > MAX_LIST:
        return []
    marks = []
    for token, start, prefix_exchange in pieces:
        symbol, ric_exchange, foreign = split_ric(token)
        if not foreign and any(c.islower() for c in symbol):
            return []
        if prefix_exchange is not None:
            form = "prefixed"
            foreign = foreign or prefix_exchange not in US_EXCHANGES
        elif ric_exchange is not None:
            form = "ric"
        elif spaced:
            form = "spaced"
        else:
            form = "list" if len(pieces) > 1 else "bare"
        marks.append(Mark(symbol, ric_exchange or prefix_exchange, start, start + len(token), form, foreign))
    return marks


def run_tokens(text: str, mark: Mark) -> list[str]:
    """Return the symbols of the run that ``mark`` belongs to."""
    for match in _RUN.finditer(text):
        if match.start() <= mark.start < match.end():
            return _RUN_SPLIT.split(match.group(0))
    return [mark.symbol]


def _inside_parentheses(text: str, position: int) -> bool:
    return text.rfind("(", 0, position) > text.rfind(")", 0, position)


def acronym_of_preceding(text: str, start: int, token: str) -> bool:
    """Return whether ``token`` spells the initials of the words just before its parenthesis.

    "Food and Drug Administration (FDA)" is an acronym's definition, not a ticker.
    """
    before = text[max(0, start - 160):start].rstrip(" (")
    words = re.findall(r"[A-Za-z][A-Za-z'&-]*", before)
    initials = "".join(w[0].upper() for w in words if w.lower() not in {"of", "and", "the", "for", "&", "de", "in"})
    letters = re.sub(r"[^A-Z]", "", token.upper())
    return bool(letters) and len(letters) >= 2 and initials.endswith(letters)


# A symbol as a page shows it, optionally exchange-prefixed ("NASDAQ: META") and wrapped in the one element
# the site puts around words of text: a search highlight or a ticker link.
_SHOWN_OPEN = r"(?:<(?:mark|a\b[^<>]*)>)?"
_SHOWN_CLOSE = r"(?:</(?:mark|a)>)?"
_SHOWN_SYMBOL = rf"{_SHOWN_OPEN}(?:[A-Z]{{2,12}}: ?)?[A-Z][A-Z0-9]{{0,7}}(?:[.\-][A-Z0-9]{{1,3}})?{_SHOWN_CLOSE}"
_LOOSE_MARK = re.compile(rf"\([ \t\u00a0]*({_SHOWN_SYMBOL}(?:,[ \t\u00a0]*{_SHOWN_SYMBOL})*)[ \t\u00a0]*\)")


def tighten_marks(text: str) -> str:
    """Return the text with ticker marks written as readers expect: ``( QLFB )`` becomes ``(QLFB)``.

    Wires pad their marks with spaces, which on a page read like a typo. Only the spaces inside the
    parentheses go, and the text may already be HTML: escaped text, ``<mark>`` highlights and ticker links
    survive unchanged.
    """
    return _LOOSE_MARK.sub(lambda match: f"({match.group(1)})", text)
