"""Daily digests: each reader's owed digest entries, sent once at their hour in their zone.

:func:`send_due_digests` (run every minute or so by ``tickerwire alerts run --every S`` or the worker's
``--alerts-every S`` thread) takes every reader whose ``next_digest_at`` has come. For each it makes the one
:class:`Digest` row of that local date (a unique key: a second run, or the repeated hour when clocks fall
back, finds it), claims it, gathers the reader's pending digest entries into it, sends one email when there
is anything to tell, marks it sent and schedules the next slot. A sender that dies mid-send leaves the row
claimed; the next run after the claim lease (or the same claim) sends it.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tickerwire.alerts.emails import digest_email
from tickerwire.alerts.models import AlertProfile, Delivery, Digest, Follow
from tickerwire.alerts.schedule import next_digest_time, slot_date, zone_named
from tickerwire.alerts.sending import lease

logger = logging.getLogger(__name__)


def send_due_digests(claim: str, now: datetime | None = None) -> list[int]:
    """Send every digest whose slot has come by ``now``; return the ids of the digests sent."""
    now = now or timezone.now()
    sent: list[int] = []
    due = AlertProfile.objects.filter(next_digest_at__lte=now).order_by("next_digest_at", "id")
    for profile_id in list(due.values_list("id", flat=True)[:1000]):
        digest_id = send_digest(profile_id, claim, now)
        if digest_id is not None:
            sent.append(digest_id)
    return sent


def send_digest(profile_id: int, claim: str, now: datetime) -> int | None:
    """Send one reader's due digest (if it has stories) and schedule the next; return the digest id if sent."""
    with transaction.atomic(durable=True):
        profile = AlertProfile.objects.select_for_update().select_related("user").get(pk=profile_id)
        if profile.next_digest_at > now:
            return None  # another sender did it
        zone = zone_named(profile.time_zone)
        day = slot_date(profile.next_digest_at, zone)
        owed = Delivery.objects.filter(user_id=profile.user_id, channel=Follow.Channel.DIGEST, digest__isnull=True,
                                       state=Delivery.State.PENDING)
        unfinished = Digest.objects.filter(user_id=profile.user_id, local_date=day, state=Digest.State.SENDING)
        if not owed.exists() and not unfinished.exists():
            _schedule(profile, zone, now)  # nothing to tell today: no digest row, no email
            return None
        digest, _created = Digest.objects.get_or_create(user_id=profile.user_id, local_date=day)
        taken = Digest.objects.filter(
            Q(state=Digest.State.SENDING) & (Q(claim="") | Q(claim=claim) | Q(claimed_at__lt=now - lease())),
            pk=digest.pk,
        ).update(claim=claim, claimed_at=now)
        if not taken:
            if digest.state == Digest.State.SENT:  # the repeated hour of a fall-back night: already sent today
                _schedule(profile, zone, now)
            return None
        owed.update(digest=digest, state=Delivery.State.SENDING)
    entries = list(digest.deliveries.filter(state=Delivery.State.SENDING).select_related("article", "follow"))
    public = [d for d in entries if d.article.is_visible(now)]
    if public:
        digest.user = profile.user
        digest_email(digest, public).send()
    with transaction.atomic(durable=True):
        Delivery.objects.filter(pk__in=[d.pk for d in public]).update(state=Delivery.State.SENT, sent_at=now)
        Delivery.objects.filter(pk__in=[d.pk for d in entries if d not in public]).update(
            state=Delivery.State.CANCELLED, last_error="story no longer public")
        Digest.objects.filter(pk=digest.pk).update(state=Digest.State.SENT, sent_at=now, stories=len(public))
        _schedule(AlertProfile.objects.select_for_update().get(pk=profile_id), zone, now)
    return digest.pk if public else None


def _schedule(profile: AlertProfile, zone: object, now: datetime) -> None:
    profile.next_digest_at = next_digest_time(now, profile.digest_hour, zone)  # type: ignore[arg-type]
    profile.save(update_fields=["next_digest_at"])
