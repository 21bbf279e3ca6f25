"""Follow controls on ticker, section and search pages; "My news"; anonymous pages stay shared and cookie-free."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.alerts.readers import reader
from tests.site.stories import BRAMBLE, ORBIS, QUILL, file_under, tagged_story
from tickerwire.alerts.actions import do_follow, normalised_search
from tickerwire.alerts.models import AlertProfile, Follow
from tickerwire.articles.models import Article
from tickerwire.delivery.page_cache import LOCAL_PAGES

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_an_anonymous_ticker_page_links_to_sign_in_and_stays_cacheable_and_cookie_free() -> None:
    tagged_story(1, ORBIS)
    client = Client()
    page = client.get(f"/ticker/{ORBIS.symbol}/")
    html = page.content.decode()
    assert page.status_code == 200 and not page.cookies
    assert "/accounts/login/?next=%2Fmy%2Ffollows%2Fnew%3Fkind%3Dticker%26target%3DORBW" in html
    assert "csrfmiddlewaretoken" not in html and "data-follow-fragment" not in html
    assert len(LOCAL_PAGES) == 1  # the page cache stored it
    again = client.get(f"/ticker/{ORBIS.symbol}/")
    assert again.content == page.content and not again.cookies
    section = client.get("/section/business/")
    assert "kind%3Dsection%26target%3Dbusiness" in section.content.decode() and not section.cookies


def test_a_signed_in_reader_follows_a_ticker_from_its_page_and_unfollows_it() -> None:
    ada = reader("ada")
    tagged_story(1, ORBIS)
    client = signed_in(ada)
    page = client.get(f"/ticker/{ORBIS.symbol}/").content.decode()
    assert 'data-follow-fragment="/my/follows/button?kind=ticker&amp;target=ORBW&amp;next=%2Fticker%2FORBW%2F"' in page
    assert "alerts/follow.js" in page
    button = client.get("/my/follows/button?kind=ticker&target=ORBW&next=/ticker/ORBW/")
    assert "no-store" in button["Cache-Control"]
    html = button.content.decode()
    assert "Follow ORBW" in html and "csrfmiddlewaretoken" in html
    token = button.cookies["csrftoken"].value
    refused = client.post("/my/follows/new", {"kind": "ticker", "target": "ORBW"})
    assert refused.status_code == 403  # no CSRF token: refused
    done = client.post("/my/follows/new", {"kind": "ticker", "target": "orbw", "next": "/ticker/ORBW/",
                                           "channel": "email", "csrfmiddlewaretoken": token})
    assert done.status_code == 302 and done["Location"] == "/ticker/ORBW/"
    assert list(Follow.objects.values_list("kind", "target", "channel")) == [("ticker", "ORBW", "email")]
    following = client.get("/my/follows/button?kind=ticker&target=ORBW").content.decode()
    assert "Following ORBW" in following and "/my/follows/remove" in following
    client.post("/my/follows/remove", {"kind": "ticker", "target": "ORBW", "csrfmiddlewaretoken": token})
    assert not Follow.objects.exists()


def test_a_redirect_after_following_stays_on_this_site() -> None:
    client = Client()
    client.force_login(reader("ada"))
    done = client.post("/my/follows/new", {"kind": "ticker", "target": "ORBW", "next": "https://evil.example/"})
    assert done["Location"] == "/my/follows"


def test_following_a_search_from_the_search_page() -> None:
    ada = reader("ada")
    tagged_story(1, QUILL)
    client = Client()
    client.force_login(ada)
    page = client.get("/search?q=furniture+makers&ticker=QFM").content.decode()
    assert "kind=search&amp;q=furniture+makers" in page and "ticker=QFM" in page
    client.post("/my/follows/new", {"kind": "search", "q": "furniture   makers", "ticker": "qfm"})
    follow = Follow.objects.get()
    assert follow.query == {"text": "furniture makers", "section": "", "ticker": "QFM"}
    assert follow.target == normalised_search("furniture makers", ticker="QFM").digest()


def test_my_news_lists_followed_stories_newest_first_each_once_and_is_never_cached() -> None:
    ada = reader("ada")
    do_follow(ada, "ticker", ORBIS.symbol)
    do_follow(ada, "section", "technology")
    do_follow(ada, "search", normalised_search("furniture makers", ticker=QUILL.symbol))
    both = tagged_story(1, ORBIS)
    file_under(both, "Technology")  # matches two follows: listed once
    tech = tagged_story(2, BRAMBLE)
    file_under(tech, "Technology")
    searched = tagged_story(3, QUILL)
    other = tagged_story(4, BRAMBLE)
    held = tagged_story(5, ORBIS)
    Article.objects.filter(pk=held.pk).update(status="held")
    base = timezone.now()
    for offset, story in enumerate([both, tech, searched, other, held]):
        Article.objects.filter(pk=story.pk).update(published_at=base - timedelta(hours=offset))
    client = Client()
    client.force_login(ada)
    response = client.get("/my/news")
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    shown = [story for story in (both, tech, searched, other, held) if story.headline in html]
    assert shown == [both, tech, searched]
    assert html.index(both.headline) < html.index(tech.headline) < html.index(searched.headline)
    assert html.count(both.headline) == 1 or html.count(both.headline) == html.count(tech.headline)
    assert len(LOCAL_PAGES) == 0  # never stored by the page cache
    assert Client().get("/my/news")["Location"].startswith("/accounts/login/?next=/my/news")


def test_the_follows_page_changes_a_follows_channel_and_the_digest_settings() -> None:
    ada = reader("ada")
    follow = do_follow(ada, "ticker", ORBIS.symbol)
    client = Client()
    client.force_login(ada)
    assert b"ORBW" in client.get("/my/follows").content
    client.post(f"/my/follows/{follow.pk}", {f"f{follow.pk}-channel": "digest", f"f{follow.pk}-include_updates": "on"})
    follow.refresh_from_db()
    assert (follow.channel, follow.include_updates) == ("digest", True)
    bad = client.post(f"/my/follows/{follow.pk}", {f"f{follow.pk}-channel": "webhook",
                                                   f"f{follow.pk}-webhook_url": "http://hooks.example.org/"})
    assert bad.status_code == 400 and b"https" in bad.content
    saved = client.post("/my/alert-settings", {"time_zone": "Asia/Tokyo", "digest_hour": "6"})
    assert saved.status_code == 302, saved.content
    profile = AlertProfile.objects.get(user=ada)
    assert (profile.time_zone, profile.digest_hour) == ("Asia/Tokyo", 6)
    assert client.post("/my/alert-settings", {"time_zone": "Mars/Olympus", "digest_hour": "6"}).status_code == 400
    other = Client()
    other.force_login(reader("ben"))
    assert other.post(f"/my/follows/{follow.pk}", {f"f{follow.pk}-channel": "none"}).status_code == 404


def test_a_signed_in_reader_finds_my_news_in_the_header_and_an_anonymous_page_does_not_show_it() -> None:
    ada = reader("ada")
    client = Client()
    client.force_login(ada)
    assert '<a href="/my/news">My news</a>' in client.get("/").content.decode()
    assert "My news" not in Client().get("/").content.decode()
