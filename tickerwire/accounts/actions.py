"""Every write to reader profiles: create, change the name and email choices, ban, suspend, lift."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from tickerwire.accounts.models import Profile

DISPLAY_NAME_MAX = 60


def profile_of(user: Any) -> Profile:
    """Return the user's profile as stored now (one query), creating it for a user made before this app."""
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


def clean_display_name(name: str) -> str:
    """Return a display name with its whitespace collapsed; raise ValueError when it is unusable."""
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise ValueError("a display name needs at least one visible character")
    if len(cleaned) > DISPLAY_NAME_MAX:
        raise ValueError(f"a display name has at most {DISPLAY_NAME_MAX} characters")
    if any(ord(ch) < 32 for ch in cleaned):
        raise ValueError("a display name cannot contain control characters")
    return cleaned


@transaction.atomic
def create_profile(user: Any, display_name: str = "") -> Profile:
    """Create (or fetch) the profile of a new account, with its display name."""
    profile, _created = Profile.objects.get_or_create(user=user)
    if display_name:
        profile.display_name = clean_display_name(display_name)
        profile.save(update_fields=["display_name"])
    return profile


@transaction.atomic
def update_settings(user: Any, *, display_name: str, notify_replies: bool, notify_featured: bool,
                    notify_rejected: bool) -> Profile:
    """Change a reader's display name and which emails they get."""
    profile = Profile.objects.select_for_update().get(pk=profile_of(user).pk)
    profile.display_name = clean_display_name(display_name)
    profile.notify_replies, profile.notify_featured, profile.notify_rejected = (
        notify_replies, notify_featured, notify_rejected)
    profile.save()
    return profile


@transaction.atomic
def ban(user: Any, reason: str) -> Profile:
    """Ban a reader from commenting (until lifted)."""
    profile = Profile.objects.select_for_update().get(pk=profile_of(user).pk)
    profile.banned_at, profile.ban_reason = timezone.now(), reason[:300]
    profile.save(update_fields=["banned_at", "ban_reason"])
    return profile


@transaction.atomic
def suspend(user: Any, until: datetime, reason: str = "") -> Profile:
    """Suspend a reader from commenting until ``until``."""
    profile = Profile.objects.select_for_update().get(pk=profile_of(user).pk)
    profile.suspended_until, profile.ban_reason = until, reason[:300]
    profile.save(update_fields=["suspended_until", "ban_reason"])
    return profile


@transaction.atomic
def lift(user: Any) -> Profile:
    """Lift a ban or suspension."""
    profile = Profile.objects.select_for_update().get(pk=profile_of(user).pk)
    profile.banned_at, profile.suspended_until, profile.ban_reason = None, None, ""
    profile.save(update_fields=["banned_at", "suspended_until", "ban_reason"])
    return profile
