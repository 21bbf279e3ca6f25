"""A flash is shown as such: a "Flash" label on lists and on its page, and no empty body block."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.site.page_text import visible_text
from tests.site.stories import ingest, story_draft
from tickerwire.articles.models import Article
from tickerwire.core.draft import ArticleDraft, SourceRef


@pytest.mark.django_db
def test_flash_is_labelled_on_the_home_page_and_its_own_page(client: Client) -> None:
    ingest(story_draft(1))
    ingest(ArticleDraft(headline="Northbank Maintains Orbis Widgets at Buy", kind="flash",
                        source=SourceRef(site="Sample Markets Desk"), published="2026-03-03T12:00:00"))
    flash = Article.objects.get(kind="flash")
    story = Article.objects.get(kind="story")
    home = client.get("/").content.decode()
    assert home.count('class="flash-label"') == 1
    assert 'Flash</span> <a href="' + flash.get_absolute_url() in home
    page = client.get(flash.get_absolute_url()).content.decode()
    assert '<p class="kicker flash-label">Flash</p>' in page and 'class="story-body"' not in page
    assert "Northbank Maintains Orbis Widgets at Buy" in visible_text(page)
    full = client.get(story.get_absolute_url()).content.decode()
    assert "flash-label" not in full and 'class="story-body"' in full
