"""An embargo lifts by a background task: hidden everywhere until its time, public after the task runs."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.site.stories import ORBIS, file_under, tagged_story
from tests.site.test_visibility import HIDDEN_MARK, HIDDEN_WORD, public_answers
from tickerwire.articles.models import Article
from tickerwire.cli import main
from tickerwire.desk.actions import do_embargo
from tickerwire.desk.models import AuditEntry
from tickerwire.desk.tasks import queue_release_at, release_every

pytestmark = pytest.mark.django_db


def test_an_embargoed_story_is_hidden_everywhere_until_the_release_task_publishes_it(
    client: Client, clock: Callable[[datetime], None], capsys: pytest.CaptureFixture[str],
    django_capture_on_commit_callbacks: object,
) -> None:
    """Page, API, feeds, search and sitemaps: none shows it before its time; after the task, all do."""
    start = timezone.now()
    clock(start)
    article = tagged_story(2, ORBIS, headline=f"Orbis Widgets {HIDDEN_WORD} results beat at {HIDDEN_MARK}")
    file_under(article, "Technology")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        do_embargo(article.pk, start + timedelta(minutes=10))
    before = public_answers(client, article)  # also fills the page cache with pages that lack the story
    assert [url for url, text in before.items() if HIDDEN_MARK in text] == []
    assert client.get(article.get_absolute_url()).status_code == 404

    clock(start + timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert main(["desk", "release-embargoes"]) == 0
    assert capsys.readouterr().out.splitlines() == [f"released {article.pk}", "1 embargoes released"]
    article.refresh_from_db()
    assert (article.status, article.embargo_until) == ("published", None)
    after = public_answers(client, article)
    shown = {url for url, text in after.items() if HIDDEN_MARK in text}
    for needle in ("/", article.get_absolute_url(), "/section/technology/", f"/ticker/{ORBIS.symbol}/",
                   "/feeds/rss/", f"/search?q={HIDDEN_WORD}", f"/api/v1/articles/{article.pk}",
                   f"/api/v1/search?q={HIDDEN_WORD}"):
        assert needle in shown, needle
    sitemaps = "".join(text for url, text in after.items() if "sitemap" in url)
    assert article.get_absolute_url() in sitemaps
    [entry] = AuditEntry.objects.filter(action="set_embargoed")
    assert entry.new_value["status"] == "embargoed" and entry.old_value["status"] == "published"


def test_the_periodic_release_loop_releases_and_stops() -> None:
    """``release_every`` (the worker's thread, ``--every``) publishes passed embargoes each round."""
    article = tagged_story(3, ORBIS)
    do_embargo(article.pk, timezone.now() - timedelta(seconds=1))
    stop, seen = threading.Event(), []

    def released(ids: list[int]) -> None:
        seen.extend(ids)
        stop.set()

    stop_later = threading.Timer(5, stop.set)
    stop_later.start()
    try:
        assert release_every(0.01, stop, released=released) == 1
    finally:
        stop_later.cancel()
    assert seen == [article.pk]
    assert Article.objects.get(pk=article.pk).status == "published"


def test_the_in_process_backend_cannot_defer_so_nothing_is_queued_for_later() -> None:
    """The embedded backend runs tasks at once: the periodic release covers it, no deferred task is queued."""
    assert queue_release_at(timezone.now() + timedelta(hours=1)) is False
