"""A reader's profile: the name shown with their comments, their email choices, and any ban or suspension."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Profile(models.Model):
    """One per user, created with the account (or on first use, for users made before this app)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader_profile")
    display_name = models.CharField(max_length=60, blank=True)
    notify_replies = models.BooleanField(default=True, help_text="email me when someone replies to my comment")
    notify_featured = models.BooleanField(default=True, help_text="email me when my comment is featured")
    notify_rejected = models.BooleanField(default=True, help_text="email me when my comment is rejected")
    banned_at = models.DateTimeField(null=True, blank=True)
    ban_reason = models.CharField(max_length=300, blank=True)
    suspended_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.shown_name

    @property
    def shown_name(self) -> str:
        """Return the display name, or a neutral one (never the email address)."""
        return self.display_name or f"Reader {self.user_id}"

    def posting_block(self, at: object = None) -> str:
        """Return why this reader may not post now ("" when they may)."""
        now = at or timezone.now()
        if self.banned_at is not None:
            return "Your account is banned from commenting."
        if self.suspended_until is not None and self.suspended_until > now:  # type: ignore[operator]
            return f"Your account is suspended from commenting until {self.suspended_until:%Y-%m-%d %H:%M} UTC."
        return ""
