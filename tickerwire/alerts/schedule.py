"""When a reader's daily digest is due: their chosen local hour in their own zone, DST included (zoneinfo).

A slot is the first instant at or after ``hour:00`` local time. On the day clocks spring forward an hour that
does not exist (02:00 in New York) is read with the offset before the change, so the digest goes at 03:00
local, the first instant after it; on the day they fall back an hour that happens twice is read as its first
occurrence, and the digest's one row per local date (:class:`tickerwire.alerts.models.Digest`) keeps the
second from sending again.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


def zone_named(name: str) -> ZoneInfo:
    """Return the zone of an IANA name; raise ``ValueError`` with the reason for an unknown one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}: use an IANA name such as Europe/London") from None


def zone_choices() -> list[str]:
    """Return every IANA zone name, sorted, for the settings form."""
    return sorted(available_timezones())


def slot_on(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """Return the UTC instant of ``hour:00`` on the local ``day`` in ``zone`` (see the module note on DST)."""
    if not 0 <= hour <= 23:
        raise ValueError(f"digest hour must be 0-23, not {hour}")
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


def next_digest_time(after: datetime, hour: int, zone: ZoneInfo) -> datetime:
    """Return the first digest slot strictly after ``after`` (aware), in UTC."""
    local_day = after.astimezone(zone).date()
    for offset in range(3):
        slot = slot_on(local_day + timedelta(days=offset), hour, zone)
        if slot > after:
            return slot
    raise AssertionError("a digest slot comes within three days")


def slot_date(slot: datetime, zone: ZoneInfo) -> date:
    """Return the local date a digest slot belongs to (its one digest a day is keyed by it)."""
    return slot.astimezone(zone).date()
