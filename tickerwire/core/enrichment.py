"""What enrichment adds to a parsed story (the contract between ``enrich`` and the store, site and API).

JSON field names follow DESIGN.md: ``tickers`` (symbol, exchange, name, confidence, mentions),
``sections``, ``figures``, ``sentiment``, ``embedding``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SentimentLabel = Literal["positive", "negative", "neutral"]


@dataclass
class TickerTag:
    """A ticker found in a story.

    ``mentions`` are ``[start, end)`` offsets into ``draft.body_text()`` (body blocks joined by blank lines),
    so the site can link each mention; a ticker found only in the headline or summary has none.
    """

    symbol: str
    exchange: str | None
    name: str | None
    confidence: float
    mentions: list[list[int]] = field(default_factory=list)


@dataclass
class SectionScore:
    name: str
    score: float


@dataclass
class Figure:
    """One quantitative fact: "imports slumped 46% to $5.8 billion"."""

    value: float
    unit: str | None  # "%", "USD", "times", "tonnes", ...
    text: str  # the figure as written, e.g. "$5.8 billion"
    metric: str  # the metric phrase, e.g. "imports of vehicles"
    sentence: str
    direction: Literal["rise", "fall"] | None = None
    change: str | None = None  # size of change as written, e.g. "46%"
    period: str | None = None  # e.g. "January to July 2025"


@dataclass
class Sentiment:
    label: SentimentLabel
    score: float  # -1 .. 1


@dataclass
class Enrichment:
    tickers: list[TickerTag] = field(default_factory=list)
    sections: list[SectionScore] = field(default_factory=list)
    primary_section: str | None = None
    figures: list[Figure] = field(default_factory=list)
    sentiment: Sentiment | None = None
    ticker_sentiment: dict[str, Sentiment] = field(default_factory=dict)
    embedding: list[float] | None = None
    embedding_model: str | None = None
    related_tickers: dict[int, list[str]] = field(default_factory=dict)  # related[i] -> symbols in its snippet

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form printed by ``tickerwire enrich`` and stored with the article."""
        return asdict(self)
