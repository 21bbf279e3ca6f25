"""Every write of follows and alert settings: one function each, in one durable transaction.

Views and commands call these, never ``save()``. Bad input raises :class:`FollowError` with a message a
reader can act on.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import json
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tickerwire.alerts.models import AlertProfile, Delivery, Follow
from tickerwire.alerts.schedule import next_digest_time, zone_named
from tickerwire.articles.models import Section


class FollowError(ValueError):
    """A follow or setting that cannot be saved; the message says why."""


@dataclass(frozen=True)
class SavedSearch:
    """A saved search as the search page asks it: the text and its filters (section slug, ticker symbol)."""

    text: str
    section: str = ""
    ticker: str = ""

    def as_json(self) -> dict[str, str]:
        return {"text": self.text, "section": self.section, "ticker": self.ticker}

    def digest(self) -> str:
        """Return the follow target of this search: the same search saved twice is one follow."""
        canonical = json.dumps(self.as_json(), sort_keys=True, ensure_ascii=False)
        return "q:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:40]

    def label(self) -> str:
        parts = [f"“{self.text}”"]
        if self.section:
            parts.append(f"in {self.section}")
        if self.ticker:
            parts.append(f"about {self.ticker}")
        return " ".join(parts)


def normalised_search(text: str, section: str = "", ticker: str = "") -> SavedSearch:
    """Return a saved search with its parts cleaned as the search form cleans them."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise FollowError("a saved search needs words to search for")
    if len(cleaned) > 300:
        raise FollowError("a saved search is at most 300 characters")
    return SavedSearch(cleaned, section.strip().lower(), ticker.strip().lstrip("$").upper())


def profile_of(user: Any) -> AlertProfile:
    """Return the reader's alert settings, made with the defaults on first use."""
    profile = AlertProfile.objects.filter(user=user).first()
    if profile is not None:
        return profile
    default = AlertProfile(user=user)
    default.next_digest_at = next_digest_time(timezone.now(), default.digest_hour, zone_named(default.time_zone))
    AlertProfile.objects.bulk_create([default], ignore_conflicts=True)
    return AlertProfile.objects.get(user=user)


def _target(kind: str, value: str | SavedSearch) -> tuple[str, str, dict[str, str]]:
    """Return the (target, label, query) of a followed thing, checked."""
    if kind == Follow.Kind.TICKER:
        symbol = str(value).strip().lstrip("$").upper()
        if not symbol or len(symbol) > 20 or not symbol.replace(".", "").replace("-", "").isalnum():
            raise FollowError(f"{value!r} is not a ticker symbol (letters and digits, such as XOM or BRK.B)")
        return symbol, symbol, {}
    if kind == Follow.Kind.SECTION:
        section = Section.objects.filter(slug=str(value).strip().lower()).first()
        if section is None:
            raise FollowError(f"there is no section {value!r}")
        return section.slug, section.name, {}
    if kind == Follow.Kind.SEARCH:
        if not isinstance(value, SavedSearch):
            raise FollowError("a saved search is followed with its text and filters")
        return value.digest(), value.label(), value.as_json()
    raise FollowError(f"one follows a ticker, a section or a search, not {kind!r}")


def check_webhook_url(url: str) -> str:
    """Return a webhook address if it may be used: HTTPS (or http to loopback where settings allow it)."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if not host:
        raise FollowError("a webhook needs an address such as https://hooks.example.org/tickerwire")
    if parts.scheme == "https":
        return url.strip()
    loopback = host == "localhost"
    with contextlib.suppress(ValueError):  # a name, not an address
        loopback = loopback or ipaddress.ip_address(host).is_loopback
    if parts.scheme == "http" and loopback and settings.TICKERWIRE_ALERTS_WEBHOOK_ALLOW_HTTP_LOOPBACK:
        return url.strip()
    raise FollowError("a webhook address must start with https://")


def do_follow(
    user: Any, kind: str, value: str | SavedSearch, *, channel: str = "email",
    include_updates: bool = False, webhook_url: str = "",
) -> Follow:
    """Follow a ticker, section or saved search (again: the existing follow, its settings changed)."""
    target, label, query = _target(kind, value)
    with transaction.atomic(durable=True):
        profile_of(user)
        follow, _created = Follow.objects.get_or_create(
            user=user, kind=kind, target=target, defaults={"label": label, "query": query}
        )
        return _apply_settings(follow, channel=channel, include_updates=include_updates, webhook_url=webhook_url)


def do_update_follow(
    user: Any, follow_id: int, *, channel: str, include_updates: bool, webhook_url: str = ""
) -> Follow:
    """Change how a reader hears of a follow's stories; raise ``Follow.DoesNotExist`` for another's follow."""
    with transaction.atomic(durable=True):
        follow = Follow.objects.select_for_update().get(pk=follow_id, user=user)
        return _apply_settings(follow, channel=channel, include_updates=include_updates, webhook_url=webhook_url)


def _apply_settings(follow: Follow, *, channel: str, include_updates: bool, webhook_url: str) -> Follow:
    if channel not in Follow.Channel.values:
        raise FollowError(f"unknown alert channel {channel!r}: use one of {', '.join(Follow.Channel.values)}")
    if channel == Follow.Channel.WEBHOOK:
        follow.webhook_url = check_webhook_url(webhook_url or follow.webhook_url)
        follow.webhook_secret = follow.webhook_secret or secrets.token_urlsafe(32)
    elif webhook_url:
        follow.webhook_url = check_webhook_url(webhook_url)
    follow.channel, follow.include_updates = channel, include_updates
    follow.save()
    return follow


def do_unfollow(user: Any, follow_id: int) -> bool:
    """Stop following (its pending deliveries go with it); return whether there was such a follow."""
    with transaction.atomic(durable=True):
        deleted, _ = Follow.objects.filter(pk=follow_id, user=user).delete()
    return bool(deleted)


def do_unfollow_target(user: Any, kind: str, value: str | SavedSearch) -> bool:
    """Stop following a ticker, section or saved search named by its value."""
    target, _label, _query = _target(kind, value)
    with transaction.atomic(durable=True):
        deleted, _ = Follow.objects.filter(user=user, kind=kind, target=target).delete()
    return bool(deleted)


def do_set_alert_settings(user: Any, *, time_zone: str, digest_hour: int) -> AlertProfile:
    """Set the reader's zone and digest hour; the next digest is scheduled from them."""
    try:
        zone = zone_named(time_zone)
    except ValueError as exc:
        raise FollowError(str(exc)) from None
    if not 0 <= digest_hour <= 23:
        raise FollowError("the digest hour is 0 to 23")
    with transaction.atomic(durable=True):
        profile = profile_of(user)
        profile.time_zone, profile.digest_hour = time_zone, digest_hour
        profile.next_digest_at = next_digest_time(timezone.now(), digest_hour, zone)
        profile.save()
        return profile


def do_unsubscribe(user_id: int, follow_id: int | None) -> int:
    """Stop the emails a signed unsubscribe link names: one follow's, or every digest's (``follow_id`` None).

    The follows stay (their stories stay on "My news"); their channel becomes ``none`` and their unsent
    emails are cancelled. Return how many follows changed.
    """
    email_channels = (Follow.Channel.EMAIL, Follow.Channel.DIGEST)
    with transaction.atomic(durable=True):
        follows = Follow.objects.filter(user_id=user_id, channel__in=email_channels)
        follows = follows.filter(pk=follow_id) if follow_id is not None else follows.filter(
            channel=Follow.Channel.DIGEST)
        ids = list(follows.values_list("pk", flat=True))
        Follow.objects.filter(pk__in=ids).update(channel=Follow.Channel.NONE)
        pending = Delivery.objects.filter(state=Delivery.State.PENDING)
        unsent = pending.filter(follow_id__in=ids)
        if follow_id is None:  # the digest link: alerts rolled into the digest stop too
            unsent = unsent | pending.filter(user_id=user_id, channel=Follow.Channel.DIGEST)
        unsent.update(state=Delivery.State.CANCELLED, last_error="unsubscribed")
    return len(ids)
