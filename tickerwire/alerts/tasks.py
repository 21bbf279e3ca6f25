"""Background work of alerts (django-tasks): plan a story's alerts, send them, sweep retries and digests.

The ``alerts.notify`` consumer (:func:`notify`) only queues :func:`plan_alerts`; nothing is matched or
sent in the ingest request's transaction. Each task's claim on a delivery is its own task id, which the
worker pool keeps when it queues a killed worker's task again, so the re-run takes its claim back.
"""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import datetime

from django.db import transaction
from django_tasks import TaskContext, task

from tickerwire.alerts.digests import send_due_digests
from tickerwire.alerts.planning import plan_story_alerts
from tickerwire.alerts.sending import send_delivery, send_due
from tickerwire.articles.db_errors import close_broken_connections
from tickerwire.articles.events import StoryEvent, StoryEventName

logger = logging.getLogger(__name__)

# The events that can make a story alert (or owe a withdrawal notice).
NOTIFY_EVENTS = {StoryEventName.STORED, StoryEventName.REVISED, StoryEventName.STATUS_CHANGED,
                 StoryEventName.CORRECTED}
SEND_BATCH = 200


def notify(event: StoryEvent) -> None:
    """Queue the alert planning of each story of an event (the ``alerts.notify`` after-commit consumer)."""
    for article_id in event.article_ids:
        plan_alerts.enqueue(article_id, str(event.name))


@task()
def plan_alerts(article_id: int, event: str) -> int:
    """Write the deliveries a story event owes, then queue their sending; return how many rows were written."""
    plan = plan_story_alerts(article_id, event)
    queue_sending(plan.to_send)
    return plan.written


def queue_sending(delivery_ids: list[int]) -> None:
    """Queue the sending of these deliveries in batches, once the current transaction commits."""
    for start in range(0, len(delivery_ids), SEND_BATCH):
        batch = delivery_ids[start : start + SEND_BATCH]
        transaction.on_commit(lambda batch=batch: send_deliveries.enqueue(batch))


@task(takes_context=True)
def send_deliveries(context: TaskContext, delivery_ids: list[int]) -> dict[str, int]:
    """Send each delivery this task can claim (under its own task id); count the outcomes."""
    claim = context.task_result.id
    counts: dict[str, int] = {}
    for delivery_id in delivery_ids:
        outcome = send_delivery(delivery_id, claim)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def queue_retry(delivery_id: int, when: datetime) -> None:
    """Queue a failed delivery's next attempt for its time where the backend can defer (else the sweep does)."""
    if send_deliveries.get_backend().supports_defer:
        send_deliveries.using(run_after=when).enqueue([delivery_id])


def run_due(claim: str | None = None, now: datetime | None = None) -> dict[str, int]:
    """Send due digests, due retries and deliveries a dead sender left; count what was done."""
    claim = claim or f"sweep-{uuid.uuid4().hex[:12]}"
    counts = send_due(claim, now)
    counts["digests"] = len(send_due_digests(claim, now))
    return counts


def run_every(interval: float, stop: threading.Event) -> int:
    """Run :func:`run_due` every ``interval`` seconds until ``stop`` is set; return the digests sent.

    A failing round is logged and the loop goes on (a database restart must not end the digests).
    """
    total = 0
    claim = f"sweep-{uuid.uuid4().hex[:12]}"
    while not stop.is_set():
        try:
            total += run_due(claim).get("digests", 0)
        except Exception:
            logger.exception("sending due alerts failed; trying again in %.0f s", interval)
        finally:
            close_broken_connections()
        stop.wait(interval)
    return total


def start_alerts_thread(interval: float) -> tuple[threading.Thread, threading.Event]:
    """Start :func:`run_every` in a daemon thread (beside a worker); return it and its stop event."""
    stop = threading.Event()
    thread = threading.Thread(target=run_every, args=(interval, stop), name="alerts-sweep", daemon=True)
    thread.start()
    return thread, stop
