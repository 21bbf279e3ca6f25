"""Every reader page type renders real stored content; unknown addresses get a friendly 404."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from tests.site.page_text import assert_in_order, visible_text
from tests.site.stories import BRAMBLE, ORBIS, QUILL, file_under, ingest, story_draft, tag, tagged_story
from tickerwire.articles.models import Article

pytestmark = pytest.mark.django_db


def get_ok(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_home_lists_top_stories_and_sections(client: Client) -> None:
    """The front page shows the newest stories first, then each section's other stories under its name."""
    tech = tagged_story(1, QUILL, section="Technology", day=1)
    business = [tagged_story(n, ORBIS, day=n) for n in range(2, 10)]
    html = get_ok(client, "/")
    assert html.index(business[-1].headline) < html.index(business[-2].headline)
    top, sections = html.split('<div class="section-grid">')
    assert "Top stories" in visible_text(top) and tech.headline not in top
    technology = sections.split('id="sec-technology"')[1].split("</section>")[0]
    assert tech.headline in technology and 'href="/ticker/QFM/"' in technology
    assert 'href="/section/technology/">Technology</a>' in sections
    assert business[0].headline in sections.split('id="sec-business"')[1]


def test_home_shows_a_cluster_once_with_its_version_count(client: Client) -> None:
    """Stories of one cluster appear once on the front page, marked with how many versions exist."""
    first = ingest(story_draft(1, headline="Orbis Widgets wins hinge contract"))
    second = ingest(story_draft(2, headline="Orbis Widgets hinge contract confirmed by buyer"))
    Article.objects.filter(pk__in=[first.pk, second.pk]).update(cluster_key="orbis-hinge")
    html = get_ok(client, "/")
    assert html.count(second.headline) == 1
    assert first.headline not in html
    assert "2 versions" in visible_text(html)


def test_section_page_is_newest_first_and_paginated(client: Client) -> None:
    """A section lists its stories newest first, 20 to a page, with working next/previous links."""
    stories = [tagged_story(n, ORBIS, day=1 + n % 27) for n in range(23)]
    newest = max(stories, key=lambda a: (a.published_at, a.pk))
    oldest = min(stories, key=lambda a: (a.published_at, a.pk))
    first_page = get_ok(client, "/section/business/")
    assert newest.headline in first_page
    assert oldest.headline not in first_page
    assert 'rel="next" href="?page=2"' in first_page
    assert "Page 1 of 2" in visible_text(first_page)
    second_page = get_ok(client, "/section/business/?page=2")
    assert oldest.headline in second_page
    assert second_page.count('class="teaser"') == 3
    assert 'href="/ticker/ORBW/"' in first_page


def test_section_page_includes_classified_stories(client: Client) -> None:
    """A story filed under an extra section by the classifier is listed there too."""
    article = tagged_story(1, BRAMBLE, section="Business")
    file_under(article, "Energy" if False else "Environment")
    assert article.headline in get_ok(client, "/section/environment/")


def test_article_page_shows_every_part_in_seed_order(client: Client) -> None:
    """The article page shows breadcrumb, menu, headline, time, summary, byline, dateline, body, comments,
    related, in that order, with the ticker mention linked."""
    article = tagged_story(7, ORBIS)
    html = get_ok(client, article.get_absolute_url())
    text = visible_text(html)
    parts = [
        "Tickerwire / Business / " + article.headline, "News World Market", article.headline, "Mar 3, 2026",
        article.summary[0], "By Ada Sample and Ben Example", "ZENITH CITY, Mar 3 (Sample Wire) -",
        "NEW PLANT", "Comments (0)", "Related Articles", "Tessaline Bank opens branch",
    ]
    assert_in_order(text, parts)
    assert '<a class="ticker-link" href="/ticker/ORBW/" data-symbol="ORBW">ORBW</a>' in html
    assert '<h2 class="subhead">NEW PLANT</h2>' in html
    assert 'href="/ticker/TSLB/"' in html  # the source teaser's ticker is linked


def test_article_page_escapes_body_text(client: Client) -> None:
    """Markup in story text is shown as text, never run."""
    article = ingest(story_draft(3, extra_paragraph="<script>alert(1)</script> & co"))
    html = get_ok(client, article.get_absolute_url())
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html


def test_article_page_metadata(client: Client) -> None:
    """The article page has a canonical link, Open Graph tags and a NewsArticle JSON-LD block."""
    article = tagged_story(4, ORBIS)
    html = get_ok(client, article.get_absolute_url())
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in html
    assert f'<meta property="og:title" content="{article.headline}">' in html
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert ld is not None
    data = json.loads(ld.group(1))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.headline
    assert data["author"][0]["name"] == "Ada Sample"
    assert data["keywords"] == ["ORBW"]


def test_article_page_shows_revision_diff(client: Client) -> None:
    """A revised story says it was updated and shows what changed, word by word."""
    first = ingest(story_draft(5))
    revised = ingest(story_draft(5, extra_paragraph="Shares rose 4% after the news."))
    assert revised.pk == first.pk and revised.revision_count == 2
    html = get_ok(client, revised.get_absolute_url())
    assert "Updated" in visible_text(html)
    assert "<ins>Shares rose 4% after the news.</ins>" in html.replace("<ins> ", "<ins>")
    assert "Version 2" in visible_text(html)


def test_article_wrong_slug_redirects_and_unknown_id_is_404(client: Client) -> None:
    """An old slug redirects to the canonical address; an unknown story is a friendly 404."""
    article = ingest(story_draft(6))
    wrong = article.get_absolute_url().replace(article.slug, "old-slug")
    response = client.get(wrong)
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()
    missing = client.get(f"/news/2026/03/03/nothing-{article.pk + 999}/")
    assert missing.status_code == 404
    assert "That story is not available" in missing.content.decode()


def test_withdrawn_story_is_not_shown(client: Client) -> None:
    """A withdrawn story is 410 Gone (without its headline) and left out of lists; a held one is a 404."""
    article = tagged_story(8, ORBIS)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.WITHDRAWN)
    gone = client.get(article.get_absolute_url())
    assert gone.status_code == 410 and article.headline not in gone.content.decode()
    assert article.headline not in get_ok(client, "/section/business/")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.HELD)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_ticker_page(client: Client) -> None:
    """A ticker page names the company and exchange, lists its stories, draws the chart and co-mentions."""
    first = tagged_story(1, ORBIS, day=2)
    second = tagged_story(2, ORBIS, day=5)
    tag(second, QUILL, sentiment=-0.4)
    html = get_ok(client, "/ticker/ORBW/")
    text = visible_text(html)
    assert "ORBW Orbis Widgets Inc" in text
    assert "Listed on NASDAQ" in text
    assert html.index(second.headline) < html.index(first.headline)
    assert "<svg" in html and 'class="bar"' in html and 'class="sentiment-line"' in html
    assert "Show the data as a table" in text
    assert re.search(r'<a class="chip" href="/ticker/QFM/">QFM</a> <span class="count">1 story</span>', html)


def test_lowercase_ticker_redirects(client: Client) -> None:
    """Symbols are upper case in addresses: a lower-case one redirects."""
    tagged_story(1, ORBIS)
    response = client.get("/ticker/orbw/")
    assert response.status_code == 301 and response["Location"] == "/ticker/ORBW/"


def test_unknown_ticker_404_suggests_close_symbols(client: Client) -> None:
    """An unknown ticker is a 404 that suggests close symbols and names."""
    tagged_story(1, ORBIS)
    response = client.get("/ticker/ORBX/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We have no ticker “ORBX”" in html
    assert 'href="/ticker/ORBW/"' in html


def test_unknown_section_404_suggests_sections(client: Client) -> None:
    """An unknown section is a 404 suggesting the sections it resembles."""
    response = client.get("/section/tecnology/")
    assert response.status_code == 404
    assert 'href="/section/technology/"' in response.content.decode()


def test_unknown_address_uses_the_friendly_404(client: Client) -> None:
    """Any other unknown address renders the site's 404 page with the section menu."""
    response = client.get("/no/such/page")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and 'aria-label="Sections"' in html


def test_robots_txt_points_at_sitemaps(client: Client) -> None:
    """robots.txt names both sitemaps with absolute addresses."""
    text = get_ok(client, "/robots.txt")
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/news-sitemap.xml" in text
