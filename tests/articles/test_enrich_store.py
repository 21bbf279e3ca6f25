"""Enrichment stored at ingest: tickers, sections, figures, sentiment and cluster now; embedding and related later."""

from __future__ import annotations

import numpy as np
import pytest
from django.test import override_settings

from tickerwire.articles.actions.enrich import do_embed_and_relate
from tickerwire.articles.actions.ingest import do_ingest_draft
from tickerwire.articles.actions.tickers import do_import_tickers
from tickerwire.articles.models import Article, ArticleSection, ArticleTicker, RelatedArticle
from tickerwire.core.draft import ArticleDraft, Block, SourceRef
from tickerwire.enrich.embeddings import vector_from_bytes
from tickerwire.enrich.ticker_directory import DirectoryEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_process_caches")]

NO_EMBEDDINGS = {"default": {"BACKEND": "none"}}


def wire_story(headline: str, published: str, *paragraphs: str) -> ArticleDraft:
    """Return an invented sample-wire story."""
    return ArticleDraft(
        headline=headline,
        source=SourceRef(site="Tickerwire Sample Wire"),
        published=published,
        body=[Block("paragraph", text) for text in paragraphs],
        format="draft",
    )


def chip_story(number: int, *, headline: str | None = None, extra: str = "") -> ArticleDraft:
    """Return an invented story about a chip order naming Apple by its ticker mark."""
    return wire_story(
        headline or f"Lumora Semiconductor wins chip order {number}",
        f"2026-03-03T10:{number:02d}:00",
        f"Lumora Semiconductor said on Tuesday it had won order {number} to supply display chips to Apple Inc "
        "(NASDAQ: AAPL) for a new line of tablets, lifting its shares 8%.",
        "The company expects deliveries to start in the third quarter and said the contract would add about "
        "$120 million to annual revenue." + extra,
    )


def plant_story() -> ArticleDraft:
    """Return a different story about the same chip maker: related to the order story, not a version of it."""
    return wire_story(
        "Lumora Semiconductor to build tablet chip plant",
        "2026-03-04T09:00:00",
        "Lumora Semiconductor plans a $900 million factory to make display chips for tablets, as demand from "
        "Apple Inc (NASDAQ: AAPL) outgrows its two existing plants.",
        "Construction starts next year; the chip maker will hire 1,200 engineers.",
    )


def bakery_story() -> ArticleDraft:
    """Return a story unrelated to the chip maker's."""
    return wire_story(
        "Kettle Lane bakery chain opens shops in the north",
        "2026-03-03T11:00:00",
        "Kettle Lane, a family-owned bakery chain, opened four shops selling bread and pastries, and plans a "
        "cafe by the harbour next spring.",
    )


def ingest(draft: ArticleDraft, capture) -> Article:  # noqa: ANN001 - pytest-django's fixture
    """Ingest a story and run what its commit triggers (the background task, in-process)."""
    with capture(execute=True):
        outcome = do_ingest_draft(draft, source_name="sample-wire")
    return Article.objects.get(pk=outcome.article_id)


def test_ingest_stores_tickers_sections_figures_sentiment_and_cluster(django_capture_on_commit_callbacks) -> None:
    """The cheap enrichment lands on the article, its revision and the link tables in the ingest."""
    do_import_tickers([DirectoryEntry(symbol="AAPL", exchange="NASDAQ", name="Apple Inc.")])
    article = ingest(chip_story(1), django_capture_on_commit_callbacks)
    link = ArticleTicker.objects.get(article=article, symbol="AAPL")
    assert link.ticker is not None and link.ticker.symbol == "AAPL"
    assert link.mentions and link.published_at == article.published_at
    assert ArticleSection.objects.filter(article=article).exists()
    assert article.primary_section is not None
    assert ArticleSection.objects.get(article=article, is_primary=True).section == article.primary_section
    assert article.sentiment is not None and article.sentiment["label"] in {"positive", "negative", "neutral"}
    assert article.enrichment["tickers"][0]["symbol"] == "AAPL"
    assert article.enrichment["embedding"] is None  # the vector lives in Article.embedding, not the JSON
    assert article.revisions.get().enrichment == article.enrichment
    assert article.cluster_key.startswith("c")


def test_embedding_and_related_set_are_computed_after_commit(django_capture_on_commit_callbacks) -> None:
    """With the in-process task backend, each story's embedding and related list exist after ingest."""
    first = ingest(chip_story(1), django_capture_on_commit_callbacks)
    bakery = ingest(bakery_story(), django_capture_on_commit_callbacks)
    second = ingest(plant_story(), django_capture_on_commit_callbacks)
    assert len({first.cluster_key, bakery.cluster_key, second.cluster_key}) == 3
    vector = vector_from_bytes(second.embedding)
    assert vector.shape == (384,) and abs(float(np.linalg.norm(vector)) - 1.0) < 1e-4
    assert second.embedding_model == "all-MiniLM-L6-v2-onnx-int8"
    related = list(RelatedArticle.objects.filter(article=second).values_list("related_id", flat=True))
    assert related[0] == first.pk
    # The older chip story gained the newer one in its list when it arrived, ahead of the bakery.
    assert list(RelatedArticle.objects.filter(article=first).values_list("related_id", flat=True))[0] == second.pk


def test_update_of_a_story_joins_its_cluster_and_is_not_related_to_it(django_capture_on_commit_callbacks) -> None:
    """An "UPDATE 1-" rewrite shares the original's cluster and never appears in its related list."""
    original = ingest(chip_story(1), django_capture_on_commit_callbacks)
    update = chip_story(1, headline="UPDATE 1-Lumora Semiconductor wins chip order 1", extra=" Shares rose.")
    update.body[0].text = update.body[0].text.replace("said on Tuesday", "said late on Tuesday")
    update.body.insert(1, Block("paragraph", "Lumora did not name the tablet's price."))
    updated = ingest(update, django_capture_on_commit_callbacks)
    assert updated.pk != original.pk  # a reworded lead makes a new key: only the cluster ties them
    assert updated.cluster_key == original.cluster_key
    assert not RelatedArticle.objects.filter(article=updated, related=original).exists()
    assert not RelatedArticle.objects.filter(article=original, related=updated).exists()


@override_settings(EMBEDDINGS=NO_EMBEDDINGS)
def test_without_embeddings_related_stories_come_from_shared_words(django_capture_on_commit_callbacks) -> None:
    """With the "none" backend no vector is stored and the stories' shared words rank related stories."""
    first = ingest(chip_story(1), django_capture_on_commit_callbacks)
    ingest(bakery_story(), django_capture_on_commit_callbacks)
    second = ingest(plant_story(), django_capture_on_commit_callbacks)
    assert second.embedding is None and second.embedding_model == ""
    assert list(RelatedArticle.objects.filter(article=second).values_list("related_id", flat=True))[0] == first.pk
    assert do_embed_and_relate(second.pk)[0] == first.pk


@override_settings(TICKERWIRE_ENRICH=False)
def test_enrichment_can_be_switched_off_for_bulk_loads(django_capture_on_commit_callbacks) -> None:
    """TICKERWIRE_ENRICH=0 stores the story with no tickers, sections from enrichment, or cluster."""
    article = ingest(chip_story(1), django_capture_on_commit_callbacks)
    assert not ArticleTicker.objects.filter(article=article).exists()
    assert article.cluster_key == "" and article.embedding is None and article.enrichment == {}


def test_related_of_a_deleted_article_is_empty() -> None:
    """A task for an article removed meanwhile does nothing."""
    assert do_embed_and_relate(987654) == []


def test_sections_and_sentiment_are_refined_once_the_embedding_exists(django_capture_on_commit_callbacks) -> None:
    """The background task re-classifies with the learned heads that read the story's embedding."""
    from tickerwire.enrich.embeddings import embedding_text, get_backend
    from tickerwire.enrich.sections import classify_sections
    from tickerwire.enrich.sentiment import article_sentiment

    draft = plant_story()
    article = ingest(draft, django_capture_on_commit_callbacks)
    vector = get_backend().embed([embedding_text(draft)])[0]
    sections, primary = classify_sections(draft, embedding=vector)
    assert article.enrichment["primary_section"] == primary
    assert [s["name"] for s in article.enrichment["sections"]] == [s.name for s in sections]
    stored = set(ArticleSection.objects.filter(article=article).values_list("section__name", flat=True))
    assert {s.name for s in sections} <= stored
    assert article.primary_section is not None and article.primary_section.name == primary
    assert article.sentiment["label"] == article_sentiment(draft, embedding=vector).label
    assert article.revisions.get().enrichment == article.enrichment
