"""The section page's story count: stories in the section as primary or classified, each once."""

from __future__ import annotations

import pytest

from tests.site.stories import file_under, ingest, story_draft
from tickerwire.site import queries
from tickerwire.articles.models import Article, Section

pytestmark = pytest.mark.django_db


def test_section_count_takes_each_published_story_once(settings: object) -> None:
    """Primary-section stories and classified stories are counted once each; withdrawn ones not at all."""
    settings.TICKERWIRE_ENRICH = False  # type: ignore[attr-defined]  # the test files stories itself
    business = Section.objects.get(slug="business")
    filed_too = ingest(story_draft(1, section="Business"))
    file_under(filed_too, "Business")
    only_filed = ingest(story_draft(2, section="Technology"))
    file_under(only_filed, "Business")
    ingest(story_draft(3, section="Technology"))
    withdrawn = ingest(story_draft(4, section="Business"))
    Article.objects.filter(pk=withdrawn.pk).update(status=Article.Status.WITHDRAWN)
    assert queries.section_story_count(business) == queries.section_stories(business).count() == 2
