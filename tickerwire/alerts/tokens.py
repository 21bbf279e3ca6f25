"""Signed unsubscribe tokens (django.core.signing): a link in an email works without signing in."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

SALT = "tickerwire.alerts.unsubscribe"


@dataclass(frozen=True)
class Unsubscribe:
    """What a token stops: one follow's emails, or (``follow_id`` None) the reader's digest."""

    user_id: int
    follow_id: int | None


def unsubscribe_token(user_id: int, follow_id: int | None) -> str:
    """Return the URL-safe signed token of an unsubscribe link."""
    return signing.dumps({"u": user_id, "f": follow_id}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> Unsubscribe | None:
    """Return what a token stops, or None when it was not signed by us (tampered, truncated)."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    follow_id = data.get("f")
    return Unsubscribe(data["u"], follow_id if isinstance(follow_id, int) else None)
