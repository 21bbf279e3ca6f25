"""Loose ends of the reader site: feed text, page descriptions, public addresses, favicon, chart axes,
search order and tight ticker marks."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import feedparser
import pytest
from django.test import Client

from tests.site.stories import ORBIS, QUILL, ingest, story_draft, tag, tagged_story
from tests.site.test_feeds import SITEMAP_NS, parse_feed
from tickerwire.articles.models import Article
from tickerwire.core.draft import Block
from tickerwire.site.mention_chart import DayPoint, build_chart

pytestmark = pytest.mark.django_db

AWKWARD = """Kestrelfin Payments' "stable" coin <beta> & co"""


def meta_content(page: str, attribute: str, name: str) -> str:
    """Return the content of ``<meta {attribute}="{name}" content="...">``, unescaped (fails when missing)."""
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', page)
    assert found is not None, name
    return html.unescape(found.group(1))


def link_href(page: str, rel: str) -> str:
    found = re.search(rf'<link rel="{rel}" href="([^"]*)"', page)
    assert found is not None, rel
    return html.unescape(found.group(1))


# ---- 1. feeds -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feed_title_and_description_carry_the_stored_text_once_escaped(client: Client, kind: str) -> None:
    """Quotes, apostrophes, ampersands and angle brackets reach a feed reader as the stored text: the
    description is HTML with only what HTML needs escaped, never ``&#x27;`` shown as text."""
    draft = story_draft(1, headline=AWKWARD)
    draft.summary[:] = [AWKWARD, "Second bullet"]
    article = ingest(draft)
    feed = parse_feed(client, f"/feeds/{kind}/")
    entry = feed.entries[0]
    assert entry.title == article.headline == AWKWARD
    assert entry.summary_detail.type == "text/html"
    assert html.unescape(entry.summary) == f"{AWKWARD} · Second bullet"
    # A reader that shows the description as plain text sees the quotes as they are.
    assert """Payments' "stable" coin""" in entry.summary
    assert "&#x27;" not in entry.summary and "&amp;#" not in client.get(f"/feeds/{kind}/").content.decode()


# ---- 2. meta description --------------------------------------------------------------------------------


def test_article_page_description_is_the_first_summary_bullet(client: Client) -> None:
    """The description and og:description are the story's first summary bullet."""
    article = tagged_story(2, ORBIS)
    page = client.get(article.get_absolute_url()).content.decode()
    assert meta_content(page, "name", "description") == article.summary[0]
    assert meta_content(page, "property", "og:description") == article.summary[0]


def test_article_page_description_without_summary_is_the_cut_first_paragraph(client: Client) -> None:
    """Without a summary the description is the first paragraph on one line, cut at a word near 160
    characters, with its ticker marks tightened."""
    lead = "Orbis Widgets ( ORBW ) said on Tuesday that " + " ".join(["hinge orders kept rising"] * 20) + "."
    draft = story_draft(3)
    draft.summary[:] = []
    draft.body[0] = Block("paragraph", lead)
    article = ingest(draft)
    page = client.get(article.get_absolute_url()).content.decode()
    description = meta_content(page, "name", "description")
    assert description.startswith("Orbis Widgets (ORBW) said on Tuesday that hinge orders")
    assert description.endswith("…") and 100 < len(description) <= 160
    assert lead.replace("( ORBW )", "(ORBW)").startswith(description.removesuffix("…"))
    assert meta_content(page, "property", "og:description") == description


# ---- 3. public addresses --------------------------------------------------------------------------------


def test_canonical_names_the_requested_host_when_no_site_url_is_set(client: Client, settings: object) -> None:
    """With no TICKERWIRE_SITE_URL, canonical, og:url and JSON-LD name the host the page was asked for."""
    settings.SITE_URL = ""  # type: ignore[attr-defined]
    settings.ALLOWED_HOSTS = ["news.internal"]  # type: ignore[attr-defined]
    article = tagged_story(4, ORBIS)
    page = client.get(article.get_absolute_url(), HTTP_HOST="news.internal:8021").content.decode()
    expected = "http://news.internal:8021" + article.get_absolute_url()
    assert link_href(page, "canonical") == expected
    assert meta_content(page, "property", "og:url") == expected
    assert f'"mainEntityOfPage": "{expected}"' in page
    robots = client.get("/robots.txt", HTTP_HOST="news.internal:8021").content.decode()
    assert "Sitemap: http://news.internal:8021/sitemap.xml" in robots
    rss = feedparser.parse(client.get("/feeds/rss/", HTTP_HOST="news.internal:8021").content)
    assert rss.entries[0].link == expected


def test_configured_site_url_is_used_by_pages_feeds_and_sitemaps(client: Client, settings: object) -> None:
    """With TICKERWIRE_SITE_URL set, every absolute address names it, whatever host was asked."""
    settings.SITE_URL = "https://news.example.org"  # type: ignore[attr-defined]
    article = tagged_story(5, ORBIS)
    expected = "https://news.example.org" + article.get_absolute_url()
    page = client.get(article.get_absolute_url()).content.decode()
    assert link_href(page, "canonical") == expected
    assert meta_content(page, "property", "og:url") == expected
    for kind in ("rss", "atom"):
        feed = parse_feed(client, f"/feeds/{kind}/")
        assert feed.entries[0].link == expected, kind
        assert feed.feed.link == "https://news.example.org/", kind
    atom = client.get("/feeds/atom/").content.decode()
    assert 'href="https://news.example.org/feeds/atom/"' in atom
    index = ET.fromstring(client.get("/sitemap.xml").content)
    locations = [loc.text or "" for loc in index.findall("s:sitemap/s:loc", SITEMAP_NS)]
    assert locations and all(loc.startswith("https://news.example.org/sitemap-") for loc in locations)
    articles = ET.fromstring(client.get("/sitemap-articles.xml").content)
    assert [loc.text for loc in articles.findall("s:url/s:loc", SITEMAP_NS)] == [expected]
    assert "Sitemap: https://news.example.org/sitemap.xml" in client.get("/robots.txt").content.decode()


def test_ninjs_links_follow_the_same_host_rule(client: Client, settings: object) -> None:
    """The API's ninjs document links to the ticker page on the requested host when no site URL is set."""
    settings.SITE_URL = ""  # type: ignore[attr-defined]
    article = tagged_story(6, ORBIS)
    document = client.get(f"/api/v1/articles/{article.pk}?format=ninjs").json()
    assert document["organisations"][0]["uri"] == "http://testserver/ticker/ORBW/"


# ---- 5. favicon -----------------------------------------------------------------------------------------


def test_pages_link_an_svg_favicon_also_served_at_favicon_ico(client: Client) -> None:
    """The shell links our SVG icon, which answers 200, and /favicon.ico answers with it too."""
    page = client.get("/").content.decode()
    found = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert found is not None
    icon = client.get(found.group(1))
    assert icon.status_code == 200
    svg = b"".join(icon.streaming_content) if icon.streaming else icon.content
    assert ET.fromstring(svg).tag == "{http://www.w3.org/2000/svg}svg"
    legacy = client.get("/favicon.ico")
    assert legacy.status_code == 200 and legacy["Content-Type"] == "image/svg+xml"
    assert legacy.content == svg


# ---- 6. chart axes --------------------------------------------------------------------------------------


def test_chart_axes_have_round_count_ticks_and_date_labels() -> None:
    """Counts are labelled from 0 to a round top at or above the busiest day; dates every two weeks back from
    the latest day, which is always labelled."""
    first = date(2026, 3, 1)
    points = [DayPoint(first + timedelta(days=n), mentions=(7 if n == 40 else n % 3), sentiment=None)
              for n in range(60)]
    chart = build_chart(points)
    assert chart is not None
    assert [tick.label for tick in chart.count_ticks] == ["0", "2", "4", "6", "8"]
    assert chart.count_ticks[0].at == chart.plot_bottom
    tallest = max(chart.bars, key=lambda bar: bar.height)
    assert tallest.y > chart.count_ticks[-1].at  # 7 sits below the 8 line
    assert [tick.label for tick in chart.date_ticks] == ["Mar 4", "Mar 18", "Apr 1", "Apr 15", "Apr 29"]
    assert all(chart.plot_left < tick.at < chart.plot_right for tick in chart.date_ticks)


def test_ticker_page_chart_names_its_axes(client: Client) -> None:
    """The ticker page's chart labels its count axis, sentiment axis and days."""
    for number in range(3):
        tagged_story(10 + number, ORBIS, day=3 + number)
    page = client.get("/ticker/ORBW/").content.decode()
    chart = page[page.index('<figure class="mention-chart">'):page.index("</svg>")]
    for title in ("Stories", "Sentiment", "Day (UTC)"):
        assert f">{title}</text>" in chart
    assert ">Mar 5</text>" in chart  # the latest day
    assert ">0</text>" in chart and ">1</text>" in chart


# ---- 7. search order ------------------------------------------------------------------------------------


def hinge_story(number: int, day: int, paragraph: str) -> Article:
    return ingest(story_draft(number, company=QUILL, day=day, extra_paragraph=paragraph))


def result_headlines(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'<h3 class="teaser-title"><a href="[^"]+">([^<]+)</a>', page)]


def test_search_sorts_by_relevance_or_newest_and_keeps_the_order_when_paging(client: Client) -> None:
    """sort=newest lists matches newest first, unlike the relevance order; the sort control shows the choice
    and the next-page link keeps it."""
    best = hinge_story(1, 1, "Hinge hinge hinge: hinge makers said hinge demand set a hinge record.")
    others = [hinge_story(2 + n, 2 + n, "A hinge order came in.") for n in range(21)]
    relevance = client.get("/search", {"q": "hinge"}).content.decode()
    assert result_headlines(relevance)[0] == best.headline
    newest = client.get("/search", {"q": "hinge", "sort": "newest"}).content.decode()
    newest_first = sorted([best, *others], key=lambda a: a.published_at, reverse=True)
    assert result_headlines(newest) == [a.headline for a in newest_first[:20]]
    assert '<option value="newest" selected>Newest first</option>' in newest
    next_link = re.search(r'<a rel="next" href="([^"]+)"', newest)
    assert next_link is not None and "sort=newest" in html.unescape(next_link.group(1))
    second = client.get("/search" + html.unescape(next_link.group(1))).content.decode()
    assert result_headlines(second) == [a.headline for a in newest_first[20:]]
    assert client.get("/search", {"q": "hinge", "sort": "oldest"}).status_code == 400


def test_search_api_sorts_newest_first(client: Client) -> None:
    """The search API takes the same sort."""
    old = hinge_story(1, 1, "Hinge hinge hinge hinge record.")
    new = hinge_story(2, 9, "A hinge order came in.")
    relevance = client.get("/api/v1/search", {"q": "hinge"}).json()
    newest = client.get("/api/v1/search", {"q": "hinge", "sort": "newest"}).json()
    assert [item["article"]["id"] for item in relevance["items"]] == [old.pk, new.pk]
    assert [item["article"]["id"] for item in newest["items"]] == [new.pk, old.pk]
    assert client.get("/api/v1/search", {"q": "hinge", "sort": "oldest"}).status_code == 422


# ---- 8. ticker marks ------------------------------------------------------------------------------------


def test_padded_ticker_marks_are_shown_tight_in_snippets_teasers_and_pages(client: Client) -> None:
    """``( QFM )`` as the wire writes it reads ``(QFM)`` in search snippets, teasers and the story."""
    draft = story_draft(30, company=QUILL, extra_paragraph="Quillfeather Mills ( QFM ) and Orbis ( ORBW ) agreed.")
    draft.summary[:] = ["Quillfeather Mills ( QFM ) signs a hinge deal"]
    article = ingest(draft)
    tag(article, QUILL)
    search = client.get("/search", {"q": "agreed"}).content.decode()
    snippet = search[search.index('<p class="snippet">'):]
    snippet = snippet[:snippet.index("</p>")]
    assert "(QFM) and Orbis (ORBW) <mark>agreed</mark>" in snippet
    home = client.get("/").content.decode()
    assert "Quillfeather Mills (QFM) signs a hinge deal" in home and "( QFM )" not in home
    page = client.get(article.get_absolute_url()).content.decode()
    assert "( QFM )" not in page and "( ORBW )" not in page
    assert re.search(r'\(<a class="ticker-link" href="/ticker/QFM/" data-symbol="QFM">QFM</a>\) and Orbis \(ORBW\)',
                     page)

