"""Every write to polled sources: register, pause, resume, remove, and record what a poll found.

Stories themselves are stored by :func:`tickerwire.articles.actions.ingest.ingest_bytes`; fetched bytes
that never reach a parser (a wrong charset, an oversized body) are quarantined here, with source and URL.
"""

from __future__ import annotations

import random
import re
import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tickerwire.articles.actions.quarantine import do_quarantine
from tickerwire.articles.actions.sources import do_ensure_source
from tickerwire.articles.models import Quarantine, Section
from tickerwire.sources.fetch import FetchRefused, check_destination
from tickerwire.sources.models import PolledSource

INTERVAL = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_INTERVAL_SECONDS = 30
MAX_BACKOFF_SECONDS = 24 * 3600
FETCHED_LINKS_KEPT = 5000


class SourceError(ValueError):
    """A source that cannot be registered as given; the message says why."""


def parse_interval(text: str) -> int:
    """Return seconds for ``90s``, ``5m``, ``2h`` or ``1d``; refuse anything under 30 seconds."""
    match = INTERVAL.match(text)
    if not match:
        raise SourceError(f"interval {text!r} is not a number with s, m, h or d (e.g. 5m)")
    seconds = int(match.group(1)) * UNITS[match.group(2)]
    if seconds < MIN_INTERVAL_SECONDS:
        raise SourceError(f"interval {text!r} is under {MIN_INTERVAL_SECONDS}s: poll politely")
    return seconds


def do_add_source(
    url: str,
    *,
    fmt: str,
    interval_seconds: int,
    name: str = "",
    section: str = "",
    fetch_articles: bool = False,
    time_zone: str = "UTC",
) -> PolledSource:
    """Register a feed or site to poll, due at once; refuse bad URLs, formats, sections and zones up front.

    A URL whose host is a private, loopback or link-local address is refused (the SSRF guard) unless
    ``TICKERWIRE_POLL_ALLOW_PRIVATE`` is on.
    """
    check_source_settings(url, fmt=fmt, fetch_articles=fetch_articles, section=section, time_zone=time_zone)
    if PolledSource.objects.filter(url=url).exists():
        raise SourceError(f"{url} is already registered")
    with transaction.atomic():
        source = do_ensure_source(name or url, kind="feed")
        if PolledSource.objects.filter(source=source).exists():
            raise SourceError(f"the source named {source.name!r} is already polled from another URL")
        if not source.url:
            source.url = url[:500]
            source.save(update_fields=["url"])
        return PolledSource.objects.create(
            source=source, url=url, format=fmt, interval_seconds=interval_seconds, section=section,
            fetch_articles=fetch_articles, time_zone=time_zone, next_poll_at=timezone.now(),
        )


def check_source_settings(url: str, *, fmt: str, fetch_articles: bool, section: str, time_zone: str) -> None:
    """Raise :class:`SourceError` saying what is wrong with a source's settings (the CLI, the admin, updates)."""
    try:
        check_destination(url, allow_private=settings.TICKERWIRE_POLL_ALLOW_PRIVATE)
    except FetchRefused as exc:
        raise SourceError(str(exc)) from None
    if fmt not in PolledSource.Format.values:
        raise SourceError(f"format {fmt!r} is not one of {', '.join(PolledSource.Format.values)}")
    if fetch_articles and fmt not in ("rss", "atom"):
        raise SourceError("--fetch-articles follows feed items' links, so it needs --format rss or atom")
    if section and not Section.objects.filter(name__iexact=section).exists():
        names = ", ".join(Section.objects.values_list("name", flat=True)) or "none yet"
        raise SourceError(f"section {section!r} is not one of the site's sections ({names})")
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SourceError(f"time zone {time_zone!r} is not an IANA zone name (e.g. America/New_York)") from None


def do_update_source(polled: PolledSource) -> PolledSource:
    """Save an edited source's settings (the admin's change form), checked as when it was added."""
    check_source_settings(polled.url, fmt=polled.format, fetch_articles=polled.fetch_articles,
                          section=polled.section, time_zone=polled.time_zone)
    with transaction.atomic():
        polled.save(update_fields=["url", "format", "interval_seconds", "section", "fetch_articles", "time_zone",
                                   "paused"])
    return polled


def do_pause_source(polled: PolledSource, reason: str = "paused by hand") -> PolledSource:
    """Stop polling a source until it is resumed."""
    with transaction.atomic():
        polled.paused, polled.paused_reason = True, reason
        polled.save(update_fields=["paused", "paused_reason"])
    return polled


def do_resume_source(polled: PolledSource) -> PolledSource:
    """Poll a paused source again, at once, with its failure count reset."""
    with transaction.atomic():
        polled.paused, polled.paused_reason, polled.failures = False, "", 0
        polled.next_poll_at = timezone.now()
        polled.save(update_fields=["paused", "paused_reason", "failures", "next_poll_at"])
    return polled


def do_remove_source(polled: PolledSource) -> None:
    """Stop polling and forget the feed; its stories and the store's source stay."""
    with transaction.atomic():
        polled.delete()


def do_claim_due_sources(now: datetime, *, lease_seconds: float = 600.0) -> list[PolledSource]:
    """Claim the due sources for this poller: their next poll moves a lease ahead, under this claim's token.

    Several ``tickerwire poll`` processes (or workers) can then share one store without polling a source
    twice: the claim is one UPDATE of the rows still due, so each row goes to exactly one claimant, and a
    poller that dies mid-poll holds its sources only until the lease runs out.
    """
    token = uuid.uuid4().hex
    due = Q(paused=False) & (Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
    with transaction.atomic():
        PolledSource.objects.filter(due).update(next_poll_at=now + timedelta(seconds=lease_seconds), claim=token)
    return list(PolledSource.objects.select_related("source").filter(claim=token).order_by("id"))


def do_record_not_modified_many(
    sources: list[tuple[PolledSource, tuple[str, str] | None]], *, now: datetime
) -> None:
    """Record a round's quiet polls in one transaction: a 304 round costs one commit, not one per source.

    ``validators`` is None for a 304; for the same bytes as last time it is the ETag and Last-Modified they
    came with, kept so that the next poll can be conditional.
    """
    if not sources:
        return
    # A quiet poll of a source with no failures sets the same columns to the same values, bar the next poll
    # time (now + its interval): one UPDATE per status and interval, not one per source. A source whose
    # validators changed (or that had failed) is saved on its own.
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    with transaction.atomic():
        for polled, validators in sources:
            status = "not modified" if validators is None else "unchanged bytes"
            plain = polled.failures == 0 and validators in (None, (polled.etag, polled.last_modified))
            if validators is not None:
                polled.etag, polled.last_modified = validators
            fields = _apply(polled, now=now, status=status, seen=0, new=0, error="", extra=["etag", "last_modified"])
            if plain:
                groups[(status, polled.interval_seconds)].append(polled.pk)
            else:
                polled.save(update_fields=fields)
        for (status, interval), ids in groups.items():
            PolledSource.objects.filter(pk__in=ids).update(
                last_poll_at=now, last_status=status, items_seen=0, items_new=0, last_success_at=now,
                next_poll_at=now + timedelta(seconds=interval),
            )


def do_record_success(
    polled: PolledSource,
    *,
    now: datetime,
    seen: int,
    new: int,
    etag: str,
    last_modified: str,
    fetched_links: dict[str, str] | None = None,
    body_sha256: str = "",
) -> None:
    """Record a poll that fetched and stored: counts, validators for the next conditional GET, links done.

    ``body_sha256`` is the digest of a body whose every item (and wanted page) was taken, or "" when some
    page must be fetched again next time.
    """
    polled.etag, polled.last_modified, polled.body_sha256 = etag, last_modified, body_sha256
    if fetched_links:
        merged = {**polled.fetched_links, **fetched_links}
        polled.fetched_links = dict(list(merged.items())[-FETCHED_LINKS_KEPT:])
    _record(polled, now=now, status="ok", seen=seen, new=new, error="",
            extra=["etag", "last_modified", "fetched_links", "body_sha256"])


def do_record_failure(
    polled: PolledSource, *, now: datetime, error: str, max_failures: int, retry_after: float | None = None
) -> None:
    """Record a failed poll: back off exponentially (with jitter); pause after ``max_failures`` in a row.

    ``retry_after`` is the wait the server asked for (Retry-After on a 429 or 503): the next poll is no sooner.
    """
    polled.failures += 1
    polled.last_error_at = now
    extra = ["failures", "last_error_at"]
    if polled.failures >= max_failures:
        polled.paused = True
        polled.paused_reason = f"{polled.failures} failed polls in a row; last: {error}"
        extra += ["paused", "paused_reason"]
    _record(polled, now=now, status="failed", seen=0, new=0, error=error, extra=extra)
    if retry_after is not None:
        not_before = now + timedelta(seconds=min(retry_after, MAX_BACKOFF_SECONDS))
        if polled.next_poll_at is None or polled.next_poll_at < not_before:
            polled.next_poll_at = not_before
            with transaction.atomic():
                polled.save(update_fields=["next_poll_at"])


def backoff_seconds(interval: int, failures: int) -> float:
    """Return the wait after ``failures`` failed polls in a row: the interval doubled each time, jittered."""
    if failures <= 0:
        return float(interval)
    return min(MAX_BACKOFF_SECONDS, interval * 2**failures) * random.uniform(0.8, 1.0)


def _record(
    polled: PolledSource, *, now: datetime, status: str, seen: int, new: int, error: str,
    extra: list[str] | None = None,
) -> None:
    fields = _apply(polled, now=now, status=status, seen=seen, new=new, error=error, extra=extra)
    with transaction.atomic():
        polled.save(update_fields=fields)


def _apply(
    polled: PolledSource, *, now: datetime, status: str, seen: int, new: int, error: str,
    extra: list[str] | None = None,
) -> list[str]:
    """Set a poll's outcome on the row in memory and return the fields that changed."""
    polled.last_poll_at, polled.last_status = now, status
    polled.items_seen, polled.items_new = seen, new
    polled.items_seen_total += seen
    polled.items_new_total += new
    if status != "failed":
        polled.last_success_at, polled.failures = now, 0
    else:
        polled.last_error = error[:2000]
    polled.next_poll_at = now + timedelta(seconds=backoff_seconds(polled.interval_seconds, polled.failures))
    fields = ["last_poll_at", "last_status", "items_seen", "items_new", "items_seen_total", "items_new_total",
              "last_success_at", "failures", "last_error", "next_poll_at", *(extra or [])]
    return list(dict.fromkeys(fields))


def do_quarantine_fetched(polled: PolledSource, data: bytes, reason: str, *, url: str, fmt: str) -> Quarantine:
    """Keep fetched bytes that never reached a parser (wrong charset or type, too large) with source and URL."""
    from tickerwire.articles.actions.ingest import story_limits

    return do_quarantine(
        data, reason, path=url, source_name=polled.source.name, fmt=fmt, item_index=None,
        keep_bytes=story_limits().max_story_bytes,
    )
