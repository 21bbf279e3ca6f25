"""Polling as background work: a task that runs one polling round, and the loop ``tickerwire worker --poll-every`` runs.

Any number of workers (threads, processes, machines) may poll at once: a round claims the due sources with
a lease (:func:`~tickerwire.sources.poller.due_sources`), so each due source is polled by one of them.
"""

from __future__ import annotations

import logging
import threading

from django.db import connections
from django_tasks import task

from tickerwire.articles.db_errors import close_broken_connections
from tickerwire.sources.poller import Poller, poll_round

logger = logging.getLogger(__name__)


@task()
def poll_due_sources() -> int:
    """Poll every source that is due, once; return how many were polled."""
    return len(poll_round())


def poll_every(interval: float, stop: threading.Event) -> int:
    """Run polling rounds until ``stop`` is set: again at once while sources were due, else after ``interval`` s.

    One poller is kept across rounds (its connections and robots.txt answers). A failing round is logged and
    the loop goes on (a database restart must not end polling). Return how many polls were made.
    """
    polled = 0
    with Poller() as poller:
        while not stop.is_set():
            reports = []
            try:
                reports = poll_round(poller=poller)
                polled += len(reports)
            except Exception:
                logger.exception("a polling round failed; trying again in %.0f s", interval)
            finally:
                close_broken_connections()
            if not reports:
                stop.wait(interval)
    return polled


def start_poll_thread(interval: float) -> tuple[threading.Thread, threading.Event]:
    """Start :func:`poll_every` in a daemon thread (beside a worker); return it and its stop event."""
    stop = threading.Event()

    def run() -> None:
        try:
            poll_every(interval, stop)
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=run, name="source-polls", daemon=True)
    thread.start()
    return thread, stop
