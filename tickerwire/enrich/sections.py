"""Place a story in the site's sections (multi-label over the 14 of ``tickerwire.core.sections``).

Three kinds of evidence, each scored in [0, 1]:

- the *reuters* head, trained on Reuters-21578 (Forex, Commodities, Economy, Business; one sigmoid each),
- the *news* head, trained on AG News + BBC (World, Technology, Politics, Business; one softmax),
- keyword evidence (:mod:`tickerwire.enrich.section_keywords`) for Environment, Cryptocurrency,
  Personal Finance, Retail, Stocks Market and Market, which have no labelled corpus.

Business takes the larger of its two learned scores. A section is listed when its score reaches
``MIN_SCORE``; ``News`` is the catch-all listed when nothing else is. The primary section is the
source's own section when it names one of ours, otherwise the best-scoring one.

The heads live in ``data/sections_model.npz`` (written by ``scripts/train_sections.py``): hashed-word
bucket numbers, idf values and weights only, no vocabulary and no corpus text.
"""

from __future__ import annotations

import threading
from pathlib import Path

from tickerwire.core.draft import ArticleDraft
from tickerwire.core.enrichment import SectionScore
from tickerwire.core.sections import SECTION_NAMES
from tickerwire.enrich.section_keywords import keyword_scores
from tickerwire.enrich.section_model import LinearHead, load_heads, make_hasher

MODEL_PATH = Path(__file__).parent / "data" / "sections_model.npz"
MIN_SCORE = 0.5
CATCH_ALL = "News"
CATCH_ALL_SCORE = 0.5

# The source's own section names, folded, that mean one of ours.
SECTION_ALIASES: dict[str, str] = {
    **{name.casefold(): name for name in SECTION_NAMES},
    "markets": "Market",
    "stocks": "Stocks Market",
    "stock market": "Stocks Market",
    "stock markets": "Stocks Market",
    "equities": "Stocks Market",
    "crypto": "Cryptocurrency",
    "cryptocurrencies": "Cryptocurrency",
    "tech": "Technology",
    "currencies": "Forex",
    "fx": "Forex",
    "commodity": "Commodities",
    "economics": "Economy",
    "environment & climate": "Environment",
    "climate": "Environment",
    "world news": "World",
    "politics & policy": "Politics",
}

_lock = threading.Lock()
_heads: list[LinearHead] | None = None


def loaded_heads(path: Path = MODEL_PATH) -> list[LinearHead]:
    """Return the trained heads, loading them once per process."""
    global _heads
    if _heads is None:
        with _lock:
            if _heads is None:
                if not path.exists():
                    raise FileNotFoundError(f"{path} is missing: run scripts/train_sections.py to build it")
                _heads = load_heads(path)
    return _heads


def section_text(draft: ArticleDraft) -> tuple[str, str]:
    """Return (headline with summary, body) — the text the classifier reads."""
    head = "\n".join([draft.headline, *draft.summary])
    return head, draft.body_text()


def section_scores(draft: ArticleDraft, heads: list[LinearHead] | None = None) -> dict[str, float]:
    """Return a score in [0, 1] for every section in ``SECTION_NAMES`` (``News`` included)."""
    head_text, body = section_text(draft)
    counts = make_hasher().transform([head_text + "\n\n" + body])
    scores = dict.fromkeys(SECTION_NAMES, 0.0)
    for head in heads if heads is not None else loaded_heads():
        for label, probability in zip(head.labels, head.predict_proba(counts)[0], strict=True):
            scores[label] = max(scores[label], float(probability))
    scores.update(keyword_scores(head_text, body))
    others_listed = any(score >= MIN_SCORE for name, score in scores.items() if name != CATCH_ALL)
    scores[CATCH_ALL] = CATCH_ALL_SCORE if not others_listed else 0.0
    return scores


def source_section(draft: ArticleDraft) -> str | None:
    """Return our section that the source's own section names, if any."""
    if not draft.source.section:
        return None
    return SECTION_ALIASES.get(" ".join(draft.source.section.split()).casefold())


def classify_sections(draft: ArticleDraft) -> tuple[list[SectionScore], str | None]:
    """Return the story's sections, best first, and its primary section.

    The primary section is the source's own when it names one of ours (it is then always listed),
    otherwise the best-scoring listed section.
    """
    scores = section_scores(draft)
    listed = [SectionScore(name, round(score, 4)) for name, score in scores.items() if score >= MIN_SCORE]
    primary = source_section(draft)
    if primary is not None and all(s.name != primary for s in listed):
        listed.append(SectionScore(primary, round(scores[primary], 4)))
    listed.sort(key=lambda s: (-s.score, SECTION_NAMES.index(s.name)))
    if primary is None and listed:
        primary = listed[0].name
    return listed, primary
