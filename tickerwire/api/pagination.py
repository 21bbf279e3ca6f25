"""Opaque cursors for keyset pagination: stable while new stories arrive at the top."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from tickerwire.api.errors import ApiError
from tickerwire.core.dates import readable_story_time


def encode_cursor(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> dict[str, Any]:
    """Return a cursor's content; a tampered or truncated cursor is a 400, not a 500."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "bad_cursor", "the cursor is not one this API gave out") from None
    if not isinstance(data, dict):
        raise ApiError(400, "bad_cursor", "the cursor is not one this API gave out")
    return data


def time_cursor(published_at: datetime, pk: int) -> str:
    return encode_cursor({"t": published_at.isoformat(), "i": pk})


def read_time_cursor(cursor: str) -> tuple[datetime, int]:
    """Return a list cursor's time (aware UTC) and id; a forged time no story can have is a 400 too."""
    data = decode_cursor(cursor)
    try:
        at, pk = datetime.fromisoformat(str(data["t"])), int(data["i"])
    except (KeyError, TypeError, ValueError):
        raise ApiError(400, "bad_cursor", "the cursor is not one this API gave out") from None
    utc = readable_story_time(at) if at.tzinfo is not None else None
    if utc is None:
        raise ApiError(400, "bad_cursor", "the cursor is not one this API gave out")
    return utc, pk


def offset_cursor(offset: int) -> str:
    return encode_cursor({"o": offset})


def read_offset_cursor(cursor: str) -> int:
    data = decode_cursor(cursor)
    try:
        offset = int(data["o"])
    except (KeyError, TypeError, ValueError):
        raise ApiError(400, "bad_cursor", "the cursor is not one this API gave out") from None
    if offset < 0:
        raise ApiError(400, "bad_cursor", "the cursor is not one this API gave out")
    return offset
