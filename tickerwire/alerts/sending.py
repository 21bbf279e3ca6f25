"""Send owed deliveries at least once and, short of a crash in the instant between sending and recording, once.

A sender first *claims* a row (``pending`` -> ``sending`` with its claim, in one conditional UPDATE that
commits before anything is sent), then sends, then marks it ``sent``. So:

- a sender run again (a task retried, the same delivery queued twice) finds it claimed or sent and skips it;
- a worker killed between claim and send leaves it ``sending`` under the task's id: the worker pool queues
  that task again with the same id, which takes its own claim back and sends; any other sender takes it over
  once the claim is older than ``TICKERWIRE_ALERTS_CLAIM_LEASE_SECONDS`` (:func:`send_due`);
- a webhook that fails goes back to ``pending`` with its next attempt after an exponential back-off, until
  ``TICKERWIRE_ALERTS_MAX_ATTEMPTS``; then ``failed``, with the last error kept.

A story no longer public when its turn comes is not sent (``cancelled``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from tickerwire.alerts import emails, webhooks
from tickerwire.alerts.models import Delivery, Follow

logger = logging.getLogger(__name__)

SENT, SKIPPED, RETRY, FAILED, CANCELLED = "sent", "skipped", "retry", "failed", "cancelled"
# Tests put a crash here: after the claim is committed and before anything is sent.
after_claim: Callable[[Delivery], None] | None = None


def lease() -> timedelta:
    return timedelta(seconds=settings.TICKERWIRE_ALERTS_CLAIM_LEASE_SECONDS)


def retry_delay(attempt: int) -> timedelta:
    """Return the wait before attempt ``attempt + 1``: base, 2 x base, 4 x base, ... (capped at a day)."""
    return timedelta(seconds=min(settings.TICKERWIRE_ALERTS_RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0), 86400))


def claimable(claim: str, now: datetime) -> Q:
    """Return the rows a sender with ``claim`` may take: due pending ones, its own, and stale claims."""
    due = Q(state=Delivery.State.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    mine = Q(state=Delivery.State.SENDING, claim=claim)
    stale = Q(state=Delivery.State.SENDING, claimed_at__lt=now - lease())
    return due | mine | stale


def claim_delivery(delivery_id: int, claim: str, now: datetime | None = None) -> bool:
    """Take a delivery for sending under ``claim``; return whether this sender has it."""
    now = now or timezone.now()
    taken = Delivery.objects.filter(
        claimable(claim, now), pk=delivery_id, channel__in=(Follow.Channel.EMAIL, Follow.Channel.WEBHOOK)
    ).update(state=Delivery.State.SENDING, claim=claim, claimed_at=now, attempts=F("attempts") + 1)
    return bool(taken)


def send_delivery(delivery_id: int, claim: str, *, now: datetime | None = None) -> str:
    """Send one email or webhook delivery if this sender can claim it; return what happened."""
    if not claim_delivery(delivery_id, claim, now):
        return SKIPPED
    delivery = Delivery.objects.select_related("follow", "user", "article").get(pk=delivery_id)
    if after_claim is not None:
        after_claim(delivery)
    if delivery.kind != Delivery.Kind.WITHDRAWAL and not delivery.article.is_visible():
        _finish(delivery, claim, Delivery.State.CANCELLED, error="story no longer public")
        return CANCELLED
    try:
        if delivery.channel == Follow.Channel.EMAIL:
            emails.alert_email(delivery).send()
        else:
            follow = delivery.follow
            body = webhooks.request_body(delivery.article, delivery.kind)
            webhooks.post(webhooks.build_request(follow.webhook_url, follow.webhook_secret, delivery.pk,
                                                 delivery.kind, body))
    except (webhooks.WebhookError, OSError) as exc:
        return _failed(delivery, claim, str(exc))
    _finish(delivery, claim, Delivery.State.SENT)
    return SENT


def _finish(delivery: Delivery, claim: str, state: str, error: str = "") -> None:
    Delivery.objects.filter(pk=delivery.pk, claim=claim).update(
        state=state, sent_at=timezone.now() if state == Delivery.State.SENT else None, last_error=error)


def _failed(delivery: Delivery, claim: str, error: str) -> str:
    """Put a failed delivery back with its next attempt after the back-off, or give up after the last."""
    if delivery.attempts >= settings.TICKERWIRE_ALERTS_MAX_ATTEMPTS:
        _finish(delivery, claim, Delivery.State.FAILED, error=error)
        logger.warning("alert delivery %s failed for good after %s attempts: %s", delivery.pk, delivery.attempts,
                       error)
        return FAILED
    when = timezone.now() + retry_delay(delivery.attempts)
    Delivery.objects.filter(pk=delivery.pk, claim=claim).update(
        state=Delivery.State.PENDING, next_attempt_at=when, last_error=error)
    from tickerwire.alerts.tasks import queue_retry

    queue_retry(delivery.pk, when)
    return RETRY


def due_deliveries(now: datetime | None = None, limit: int = 500) -> list[int]:
    """Return the ids of email and webhook deliveries a sweep should send: due retries and stale claims."""
    now = now or timezone.now()
    rows = Delivery.objects.filter(
        claimable("", now), channel__in=(Follow.Channel.EMAIL, Follow.Channel.WEBHOOK)
    ).exclude(state=Delivery.State.SENDING, claim="")
    return list(rows.order_by("created_at", "id").values_list("id", flat=True)[:limit])


def send_due(claim: str, now: datetime | None = None) -> dict[str, int]:
    """Send every due delivery (retries whose time came, claims a dead sender left); count the outcomes."""
    counts: dict[str, int] = {}
    for delivery_id in due_deliveries(now):
        outcome = send_delivery(delivery_id, claim, now=now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
