"""The desk's audit log: who changed which story, when, from what to what."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tickerwire.articles.models import Article


class AuditEntry(models.Model):
    """One change an editor made to a story (its status, tickers, sections or headline)."""

    article = models.ForeignKey(Article, null=True, on_delete=models.SET_NULL, related_name="audit_entries")
    article_ref = models.BigIntegerField(help_text="The story's id, kept if the story is deleted.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    username = models.CharField(max_length=150, blank=True, default="", help_text="Kept if the user is deleted.")
    action = models.CharField(max_length=40)
    field = models.CharField(max_length=40)
    old_value = models.JSONField(null=True)
    new_value = models.JSONField(null=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        permissions = [("edit_stories", "Can correct, hold, publish, embargo and withdraw stories")]

    def __str__(self) -> str:
        return f"{self.username or 'system'} {self.action} {self.article_ref} at {self.at:%Y-%m-%d %H:%M}"
