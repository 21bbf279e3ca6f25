"""Place a story in the site's sections (multi-label over the 14 of ``tickerwire.core.sections``).

Three kinds of evidence, each scored in [0, 1]:

- the *reuters* head, trained on Reuters-21578 (Forex, Commodities, Economy, Business; one sigmoid each),
- the *news* head, trained on AG News + BBC (World, Technology, Politics, Business; one softmax),
- keyword evidence (:mod:`tickerwire.enrich.section_keywords`) for Environment, Cryptocurrency,
  Personal Finance, Retail, Stocks Market and Market, which have no labelled corpus.

Business takes the larger of its two learned scores. A section is listed when its score reaches
``MIN_SCORE``; ``News`` is the catch-all listed when nothing else is. The primary section is the
source's own section when it names one of ours, otherwise the best-scoring one.

Given the story's sentence embedding (of :func:`tickerwire.enrich.embeddings.embedding_text`), the *news*
head is combined with an embedding head trained on the same labels (a stacker over both heads'
log-probabilities, :meth:`tickerwire.enrich.section_model.EmbeddingHead.combine`); without it the word heads
alone decide.

The heads live in ``data/sections_model.npz`` and ``data/sections_embedding.npz`` (written by
``scripts/train_sections.py``): hashed-word bucket numbers, idf values and weights only, no vocabulary and
no corpus text.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

from tickerwire.core.draft import ArticleDraft
from tickerwire.core.enrichment import SectionScore
from tickerwire.core.sections import SECTION_NAMES
from tickerwire.enrich.section_keywords import keyword_scores
from tickerwire.enrich.section_model import (
    EmbeddingHead,
    LinearHead,
    load_embedding_heads,
    load_heads,
    make_hasher,
)

MODEL_PATH = Path(__file__).parent / "data" / "sections_model.npz"
EMBEDDING_MODEL_PATH = Path(__file__).parent / "data" / "sections_embedding.npz"
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

@cache
def loaded_heads(path: Path = MODEL_PATH) -> list[LinearHead]:
    """Return the trained heads, loading them once per process (per path)."""
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run scripts/train_sections.py to build it")
    return load_heads(path)


@cache
def loaded_embedding_heads(path: Path = EMBEDDING_MODEL_PATH) -> dict[str, EmbeddingHead]:
    """Return the embedding heads by the name of the word head they refine, loading them once per process."""
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run scripts/train_sections.py to build it")
    return {head.name: head for head in load_embedding_heads(path)}


def embedding_model() -> str:
    """Return the name of the embedding model the embedding heads were trained on (pass only its vectors)."""
    return next(iter(loaded_embedding_heads().values())).model_name


def section_text(draft: ArticleDraft) -> tuple[str, str]:
    """Return (headline with summary, body) — the text the classifier reads."""
    head = "\n".join([draft.headline, *draft.summary])
    return head, draft.body_text()


def section_scores(
    draft: ArticleDraft, heads: list[LinearHead] | None = None, *, embedding: np.ndarray | None = None
) -> dict[str, float]:
    """Return a score in [0, 1] for every section in ``SECTION_NAMES`` (``News`` included).

    ``embedding`` is the story's vector of ``embedding_text(draft)``; when given, word heads that have an
    embedding head of the same name are combined with it.
    """
    head_text, body = section_text(draft)
    counts = make_hasher().transform([head_text + "\n\n" + body])
    refiners = loaded_embedding_heads() if embedding is not None else {}
    scores = dict.fromkeys(SECTION_NAMES, 0.0)
    for head in heads if heads is not None else loaded_heads():
        probabilities = head.predict_proba(counts)
        refiner = refiners.get(head.name)
        if refiner is not None and head.kind == "multiclass":
            if refiner.labels != head.labels:
                raise ValueError(f"the {head.name} word and embedding heads have different labels")
            probabilities = refiner.combine(probabilities, embedding)  # type: ignore[arg-type]
        for label, probability in zip(head.labels, probabilities[0], strict=True):
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


def classify_sections(
    draft: ArticleDraft, embedding: np.ndarray | None = None
) -> tuple[list[SectionScore], str | None]:
    """Return the story's sections, best first, and its primary section.

    The primary section is the source's own when it names one of ours (it is then always listed),
    otherwise the best-scoring listed section. Pass ``embedding`` (the vector of ``embedding_text(draft)``
    from the configured backend) when the story has one: World/Technology/Politics/Business get sharper.
    """
    scores = section_scores(draft, embedding=embedding)
    listed = [SectionScore(name, round(score, 4)) for name, score in scores.items() if score >= MIN_SCORE]
    primary = source_section(draft)
    if primary is not None and all(s.name != primary for s in listed):
        listed.append(SectionScore(primary, round(scores[primary], 4)))
    listed.sort(key=lambda s: (-s.score, SECTION_NAMES.index(s.name)))
    if primary is None and listed:
        primary = listed[0].name
    return listed, primary
