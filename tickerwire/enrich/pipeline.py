"""Enrich a parsed story: tickers, sections, figures, sentiment, related-teaser tickers and its embedding.

Pure functions over drafts; no Django. :func:`enrich_draft` is what ``tickerwire enrich`` prints and what
ingest stores (there without the embedding, which a background task adds; with the embedding, sections and
article sentiment come from the learned heads that read it). :func:`enrich_drafts` embeds a
batch in one call, which is several times faster than one story at a time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tickerwire.core.draft import ArticleDraft
from tickerwire.core.enrichment import Enrichment
from tickerwire.enrich.embeddings import LEAD_CHARS, EmbeddingBackend, embed_drafts, get_backend
from tickerwire.enrich.figures import extract_figures
from tickerwire.enrich.sections import classify_sections
from tickerwire.enrich.sections import embedding_model as sections_embedding_model
from tickerwire.enrich.sentiment import article_sentiment, ticker_sentiment
from tickerwire.enrich.sentiment import embedding_model as sentiment_embedding_model
from tickerwire.enrich.tickers import TickerDirectory, tag_draft, tag_related


def enrich_without_embedding(draft: ArticleDraft, *, directory: TickerDirectory | None = None) -> Enrichment:
    """Return the cheap part of the enrichment: everything but the embedding."""
    tickers = tag_draft(draft, directory)
    sections, primary = classify_sections(draft)
    return Enrichment(
        tickers=tickers,
        sections=sections,
        primary_section=primary,
        figures=extract_figures(draft),
        sentiment=article_sentiment(draft),
        ticker_sentiment=ticker_sentiment(draft, tickers),
        related_tickers=tag_related(draft, directory),
    )


def enrich_drafts(
    drafts: Sequence[ArticleDraft],
    *,
    embed: bool = True,
    backend: EmbeddingBackend | None = None,
    embeddings_config: Mapping[str, Mapping[str, Any]] | None = None,
    directory: TickerDirectory | None = None,
    lead_chars: int | None = LEAD_CHARS,
) -> list[Enrichment]:
    """Return the enrichment of each draft; embed them all in one batch when ``embed`` is true.

    The backend is ``backend`` if given, else the one ``embeddings_config`` (or the environment) names;
    when that is ``"none"`` the enrichments carry no embedding.
    """
    results = [enrich_without_embedding(draft, directory=directory) for draft in drafts]
    if embed and drafts:
        backend = backend or get_backend(embeddings_config)
        if backend is not None:
            vectors = embed_drafts(drafts, backend, lead_chars=lead_chars)
            # The learned section and sentiment heads read this same text's vector from this same model.
            refine = lead_chars == LEAD_CHARS
            for draft, enrichment, vector in zip(drafts, results, vectors, strict=True):
                enrichment.embedding = [round(float(x), 6) for x in vector]
                enrichment.embedding_model = backend.model_name
                if refine and backend.model_name == sections_embedding_model():
                    enrichment.sections, enrichment.primary_section = classify_sections(draft, embedding=vector)
                if refine and backend.model_name == sentiment_embedding_model():
                    enrichment.sentiment = article_sentiment(draft, embedding=vector)
    return results


def enrich_draft(
    draft: ArticleDraft,
    *,
    embed: bool = True,
    backend: EmbeddingBackend | None = None,
    embeddings_config: Mapping[str, Mapping[str, Any]] | None = None,
    directory: TickerDirectory | None = None,
) -> Enrichment:
    """Return the enrichment of one story (see :func:`enrich_drafts`)."""
    return enrich_drafts(
        [draft], embed=embed, backend=backend, embeddings_config=embeddings_config, directory=directory
    )[0]
