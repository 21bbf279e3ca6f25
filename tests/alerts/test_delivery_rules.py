"""Who is alerted of a story, and how often: once per cluster per follow, once per reader, within the limit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import override_settings

from tests.alerts.readers import announce, reader, sent
from tests.site.stories import BRAMBLE, ORBIS, QUILL, file_under, story_draft, tag, tagged_story
from tickerwire.alerts.actions import do_follow, normalised_search
from tickerwire.alerts.models import Delivery
from tickerwire.alerts.planning import plan_story_alerts
from tickerwire.articles.actions.ingest import do_ingest_draft
from tickerwire.articles.events import StoryEventName
from tickerwire.articles.models import Article

pytestmark = pytest.mark.django_db


def test_a_story_mentioning_a_followed_ticker_alerts_once(django_capture_on_commit_callbacks: Any,
                                                         settings: Any) -> None:
    """Ingested with enrichment on, the story is tagged QFM; its follower gets one email linking to it."""
    settings.EMBEDDINGS = {"default": {"BACKEND": "none"}}
    ada = reader("ada")
    do_follow(ada, "ticker", QUILL.symbol)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = do_ingest_draft(story_draft(7, company=QUILL), source_name="Sample Markets Desk")
    article = Article.objects.get(pk=outcome.article_id)
    assert QUILL.symbol in set(article.ticker_links.values_list("symbol", flat=True))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.org"]
    assert article.headline in message.subject
    assert article.get_absolute_url() in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/alerts/unsubscribe/" in message.body

    # The same event again (a retried task) and the planner run again: nothing more is sent.
    announce(django_capture_on_commit_callbacks, article)
    assert plan_story_alerts(article.pk, "story_stored").written == 0
    assert len(mail.outbox) == 1
    assert len(sent(user=ada)) == 1


def test_its_revision_does_not_alert(django_capture_on_commit_callbacks: Any) -> None:
    """An UPDATE of an alerted story is a revision of the same article: no second email."""
    ada = reader("ada")
    do_follow(ada, "ticker", ORBIS.symbol)
    article = tagged_story(1, ORBIS)
    announce(django_capture_on_commit_callbacks, article)
    assert len(mail.outbox) == 1
    with override_settings(TICKERWIRE_ENRICH=False), django_capture_on_commit_callbacks(execute=True):
        outcome = do_ingest_draft(story_draft(1, company=ORBIS, extra_paragraph="Shares rose 4%."),
                                  source_name="Sample Markets Desk")
    assert outcome.status == "revised" and outcome.article_id == article.pk
    announce(django_capture_on_commit_callbacks, article, StoryEventName.REVISED)
    assert len(mail.outbox) == 1


def test_a_revision_alerts_again_when_the_follow_opted_in_to_updates(
        django_capture_on_commit_callbacks: Any) -> None:
    ada = reader("ada")
    do_follow(ada, "ticker", ORBIS.symbol, include_updates=True)
    article = tagged_story(1, ORBIS)
    announce(django_capture_on_commit_callbacks, article)
    with override_settings(TICKERWIRE_ENRICH=False), django_capture_on_commit_callbacks(execute=True):
        do_ingest_draft(story_draft(1, company=ORBIS, extra_paragraph="Shares rose 4%."),
                        source_name="Sample Markets Desk")
    announce(django_capture_on_commit_callbacks, article, StoryEventName.REVISED)
    announce(django_capture_on_commit_callbacks, article, StoryEventName.REVISED)  # the same revision: once
    assert [m.subject.startswith("Updated: ") for m in mail.outbox] == [False, True]


def test_a_story_matching_two_follows_of_one_reader_alerts_once(django_capture_on_commit_callbacks: Any) -> None:
    """Ticker + section of one reader: one email naming both; another reader's follow: their own email."""
    ada, ben = reader("ada"), reader("ben")
    ticker_follow = do_follow(ada, "ticker", ORBIS.symbol)
    do_follow(ada, "section", "technology")
    do_follow(ben, "section", "technology")
    article = tagged_story(1, ORBIS)
    file_under(article, "Technology")
    announce(django_capture_on_commit_callbacks, article)
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "ben@example.org"]
    ada_mail = next(m for m in mail.outbox if m.to == ["ada@example.org"])
    assert ORBIS.symbol in ada_mail.body and "Technology" in ada_mail.body
    rows = Delivery.objects.filter(user=ada).order_by("id")
    assert [(r.follow_id == ticker_follow.pk, r.state) for r in rows] == [(True, "sent"), (False, "merged")]


def test_a_near_duplicate_in_the_same_cluster_does_not_alert_again(django_capture_on_commit_callbacks: Any) -> None:
    ada = reader("ada")
    do_follow(ada, "ticker", ORBIS.symbol)
    first, second = tagged_story(1, ORBIS), tagged_story(2, ORBIS)
    Article.objects.filter(pk__in=[first.pk, second.pk]).update(cluster_key="c-orbis-plant")
    announce(django_capture_on_commit_callbacks, first)
    announce(django_capture_on_commit_callbacks, second)
    assert len(mail.outbox) == 1
    third = tagged_story(3, ORBIS)  # its own cluster: a new story
    announce(django_capture_on_commit_callbacks, third)
    assert len(mail.outbox) == 2


def test_over_the_hourly_limit_alerts_roll_into_the_next_digest(
        django_capture_on_commit_callbacks: Any, settings: Any) -> None:
    settings.TICKERWIRE_ALERTS_PER_HOUR = 2
    ada = reader("ada")
    do_follow(ada, "ticker", ORBIS.symbol)
    for number in range(1, 5):
        announce(django_capture_on_commit_callbacks, tagged_story(number, ORBIS))
    assert len(mail.outbox) == 2
    rolled = Delivery.objects.filter(user=ada, rolled=True, channel="digest", state="pending")
    assert rolled.count() == 2


def test_follows_without_alerts_and_other_tickers_send_nothing(django_capture_on_commit_callbacks: Any) -> None:
    ada, ben = reader("ada"), reader("ben")
    do_follow(ada, "ticker", ORBIS.symbol, channel="none")
    do_follow(ben, "ticker", BRAMBLE.symbol)
    announce(django_capture_on_commit_callbacks, tagged_story(1, ORBIS))
    assert mail.outbox == []


def test_a_saved_search_alerts_through_search_matches(django_capture_on_commit_callbacks: Any) -> None:
    ada = reader("ada")
    do_follow(ada, "search", normalised_search("furniture makers", ticker=QUILL.symbol))
    do_follow(ada, "search", normalised_search("furniture makers", section="world"))  # the story is not in World
    orbis = tagged_story(1, ORBIS)
    announce(django_capture_on_commit_callbacks, orbis)
    assert mail.outbox == []  # the search names QFM; this story is about ORBW
    quill = tagged_story(2, QUILL)
    announce(django_capture_on_commit_callbacks, quill)
    assert len(mail.outbox) == 1 and quill.headline in mail.outbox[0].subject
    assert "furniture makers" in mail.outbox[0].body


def test_tag_after_alert_keeps_one_alert(django_capture_on_commit_callbacks: Any) -> None:
    """An editor's correction adding a second followed ticker does not alert the reader again."""
    ada = reader("ada")
    do_follow(ada, "ticker", ORBIS.symbol)
    do_follow(ada, "ticker", QUILL.symbol)
    article = tagged_story(1, ORBIS)
    announce(django_capture_on_commit_callbacks, article)
    tag(article, QUILL)
    announce(django_capture_on_commit_callbacks, article, StoryEventName.CORRECTED)
    assert len(mail.outbox) == 1
    assert Delivery.objects.filter(user=ada).count() == 2  # QFM's follow is marked for this cluster too
