"""Prepared querysets (compiled once) return what the ORM returns for each new value."""

from __future__ import annotations

import pytest
from django.db.models import F

from tests.site.stories import ORBIS, QUILL, ingest, story_draft, tag
from tickerwire.articles.models import Article, ArticleTicker
from tickerwire.articles.prepared import Prepared

pytestmark = pytest.mark.django_db

STAND_IN = -7_000_000_002

by_id = Prepared(Article, lambda pk: (
    Article.objects.filter(pk=pk).select_related("primary_section", "source").defer("embedding")
    .annotate(twice=F("revision_count") * 2)
), STAND_IN)


def test_each_call_finds_the_row_of_its_own_value_with_fields_relations_and_annotations() -> None:
    first, second = ingest(story_draft(1)), ingest(story_draft(2, headline="Orbis Widgets opens a second plant"))
    for article in (first, second):
        [found] = by_id(article.pk)
        expected = Article.objects.select_related("primary_section", "source").get(pk=article.pk)
        assert found.pk == article.pk and found.headline == expected.headline
        assert found.published_at == expected.published_at and found.updated_at == expected.updated_at  # converters
        assert found.body == expected.body and found.summary == expected.summary  # JSON decoded
        assert found.source.name == expected.source.name  # select_related, no further query
        assert found.primary_section == expected.primary_section
        assert found.twice == 2 * expected.revision_count
    assert by_id(-1) == []


def test_relations_read_by_select_related_cost_no_query(django_assert_num_queries) -> None:
    article = ingest(story_draft(3))
    by_id(article.pk)  # compiled
    with django_assert_num_queries(1):
        [found] = by_id(article.pk)
        assert found.source.name


def test_a_child_table_by_its_article() -> None:
    article = ingest(story_draft(4))
    tag(article, ORBIS)
    tag(article, QUILL)
    links = Prepared(ArticleTicker, lambda pk: ArticleTicker.objects.filter(article_id=pk).order_by("symbol"), STAND_IN)
    assert [link.symbol for link in links(article.pk)] == sorted([ORBIS.symbol, QUILL.symbol])
    assert links(article.pk + 1000) == []


def test_a_stand_in_the_compiled_statement_lost_is_refused() -> None:
    lost = Prepared(Article, lambda pk: Article.objects.filter(pk__gt=0), STAND_IN)
    with pytest.raises(ValueError, match="stand-in"):
        lost(1)
