"""Teasers on list pages and among related stories: summary bullets, else the story's first paragraph."""

from __future__ import annotations

import dataclasses

import pytest
from django.test import Client, override_settings

from tests.site.stories import QUILL, ingest, story_draft, tag
from tickerwire.articles.models import RelatedArticle
from tickerwire.core.draft import ArticleDraft, Block
from tickerwire.site import queries

pytestmark = pytest.mark.django_db


def bare_story(number: int, headline: str, blocks: list[Block]) -> ArticleDraft:
    """Return story ``number`` without summary bullets, with these body blocks."""
    return dataclasses.replace(story_draft(number, headline=headline), summary=[], body=blocks)


def test_list_teaser_without_summary_is_the_first_paragraph_even_after_a_subhead(client: Client) -> None:
    """A story without bullets is teased with its first paragraph, skipping a leading subhead."""
    ingest(bare_story(1, "Orbis Widgets plant tour", [Block("paragraph", "Tours of the Lowmoor plant begin in May.")]))
    ingest(bare_story(2, "Orbis Widgets hiring", [
        Block("subhead", "HIRING"), Block("paragraph", "Orbis Widgets will hire two hundred fitters."),
    ]))
    html = client.get("/").content.decode()
    assert "Tours of the Lowmoor plant begin in May." in html
    assert "Orbis Widgets will hire two hundred fitters." in html


def test_related_story_teaser_is_its_first_paragraph(client: Client) -> None:
    """A stored related story without bullets shows its first paragraph under its headline."""
    article = ingest(story_draft(1))
    related = ingest(bare_story(2, "Orbis Widgets buys a hinge maker", [
        Block("paragraph", "The hinge maker employs forty people in Port Alder."),
    ]))
    RelatedArticle.objects.create(article=article, related=related, score=0.9)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Orbis Widgets buys a hinge maker" in html
    assert "The hinge maker employs forty people in Port Alder." in html


@override_settings(TICKERWIRE_PAGE_CACHE_SECONDS=0)
def test_related_teaser_follows_a_revision_and_a_new_ticker(client: Client) -> None:
    """Related teasers are remembered by the related story's version: a revision shows at once, and tickers
    (which tagging may change without a revision) are read each time."""
    article = ingest(story_draft(1))
    related = ingest(dataclasses.replace(bare_story(2, "Orbis Widgets buys a hinge maker", [
        Block("paragraph", "The hinge maker employs forty people in Port Alder."),
    ]), uri="urn:test:hinge"))
    RelatedArticle.objects.create(article=article, related=related, score=0.9)
    assert "employs forty people" in client.get(article.get_absolute_url()).content.decode()
    tag(related, QUILL)
    assert queries.article_page(queries.article_for_page(article.pk)).related[0].symbols == [QUILL.symbol]
    revised = ingest(dataclasses.replace(bare_story(2, "Orbis Widgets buys a hinge maker", [
        Block("paragraph", "The hinge maker employs fifty people in Port Alder."),
    ]), uri="urn:test:hinge"))
    assert (revised.pk, revised.revision_count) == (related.pk, 2)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "employs fifty people" in html and "employs forty people" not in html
