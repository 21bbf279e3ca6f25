"""A reader follows a ticker from its page; a matching story is ingested; it is on "My news" and in their email."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from tests.alerts.readers import reader
from tests.browser.conftest import browser_db, restore_sections
from tests.site.stories import QUILL, story_draft, tagged_story
from tickerwire.alerts.models import Follow
from tickerwire.articles.actions.ingest import clear_reference_caches, do_ingest_draft
from tickerwire.articles.models import Article

pytestmark = browser_db


def test_a_reader_follows_a_ticker_and_gets_its_next_story_on_my_news_and_by_email(
    browser: Any, live_server: Any, settings: Any,
) -> None:
    restore_sections()
    clear_reference_caches()
    settings.SITE_URL = live_server.url
    settings.EMBEDDINGS = {"default": {"BACKEND": "none"}}
    tagged_story(1, QUILL)  # the ticker has a page
    ada = reader("ada")
    session = Client()
    session.force_login(ada)
    host = urlsplit(live_server.url).hostname
    context = browser.new_context()
    context.add_cookies([{"name": "sessionid", "value": session.cookies["sessionid"].value, "domain": host,
                          "path": "/"}])
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/ticker/{QUILL.symbol}/")
        page.get_by_role("button", name=f"Follow {QUILL.symbol}").click()  # the fragment, loaded by follow.js
        page.wait_for_url(f"{live_server.url}/ticker/{QUILL.symbol}/")
        page.get_by_text(f"Following {QUILL.symbol}").wait_for()
        assert list(Follow.objects.values_list("target", "channel")) == [(QUILL.symbol, "email")]

        outcome = do_ingest_draft(story_draft(9, company=QUILL, headline="Quillfeather Mills opens a mill in Lowmoor"),
                                  source_name="Sample Markets Desk")  # enriched: tagged QFM by its mark
        article = Article.objects.get(pk=outcome.article_id)
        page.goto(f"{live_server.url}/my/news")
        assert page.get_by_role("link", name=article.headline).count() == 1

        [message] = mail.outbox
        assert message.to == ["ada@example.org"]
        [link] = re.findall(r"^(http\S+/news/\S+)$", message.body, flags=re.MULTILINE)
        assert link == live_server.url + article.get_absolute_url()
        page.goto(link)
        assert page.get_by_role("heading", level=1).inner_text() == article.headline
    finally:
        context.close()


@pytest.fixture(autouse=True)
def _reference_ids_forgotten() -> Any:
    yield
    clear_reference_caches()
