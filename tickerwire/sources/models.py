"""A polled feed or site: where it is, how often, and how its last polls went."""

from __future__ import annotations

from django.db import models

from tickerwire.articles.models import Source


class PolledSource(models.Model):
    """One registered feed or site, polled every ``interval_seconds`` into the store as ``source``."""

    class Format(models.TextChoices):
        RSS = "rss"
        ATOM = "atom"
        HTML = "html"
        SITEMAP = "sitemap"
        NINJS = "ninjs"

    source = models.OneToOneField(Source, on_delete=models.CASCADE, related_name="polled")
    url = models.URLField(max_length=1000, unique=True)
    format = models.CharField(max_length=10, choices=Format.choices)
    interval_seconds = models.PositiveIntegerField(default=300)
    section = models.CharField(max_length=80, blank=True, default="")
    fetch_articles = models.BooleanField(default=False)
    time_zone = models.CharField(max_length=64, default="UTC")
    etag = models.CharField(max_length=500, blank=True, default="")
    last_modified = models.CharField(max_length=100, blank=True, default="")
    # Digest of the last body taken in whole: the same bytes again (a server with no validators) are not re-parsed.
    body_sha256 = models.CharField(max_length=64, blank=True, default="")
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The token of the poller that last claimed it (see sources.actions.do_claim_due_sources).
    claim = models.CharField(max_length=32, blank=True, default="", db_index=True)
    last_poll_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=40, blank=True, default="")
    last_error = models.TextField(blank=True, default="")
    last_error_at = models.DateTimeField(null=True, blank=True)
    items_seen = models.PositiveIntegerField(default=0)
    items_new = models.PositiveIntegerField(default=0)
    items_seen_total = models.PositiveBigIntegerField(default=0)
    items_new_total = models.PositiveBigIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    paused = models.BooleanField(default=False)
    paused_reason = models.TextField(blank=True, default="")
    # Links already fetched (article pages, sitemap entries) -> the sitemap lastmod seen, so each is fetched once.
    fetched_links = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.source.name} ({self.url})"
