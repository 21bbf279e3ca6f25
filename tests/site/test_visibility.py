"""A story the public may not see (held, withdrawn, embargoed until later) is on no public URL or API route.

The routes are enumerated from the URL conf, so a route added later is checked without editing this test.
Each route is fetched with every placeholder filled from the hidden story (its id, slug, date, ticker and
section) and a search for its headline; the hidden headline must appear in no answer, while a visible
control story filed the same way must appear on the pages that list it.
"""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tests.site.stories import ORBIS, file_under, tagged_story
from tickerwire.articles.actions.status import do_release_embargoes, do_set_status
from tickerwire.articles.models import Article, RelatedArticle
from tickerwire.articles.visibility import is_visible
from tickerwire.site.sitemaps import SITEMAPS

pytestmark = pytest.mark.django_db

# Searched for (and so echoed back by search pages), and shown only when the story itself is rendered.
HIDDEN_WORD, HIDDEN_MARK = "Zyxquorbital", "Quenthrax"
SHOWN_WORD, SHOWN_MARK = "Plimsworth", "Brindlecap"


def route_templates(patterns: list[URLPattern | URLResolver] | None = None, prefix: str = "") -> list[str]:
    """Return every route of the URL conf as a path template with ``{name}`` placeholders."""
    out: list[str] = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        text = str(entry.pattern)
        text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", text)  # re_path groups
        text = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text)  # path converters
        text = text.lstrip("^").rstrip("$").replace("\\", "")
        if isinstance(entry, URLResolver):
            out += route_templates(entry.url_patterns, prefix + text)
        else:
            out.append("/" + prefix + text)
    return sorted(set(out))


def fill(template: str, values: dict[str, list[str]]) -> list[str]:
    """Return the template with its placeholders filled in every combination of the candidate values."""
    names = re.findall(r"{(\w+)}", template)
    missing = [name for name in names if name not in values]
    assert not missing, f"no test value for {missing} in {template}: add one to this test"
    return [template.format(**dict(zip(names, combo, strict=True)))
            for combo in itertools.product(*(values[name] for name in names))]


@pytest.fixture
def hidden_and_shown() -> tuple[Article, Article]:
    shown = tagged_story(1, ORBIS, headline=f"Orbis Widgets {SHOWN_WORD} order book fills at {SHOWN_MARK}")
    hidden = tagged_story(2, ORBIS, headline=f"Orbis Widgets {HIDDEN_WORD} plant deal at {HIDDEN_MARK}")
    for story in (shown, hidden):
        file_under(story, "Technology")
    RelatedArticle.objects.create(article=shown, related=hidden, score=0.9)
    RelatedArticle.objects.create(article=hidden, related=shown, score=0.9)
    return hidden, shown


def placeholder_values(hidden: Article) -> dict[str, list[str]]:
    """Return the candidates for each placeholder: the hidden story's own, and the lists it is filed in."""
    day = hidden.published_at
    return {
        "pk": [str(hidden.pk)], "article_id": [str(hidden.pk)], "symbol": [ORBIS.symbol],
        "slug": [hidden.slug, "business", "technology"], "section": list(SITEMAPS),
        "year": [f"{day.year:04d}"], "month": [f"{day.month:02d}"], "day": [f"{day.day:02d}"],
        # The editors' desk (the admin at /desk/): staff only, so it shows readers nothing.
        "object_id": [str(hidden.pk)], "id": ["1"], "app_label": ["articles"], "content_type_id": ["1"],
        "url": ["articles/"],
        # Reader accounts (allauth's confirmation and reset keys) and comments.
        "key": ["not-a-key"], "uidb36": ["1"], "user_id": ["1"], "comment_id": ["1"], "verb": ["approve"],
        # Alerts: a reader's own pages (anonymous: sent to sign in) and an unsubscribe link (not a valid token).
        "follow_id": ["1"], "token": ["not-a-token"],
    }


def public_answers(client: Client, hidden: Article) -> dict[str, str]:
    """Fetch every route (as a search for the hidden headline too) and return each answer's text."""
    values = placeholder_values(hidden)
    answers = {}
    for template in route_templates():
        for path in fill(template, values):
            for url in (path, f"{path}?q={HIDDEN_WORD}", f"{path}?q={SHOWN_WORD}"):
                response = client.get(url)
                answers[url] = response.content.decode("utf-8", "replace") if response.status_code < 500 else ""
                assert response.status_code < 500, (url, response.status_code)
    return answers


def assert_every_kind_of_route_was_reached(answers: dict[str, str]) -> None:
    """Guard against a vacuous pass: the enumeration reached lists, search, feeds, sitemaps and the API."""
    for needle in ("/section/", "/ticker/", "/search", "/feeds/rss/", "sitemap", "/api/v1/articles", "/api/v1/search"):
        assert any(needle in url for url in answers), needle


@pytest.mark.parametrize("status", ["held", "withdrawn", "embargoed"])
def test_a_hidden_story_is_on_no_public_url_or_api_route(
    client: Client, hidden_and_shown: tuple[Article, Article], status: str
) -> None:
    """Every route of the URL conf answers without the hidden story; the control story still shows."""
    hidden, shown = hidden_and_shown
    until = timezone.now() + timedelta(hours=2) if status == "embargoed" else None
    do_set_status(hidden.pk, status, embargo_until=until)
    answers = public_answers(client, hidden)
    assert_every_kind_of_route_was_reached(answers)
    assert [url for url, text in answers.items() if HIDDEN_MARK in text] == []
    lists = ["/", "/section/business/", f"/ticker/{ORBIS.symbol}/", "/feeds/rss/", f"/search?q={SHOWN_WORD}",
             "/api/v1/articles", f"/api/v1/search?q={SHOWN_WORD}"]
    assert [url for url in lists if SHOWN_MARK not in answers[url]] == []


def test_the_same_story_visible_appears_on_its_pages(client: Client, hidden_and_shown: tuple[Article, Article]) -> None:
    """Control for the test above: published, the 'hidden' story is found on its page, lists and search."""
    hidden, _shown = hidden_and_shown
    answers = public_answers(client, hidden)
    found = [url for url, text in answers.items() if HIDDEN_MARK in text]
    for needle in (hidden.get_absolute_url(), "/feeds/rss/", f"/search?q={HIDDEN_WORD}", "/api/v1/articles"):
        assert any(url.startswith(needle) for url in found), needle


def test_an_embargo_lifts_at_its_time_and_release_publishes_it(client: Client) -> None:
    """Embargoed until a time: hidden before it, visible from it; the release action makes it published."""
    article = tagged_story(3, ORBIS, headline=f"Orbis Widgets {HIDDEN_WORD} results")
    now = timezone.now()
    do_set_status(article.pk, "embargoed", embargo_until=now + timedelta(minutes=5))
    assert not Article.objects.visible().filter(pk=article.pk).exists()
    assert Article.objects.visible(at=now + timedelta(minutes=6)).filter(pk=article.pk).exists()
    assert client.get(article.get_absolute_url()).status_code == 404
    do_set_status(article.pk, "embargoed", embargo_until=now - timedelta(seconds=1))
    assert Article.objects.visible().filter(pk=article.pk).exists()
    assert client.get(article.get_absolute_url()).status_code == 200
    assert do_release_embargoes() == [article.pk]
    article.refresh_from_db()
    assert (article.status, article.embargo_until) == ("published", None)


def test_status_rules() -> None:
    """The Python form of the rule agrees with the statuses' meaning; bad changes are refused clearly."""
    now = timezone.now()
    assert is_visible("published", None, now)
    assert not is_visible("held", None, now) and not is_visible("withdrawn", None, now)
    assert not is_visible("embargoed", now + timedelta(seconds=1), now)
    assert is_visible("embargoed", now, now)
    article = tagged_story(4, ORBIS)
    with pytest.raises(ValueError, match="embargo_until"):
        do_set_status(article.pk, "embargoed")
    with pytest.raises(ValueError, match="unknown status"):
        do_set_status(article.pk, "secret")
