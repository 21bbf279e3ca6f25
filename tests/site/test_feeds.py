"""RSS/Atom feeds parse cleanly and list the stories; sitemaps are well-formed and list every article."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from tests.site.stories import ORBIS, QUILL, story_draft, tagged_story
from tickerwire.articles.models import Article

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "n": "http://www.google.com/schemas/sitemap-news/0.9"}


def parse_feed(client: Client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, (url, feed.get("bozo_exception"))
    return feed


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_home_feed_lists_latest_stories(client: Client, kind: str) -> None:
    """The site feed lists the stories newest first, linking each to its page."""
    older = tagged_story(1, ORBIS, day=2)
    newer = tagged_story(2, QUILL, day=6, extra_paragraph="Tom & Jerry <Ltd> said so.")
    feed = parse_feed(client, f"/feeds/{kind}/")
    assert [e.title for e in feed.entries] == [newer.headline, older.headline]
    assert feed.entries[0].link == "http://testserver" + newer.get_absolute_url()
    assert feed.entries[0].author == "Ada Sample, Ben Example"
    assert [t.term for t in feed.entries[0].tags] == ["QFM"]
    assert newer.summary[0] in feed.entries[0].summary


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_section_and_ticker_feeds_are_filtered(client: Client, kind: str) -> None:
    """A section feed holds only its stories; a ticker feed only the stories tagged with it."""
    business = tagged_story(1, ORBIS, section="Business")
    tech = tagged_story(2, QUILL, section="Technology")
    assert [e.title for e in parse_feed(client, f"/section/technology/{kind}/").entries] == [tech.headline]
    assert [e.title for e in parse_feed(client, f"/ticker/ORBW/{kind}/").entries] == [business.headline]


def test_unknown_feed_objects_are_404(client: Client) -> None:
    """Feeds of unknown sections or tickers are not found."""
    assert client.get("/section/nowhere/rss/").status_code == 404
    assert client.get("/ticker/NOPE/atom/").status_code == 404


def test_sitemap_index_and_articles_sitemap_list_every_article(client: Client) -> None:
    """The sitemap index points at well-formed sitemaps that together list every published article."""
    articles = [tagged_story(n, ORBIS, day=n + 1) for n in range(5)]
    index = ET.fromstring(client.get("/sitemap.xml").content)
    locations = [loc.text for loc in index.findall("s:sitemap/s:loc", SITEMAP_NS)]
    assert "http://testserver/sitemap-articles.xml" in locations
    listed: set[str] = set()
    for location in locations:
        response = client.get(location.removeprefix("http://testserver"))
        assert response.status_code == 200, location
        tree = ET.fromstring(response.content)
        listed |= {loc.text for loc in tree.findall("s:url/s:loc", SITEMAP_NS)}
    for article in articles:
        assert "http://testserver" + article.get_absolute_url() in listed
    assert "http://testserver/ticker/ORBW/" in listed
    assert "http://testserver/section/business/" in listed


def test_news_sitemap_lists_recent_stories_only(client: Client) -> None:
    """The Google News sitemap lists the last two days' stories with their titles and dates."""
    now = timezone.now()
    recent = tagged_story(1, ORBIS)
    old = tagged_story(2, ORBIS)
    Article.objects.filter(pk=recent.pk).update(published_at=now - timedelta(hours=3))
    Article.objects.filter(pk=old.pk).update(published_at=now - timedelta(days=5))
    tree = ET.fromstring(client.get("/news-sitemap.xml").content)
    urls = tree.findall("s:url", SITEMAP_NS)
    assert len(urls) == 1
    assert urls[0].findtext("s:loc", namespaces=SITEMAP_NS).endswith(f"-{recent.pk}/")
    assert urls[0].findtext("n:news/n:title", namespaces=SITEMAP_NS) == recent.headline
    assert urls[0].findtext("n:news/n:publication/n:name", namespaces=SITEMAP_NS) == "Tickerwire"


def test_feed_escapes_markup_in_text(client: Client) -> None:
    """Markup-like story text arrives in feeds as text, not as elements."""
    from tests.site.stories import ingest

    ingest(story_draft(1, headline="Orbis <b>bold</b> & co lift outlook"))
    feed = parse_feed(client, "/feeds/rss/")
    assert feed.entries[0].title == "Orbis <b>bold</b> & co lift outlook"
