"""Read the machine-written timestamps of feeds, pages and ninjs into ISO 8601, keeping the source's zone."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_timestamp(value: object) -> str | None:
    """Return a timestamp as ISO 8601 text, or ``None`` when it is not one.

    Accepts ISO 8601 (``2026-03-03T10:00:00+02:00``, ``...Z``) and RFC 822 (``Tue, 03 Mar 2026 10:00:00 GMT``).
    The zone is kept as given (``Z`` becomes ``+00:00``); a timestamp without a zone stays without one, and a
    bare date stays a date, because the source said no more than that.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 64:
        return None
    if _ISO_DATE.match(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    parsed = _parse_iso(text) or _parse_rfc822(text)
    if parsed is None:
        return None
    return parsed.isoformat()


def _parse_iso(text: str) -> datetime | None:
    candidate = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        return None


def _parse_rfc822(text: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.year < 1000:
        return None
    return parsed
