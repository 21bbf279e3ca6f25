"""Keyword evidence for the sections that have no labelled corpus to learn from.

Each section has a list of words and phrases; a phrase also matches with ``s``/``es`` on its last word.
Text is split into lower-case word tokens once and phrases of up to four words are looked up in one
table, so scoring costs a fraction of a millisecond. A hit in the headline or summary counts more than
one in the body, and body hits are counted per 200 words so that long stories do not win on length.
``News`` has no keywords: it is the catch-all that :mod:`tickerwire.enrich.sections` gives a story no
other section claims.
"""

from __future__ import annotations

import math
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence

SECTION_TERMS: dict[str, tuple[str, ...]] = {
    "Cryptocurrency": (
        "bitcoin", "ether", "ethereum", "crypto", "cryptocurrency", "cryptocurrencies", "blockchain", "stablecoin",
        "altcoin", "token", "defi", "nft", "web3", "digital asset", "digital currency", "digital currencies",
        "coinbase", "binance", "solana", "dogecoin", "xrp", "tether", "halving", "satoshi", "crypto exchange",
        "bitcoin miner", "crypto miner", "crypto wallet", "memecoin", "btc", "eth",
    ),
    "Environment": (
        "climate", "climate change", "emission", "carbon", "greenhouse", "pollution", "pollutant", "polluted",
        "renewable", "renewable energy", "solar", "wind farm", "wind power", "wind turbine", "deforestation",
        "biodiversity", "wildfire", "drought", "flood", "flooding", "heatwave", "net zero", "net-zero",
        "environment", "environmental", "recycling", "recycled", "plastic waste", "conservation", "glacier",
        "sustainable", "sustainability", "esg", "clean energy", "fossil fuel", "methane", "endangered",
        "wildlife", "ocean", "air quality", "global warming", "cop28", "cop29", "cop30", "decarbonisation",
        "decarbonization", "species",
    ),
    "Personal Finance": (
        "mortgage", "saver", "savings", "savings account", "pension", "retirement", "401 k", "ira", "isa",
        "credit card", "credit score", "household budget", "personal loan", "tax return", "student loan",
        "insurance premium", "budgeting", "personal finance", "homebuyer", "first-time buyer", "first time buyer",
        "annuity", "annuities", "emergency fund", "your money", "borrower", "renter", "rent", "overdraft",
        "household", "nest egg", "paycheck", "pay cheque", "cost of living", "tax-free", "payday",
    ),
    "Retail": (
        "retailer", "retail", "retailing", "retail sales", "store", "shopper", "shopping", "supermarket",
        "e-commerce", "ecommerce", "online sales", "same-store sales", "like-for-like sales", "consumer spending",
        "black friday", "cyber monday", "holiday season", "mall", "grocery", "groceries", "grocer",
        "department store", "footfall", "checkout", "brick-and-mortar", "high street", "outlet", "walmart",
        "costco", "tesco", "merchandise", "discounter", "apparel", "inventory", "inventories", "chain store",
    ),
    "Stocks Market": (
        "share", "stock", "stock market", "equity", "equities", "s&p 500", "s&p", "dow", "dow jones", "nasdaq",
        "ftse", "nikkei", "dax", "hang seng", "cac 40", "stoxx", "ipo", "initial public offering", "listing",
        "blue-chip", "blue chip", "market cap", "market capitalisation", "market capitalization", "dividend",
        "buyback", "stock exchange", "nyse", "shareholder", "bull market", "bear market", "price target",
        "short seller", "stockholder",
    ),
    "Market": (
        "market", "investor", "trader", "bond", "yield", "treasury", "treasuries", "gilt", "futures",
        "volatility", "risk appetite", "safe haven", "safe-haven", "sell-off", "selloff", "rally", "rallied",
        "rallies", "market sentiment", "asset prices", "fund manager", "hedge fund", "benchmark", "trading",
        "wall street", "investment bank", "rate cut", "rate hike", "central bank",
    ),
}

MAX_PHRASE_WORDS = 4
TOKEN = re.compile(r"[a-z0-9]+(?:[&'.-][a-z0-9]+)*")


def _variants(term: str) -> list[str]:
    return [term, term + "s", term + "es"]


def _phrase_table() -> dict[tuple[str, ...], list[str]]:
    table: dict[tuple[str, ...], list[str]] = {}
    for section, terms in SECTION_TERMS.items():
        for term in terms:
            for variant in _variants(term):
                words = tuple(TOKEN.findall(variant))
                if len(words) > MAX_PHRASE_WORDS:
                    raise ValueError(f"keyword {term!r} has more than {MAX_PHRASE_WORDS} words")
                sections = table.setdefault(words, [])
                if section not in sections:
                    sections.append(section)
    return table


_TABLE = _phrase_table()
_LENGTHS = sorted({len(words) for words in _TABLE}, reverse=True)

HEADLINE_WEIGHT = 1.5
BODY_WEIGHT_PER_200_WORDS = 0.5
EVIDENCE_SCALE = 1.5


def keyword_hits(text: str | Iterable[str]) -> dict[str, int]:
    """Return how many keyword phrases of each section ``text`` contains (longest phrase wins a position).

    ``text`` may be given as pieces (a story's paragraphs), read as if joined by blank lines: tokens are
    streamed through a window of ``MAX_PHRASE_WORDS``, so a long story is never held as one token list.
    """
    counts = dict.fromkeys(SECTION_TERMS, 0)
    window: deque[str] = deque()
    tokens = _tokens([text] if isinstance(text, str) else text)
    exhausted = False
    while True:
        while not exhausted and len(window) < MAX_PHRASE_WORDS:
            token = next(tokens, None)
            if token is None:
                exhausted = True
            else:
                window.append(token)
        if not window:
            return counts
        step = 1
        ahead = tuple(window)
        for length in _LENGTHS:
            if length > len(ahead):
                continue
            sections = _TABLE.get(ahead[:length])
            if sections:
                for section in sections:
                    counts[section] += 1
                step = length
                break
        for _ in range(step):
            window.popleft()


def _tokens(pieces: Iterable[str]) -> Iterator[str]:
    for piece in pieces:
        for match in TOKEN.finditer(piece.lower()):
            yield match.group()


def keyword_scores(headline: str, body: str | Sequence[str]) -> dict[str, float]:
    """Return a score in [0, 1) per keyword section: one headline hit alone gives 0.63.

    ``body`` is the text, or its blocks (read as if joined by blank lines, without joining them).
    """
    pieces = [body] if isinstance(body, str) else body
    words = max(sum(len(piece.split()) for piece in pieces), 1)
    head_hits, body_hits = keyword_hits(headline), keyword_hits(body)
    scores: dict[str, float] = {}
    for section in SECTION_TERMS:
        evidence = HEADLINE_WEIGHT * head_hits[section] + (
            BODY_WEIGHT_PER_200_WORDS * body_hits[section] * 200 / max(words, 200)
        )
        scores[section] = 1.0 - math.exp(-evidence / EVIDENCE_SCALE)
    return scores
