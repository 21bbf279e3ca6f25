"""Follows, each reader's alert settings, and the outbox of deliveries (one per follow and story cluster).

Every write goes through :mod:`tickerwire.alerts.actions` (follows, settings) or the planner and senders
(deliveries, digests); views never call ``save()``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AlertProfile(models.Model):
    """A reader's alert settings: their time zone and the local hour of their daily digest."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_profile")
    time_zone = models.CharField(max_length=64, default="UTC", help_text="An IANA zone name (zoneinfo).")
    digest_hour = models.PositiveSmallIntegerField(default=7, help_text="Local hour (0-23) the digest is sent.")
    next_digest_at = models.DateTimeField(db_index=True, help_text="UTC instant of the next digest slot.")

    def __str__(self) -> str:
        return f"alerts of {self.user_id}: digest {self.digest_hour:02d}:00 {self.time_zone}"


class Follow(models.Model):
    """A reader follows a ticker, a section or a saved search, and says how to hear of new stories."""

    class Kind(models.TextChoices):
        TICKER = "ticker"
        SECTION = "section"
        SEARCH = "search", "Saved search"

    class Channel(models.TextChoices):
        EMAIL = "email", "Email at once"
        DIGEST = "digest", "Daily digest"
        WEBHOOK = "webhook", "Webhook"
        NONE = "none", "No alerts (My news only)"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # What is followed, as matching looks it up: the symbol, the section slug, or the saved search's digest.
    target = models.CharField(max_length=200)
    query = models.JSONField(default=dict, blank=True, help_text="Saved search: {text, section, ticker}.")
    label = models.CharField(max_length=300, blank=True, default="")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    include_updates = models.BooleanField(default=False, help_text="Alert again when an alerted story is revised.")
    webhook_url = models.URLField(max_length=500, blank=True, default="")
    webhook_secret = models.CharField(max_length=100, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "label", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "kind", "target"], name="follow_once")]
        # Matching a story: one indexed lookup per kind (its symbols, its sections).
        indexes = [models.Index(fields=["kind", "target"], name="follow_kind_target")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.kind} {self.label or self.target}"


class Digest(models.Model):
    """One reader's daily digest for one local date: at most one is ever sent."""

    class State(models.TextChoices):
        SENDING = "sending"
        SENT = "sent"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_digests")
    local_date = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.SENDING)
    claim = models.CharField(max_length=64, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    stories = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "local_date"], name="digest_once_a_day")]


class Delivery(models.Model):
    """One alert owed to a follow for a story cluster: the outbox row that makes sending at-least-once, once.

    The unique key (follow, kind, cluster, revision) is written in the same transaction that decides the
    alert, so a planner run again finds it and adds nothing; a sender claims the row before sending and marks
    it sent after, so a sender run again skips it. Rows of one reader's follows that one message covers are
    ``merged`` into the row that is sent.
    """

    class Kind(models.TextChoices):
        ALERT = "alert"  # the first story of a cluster for this follow
        UPDATE = "update"  # a revision of the alerted story (the follow opted in)
        WITHDRAWAL = "withdrawal"  # the alerted story was withdrawn (webhooks)

    class State(models.TextChoices):
        PENDING = "pending"
        SENDING = "sending"
        SENT = "sent"
        MERGED = "merged"  # covered by merged_into's message
        CANCELLED = "cancelled"  # the story stopped being public before it was sent
        FAILED = "failed"  # gave up after the last retry

    follow = models.ForeignKey(Follow, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_deliveries")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ALERT)
    channel = models.CharField(max_length=10, choices=Follow.Channel.choices)
    cluster = models.CharField(max_length=80)
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="alert_deliveries")
    revision_number = models.PositiveIntegerField(default=0, help_text="Updates: the revision; else 0.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    rolled = models.BooleanField(default=False, help_text="Over the hourly limit: rolled into the next digest.")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="covers")
    digest = models.ForeignKey(Digest, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries")
    attempts = models.PositiveIntegerField(default=0)
    claim = models.CharField(max_length=64, blank=True, default="", help_text="Who is sending it (a task id).")
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follow", "kind", "cluster", "revision_number"], name="delivery_once"),
        ]
        indexes = [
            models.Index(fields=["user", "channel", "created_at"], name="delivery_user_recent"),
            models.Index(fields=["state", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["article", "state"], name="delivery_article"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.article_id} to follow {self.follow_id}: {self.state}"
