"""``tickerwire worker --poll-every``: the workers' polling loop polls each due source once, however many run."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from tests.sources.conftest import STORIES, XML, Answer, FeedServer, rss_feed
from tickerwire.articles.models import Article
from tickerwire.commands.worker import child_arguments
from tickerwire.sources import tasks
from tickerwire.sources.actions import do_add_source

pytestmark = pytest.mark.usefixtures("polling")


def serve_feeds(feed_server: FeedServer, count: int) -> list[str]:
    """Serve ``count`` feeds of one story each (every story distinct); return their paths."""
    names = sorted(STORIES)[:count]
    for number, name in enumerate(names):
        feed_server.routes[f"/feed{number}.xml"] = Answer(rss_feed([(name, *STORIES[name])]), headers=XML)
    return [f"/feed{number}.xml" for number in range(len(names))]


@pytest.mark.django_db
def test_the_poll_loop_polls_what_is_due_then_waits(feed_server: FeedServer, monkeypatch) -> None:
    """A round polls the due source, the next finds nothing due and the loop waits (here: is stopped)."""
    [path] = serve_feeds(feed_server, 1)
    do_add_source(feed_server.url(path), fmt="rss", interval_seconds=300)
    stop = threading.Event()
    rounds: list[int] = []
    poll_round = tasks.poll_round

    def counted_round(**kwargs: object) -> list:
        reports = poll_round(**kwargs)
        rounds.append(len(reports))
        if len(rounds) == 2:
            stop.set()
        return reports

    monkeypatch.setattr(tasks, "poll_round", counted_round)
    assert tasks.poll_every(60, stop) == 1
    assert rounds == [1, 0]
    assert feed_server.hits(path) == 1
    assert Article.objects.filter(headline=STORIES[sorted(STORIES)[0]][0]).count() == 1


@pytest.mark.django_db
def test_a_failing_round_does_not_end_the_loop(monkeypatch) -> None:
    """A database error in a round is logged and the next round runs."""
    stop = threading.Event()
    calls: list[int] = []

    def failing_then_stopping(**_kwargs: object) -> list:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        stop.set()
        return []

    monkeypatch.setattr(tasks, "poll_round", failing_then_stopping)
    assert tasks.poll_every(0.01, stop) == 0
    assert len(calls) == 2


def test_the_poll_loop_runs_in_the_pool_supervisor_not_in_each_member() -> None:
    """``--poll-every`` is not passed on to pool members (one loop per ``tickerwire worker``, like the alerts)."""
    from argparse import Namespace

    args = Namespace(interval=1.0, queue_name="default", batch=False, max_tasks=None, poll_every=5.0)
    assert "--poll-every" not in child_arguments(args)


@pytest.mark.skipif(connection.vendor == "sqlite", reason="threads cannot share SQLite's in-memory test database")
@pytest.mark.django_db(transaction=True)
def test_two_workers_polling_at_once_poll_each_due_source_once(feed_server: FeedServer) -> None:
    """Two poll loops (two workers) over three due sources: each feed is fetched once, each story stored once."""
    paths = serve_feeds(feed_server, 3)
    headlines = [STORIES[name][0] for name in sorted(STORIES)]
    for path in paths:
        do_add_source(feed_server.url(path), fmt="rss", interval_seconds=3600)
    loops = [tasks.start_poll_thread(0.05) for _ in range(2)]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and Article.objects.filter(headline__in=headlines).count() < len(headlines):
        time.sleep(0.1)
    time.sleep(0.5)  # both loops have had rounds with nothing due
    for _thread, stop in loops:
        stop.set()
    for thread, _stop in loops:
        thread.join(timeout=10)
    assert [feed_server.hits(path) for path in paths] == [1] * len(paths)
    stored = Article.objects.filter(headline__in=headlines).values_list("headline", flat=True)
    assert sorted(stored) == sorted(headlines)
