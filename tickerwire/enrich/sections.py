"""Place a story in the site's sections (multi-label over the 14 of ``tickerwire.core.sections``).

Three kinds of evidence, each scored in [0, 1]:

- the *reuters* head, trained on Reuters-21578 (Forex, Commodities, Economy, Business; one sigmoid each),
- the *news* head, trained on AG News + BBC (World, Technology, Politics, Business; one softmax),
- keyword evidence (:mod:`tickerwire.enrich.section_keywords`) for Environment, Cryptocurrency,
  Personal Finance, Retail, Stocks Market and Market, which have no labelled corpus.

Business is labelled in both corpora but means a company story in Reuters (takeovers, results) while the
news softmax, which only weighs it against World, Technology and Politics, gives it to any money story; a
stacker (:class:`tickerwire.enrich.section_model.Calibration`) over both heads and a *business* head
(one sigmoid trained on the Business label of both corpora) decides it, so a currency story that names a
bank is Forex, not Business. Each learned section's probability is rescaled so that its
calibrated threshold becomes ``MIN_SCORE``; the best learned section is listed at ``MIN_SCORE``, a second
one only at the calibrated ``second_score`` (so multi-label only when the second is confident). Keyword
sections are listed at ``MIN_SCORE``; ``News`` is the catch-all listed when nothing else is. The primary
section is the source's own section when it names one of ours, otherwise the best-scoring one.

Given the story's sentence embedding (of :func:`tickerwire.enrich.embeddings.embedding_text`), the *news*
head is combined with an embedding head trained on the same labels (a stacker over both heads'
log-probabilities, :meth:`tickerwire.enrich.section_model.EmbeddingHead.combine`) and the calibration made
for that combination is used; without it the word heads and their own calibration decide.

The heads live in ``data/sections_model.npz`` and ``data/sections_embedding.npz`` (written by
``scripts/train_sections.py``): hashed-word bucket numbers, idf values, weights and thresholds only, no
vocabulary and no corpus text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from scipy import sparse

from tickerwire.core.draft import ArticleDraft
from tickerwire.core.enrichment import SectionScore
from tickerwire.core.sections import SECTION_NAMES
from tickerwire.enrich.hashing import hashed_counts
from tickerwire.enrich.section_keywords import keyword_scores
from tickerwire.enrich.section_model import (
    Calibration,
    EmbeddingHead,
    LinearHead,
    load_calibration,
    load_embedding_heads,
    load_heads,
    make_hasher,
)

MODEL_PATH = Path(__file__).parent / "data" / "sections_model.npz"
EMBEDDING_MODEL_PATH = Path(__file__).parent / "data" / "sections_embedding.npz"
MIN_SCORE = 0.5
CATCH_ALL = "News"
CATCH_ALL_SCORE = 0.5
SHARED_LABEL = "Business"  # the one label both heads have; the calibration's stacker decides it

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


@dataclass(frozen=True)
class SectionModel:
    """The learned part of the classifier: both word heads, the news embedding head and their calibrations."""

    reuters: LinearHead
    news: LinearHead
    business: LinearHead  # one sigmoid, trained on the Business label of both corpora
    calibration: Calibration  # for the word heads alone
    news_embedding: EmbeddingHead
    embedding_calibration: Calibration  # for the reuters head with the news head stacked with the embedding

    def learned_scores(self, counts: sparse.csr_matrix, embeddings: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Return the rescaled score (threshold at ``MIN_SCORE``) of each learned section, one value per row.

        ``counts`` are :func:`make_hasher` rows; ``embeddings`` (one row each) switch on the embedding head.
        """
        reuters = self.reuters.predict_proba(counts)
        news = self.news.predict_proba(counts)
        calibration = self.calibration
        if embeddings is not None:
            if self.news_embedding.labels != self.news.labels:
                raise ValueError("the news word and embedding heads have different labels")
            news = self.news_embedding.combine(news, embeddings)
            calibration = self.embedding_calibration
        raw = {label: reuters[:, i] for i, label in enumerate(self.reuters.labels) if label != SHARED_LABEL}
        raw.update({label: news[:, i] for i, label in enumerate(self.news.labels) if label != SHARED_LABEL})
        raw[SHARED_LABEL] = calibration.business(reuters, news, self.business.predict_proba(counts)[:, 0])
        return {label: calibration.rescale(label, probabilities) for label, probabilities in raw.items()}

    def second_score(self, with_embedding: bool) -> float:
        """Return the score a second learned section needs to be listed."""
        return (self.embedding_calibration if with_embedding else self.calibration).second_score


def listed_learned(scores: dict[str, float], second_score: float) -> list[str]:
    """Return the learned sections to list: the best at ``MIN_SCORE``, any other at ``second_score``."""
    ranked = sorted(scores, key=lambda label: -scores[label])
    if not ranked or scores[ranked[0]] < MIN_SCORE:
        return []
    bar = max(second_score, MIN_SCORE)
    return [ranked[0], *(label for label in ranked[1:] if scores[label] >= bar)]


@cache
def loaded_model(path: Path = MODEL_PATH, embedding_path: Path = EMBEDDING_MODEL_PATH) -> SectionModel:
    """Return the shipped model, loading it once per process (per pair of paths)."""
    for required in (path, embedding_path):
        if not required.exists():
            raise FileNotFoundError(f"{required} is missing: run scripts/train_sections.py to build it")
    heads = {head.name: head for head in load_heads(path)}
    embedding_heads = {head.name: head for head in load_embedding_heads(embedding_path)}
    return SectionModel(heads["reuters"], heads["news"], heads["business"], load_calibration(path),
                        embedding_heads["news"], load_calibration(embedding_path))


def embedding_model() -> str:
    """Return the name of the embedding model the embedding heads were trained on (pass only its vectors)."""
    return loaded_model().news_embedding.model_name


def section_scores(
    draft: ArticleDraft, model: SectionModel | None = None, *, embedding: np.ndarray | None = None
) -> tuple[dict[str, float], list[str]]:
    """Return a score in [0, 1] for every section in ``SECTION_NAMES`` (``News`` included), and those listed.

    ``embedding`` is the story's vector of ``embedding_text(draft)``; when given, the news head is stacked
    with the embedding head and the embedding calibration applies.
    """
    model = model or loaded_model()
    head_text = "\n".join([draft.headline, *draft.summary])
    body = [block.text for block in draft.body]  # never joined: a story may be MBs
    counts = hashed_counts([head_text, *body] if body else [head_text, ""], make_hasher())
    vectors = None if embedding is None else np.atleast_2d(embedding)
    learned = {label: float(values[0]) for label, values in model.learned_scores(counts, vectors).items()}
    scores = dict.fromkeys(SECTION_NAMES, 0.0)
    scores.update(learned)
    scores.update(keyword_scores(head_text, body))
    listed = listed_learned(learned, model.second_score(embedding is not None))
    listed += [name for name in scores if name not in learned and name != CATCH_ALL and scores[name] >= MIN_SCORE]
    scores[CATCH_ALL] = CATCH_ALL_SCORE if not listed else 0.0
    return scores, listed or [CATCH_ALL]


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
    scores, names = section_scores(draft, embedding=embedding)
    primary = source_section(draft)
    if primary is not None and primary not in names:
        names.append(primary)
    listed = [SectionScore(name, round(scores[name], 4)) for name in names]
    listed.sort(key=lambda s: (-s.score, SECTION_NAMES.index(s.name)))
    if primary is None and listed:
        primary = listed[0].name
    return listed, primary
