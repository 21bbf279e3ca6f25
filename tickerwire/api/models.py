"""API keys: one per pushing source, stored hashed, revocable."""

from __future__ import annotations

from django.db import models

from tickerwire.articles.models import Source


class ApiKey(models.Model):
    """A key a newsroom uses to push stories; only its prefix and a SHA-256 of the secret are kept."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="api_keys")
    name = models.CharField(max_length=200)
    prefix = models.CharField(max_length=16, unique=True, help_text="Public part shown in lists and logs.")
    secret_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    arrive_held = models.BooleanField(
        default=False, help_text="New stories pushed with this key arrive held, for an editor to review and publish."
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix} ({self.source.name})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
