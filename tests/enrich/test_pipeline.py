"""The enrichment pipeline: every part on one draft, the embedding only when asked and configured."""

from __future__ import annotations

import numpy as np

from tickerwire.core.draft import ArticleDraft, Block, RelatedLink
from tickerwire.core.enrichment import Enrichment
from tickerwire.enrich.pipeline import enrich_draft, enrich_drafts

MINILM = {"default": {"BACKEND": "tickerwire.enrich.embeddings.OnnxMiniLM"}}


def chip_story() -> ArticleDraft:
    return ArticleDraft(
        headline="Lumora Semiconductor shares jump after Apple chip order",
        body=[
            Block("paragraph", "Lumora Semiconductor said it won an order to supply display chips to Apple Inc "
                  "(NASDAQ: AAPL), and its revenue rose 12% to $4.5 billion in the quarter."),
            Block("paragraph", "The shares jumped 8% as analysts praised the strong results."),
        ],
        related=[RelatedLink(headline="Rival unveils tablet", snippet="Microsoft Corp (NASDAQ: MSFT) shows a tablet.")],
    )


def test_cheap_parts_are_all_filled_without_an_embedding() -> None:
    """Tickers, sections, figures, sentiment and teaser tickers are computed; no vector without embed."""
    enrichment = enrich_draft(chip_story(), embed=False)
    assert isinstance(enrichment, Enrichment)
    assert "AAPL" in [tag.symbol for tag in enrichment.tickers]
    assert enrichment.sections and enrichment.primary_section in {s.name for s in enrichment.sections}
    assert enrichment.figures
    assert enrichment.sentiment is not None and -1.0 <= enrichment.sentiment.score <= 1.0
    assert set(enrichment.ticker_sentiment) <= {tag.symbol for tag in enrichment.tickers}
    assert enrichment.related_tickers.get(0) == ["MSFT"]
    assert enrichment.embedding is None and enrichment.embedding_model is None


def test_embedding_is_added_from_the_configured_backend() -> None:
    """With embed=True the story carries a unit vector and the model's name; "none" adds nothing."""
    enrichment = enrich_draft(chip_story(), embeddings_config=MINILM)
    assert enrichment.embedding_model == "all-MiniLM-L6-v2-onnx-int8"
    assert abs(float(np.linalg.norm(enrichment.embedding)) - 1.0) < 1e-3
    off = enrich_draft(chip_story(), embeddings_config={"default": {"BACKEND": "none"}})
    assert off.embedding is None


def test_batch_equals_one_by_one() -> None:
    """Enriching drafts together gives what enriching each alone gives."""
    other = ArticleDraft(headline="Harbour council approves ferry route", body=[Block("paragraph", "Approved.")])
    together = enrich_drafts([chip_story(), other], embeddings_config=MINILM)
    alone = [enrich_draft(d, embeddings_config=MINILM) for d in (chip_story(), other)]
    for a, b in zip(together, alone, strict=True):
        assert a.tickers == b.tickers and a.sections == b.sections
        np.testing.assert_allclose(a.embedding, b.embedding, atol=1e-4)
    assert enrich_drafts([]) == []
