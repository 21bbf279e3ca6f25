"""Embargo release as background work: never a page view's side effect.

An embargo lifts by :func:`release_embargoes` running: queued for the embargo's own time when the task
backend can defer (the database queue that ``tickerwire worker`` works), and run on a period by
``tickerwire desk release-embargoes --every S`` or ``tickerwire worker --release-every S`` (the embedded
in-process backend cannot defer). Release publishes ``status_changed``, so the pages cached while the
story was embargoed are purged once it is public.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from django.db import connections
from django_tasks import task

from tickerwire.articles.actions.status import do_release_embargoes

logger = logging.getLogger(__name__)


@task()
def release_embargoes() -> list[int]:
    """Publish every embargoed story whose time has passed; return their ids."""
    return do_release_embargoes()


def queue_release_at(when: datetime) -> bool:
    """Queue a release for the moment an embargo lifts, where the task backend can defer; return whether queued."""
    if not release_embargoes.get_backend().supports_defer:
        return False
    release_embargoes.using(run_after=when).enqueue()
    return True


def release_every(
    interval: float, stop: threading.Event, *, released: Callable[[list[int]], None] | None = None
) -> int:
    """Release passed embargoes every ``interval`` seconds until ``stop`` is set; return how many were released.

    A failing round is logged and the loop goes on (a database restart must not end the releases).
    """
    total = 0
    while not stop.is_set():
        try:
            ids = do_release_embargoes()
        except Exception:
            logger.exception("releasing embargoes failed; trying again in %.0f s", interval)
            ids = []
        finally:
            _drop_stale_connections()
        total += len(ids)
        if ids and released is not None:
            released(ids)
        stop.wait(interval)
    return total


def _drop_stale_connections() -> None:
    """Close this thread's broken or expired connections between rounds (a database restart), never one in use."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


def start_release_thread(interval: float) -> tuple[threading.Thread, threading.Event]:
    """Start :func:`release_every` in a daemon thread (beside a worker); return it and its stop event."""
    stop = threading.Event()
    thread = threading.Thread(target=release_every, args=(interval, stop), name="embargo-release", daemon=True)
    thread.start()
    return thread, stop
