"""The shape of an API key token: ``tw_<prefix>_<secret>``, of which only the secret's SHA-256 is stored.

Keys carry 256 bits of randomness, so a fast hash is safe here (no password stretching needed) and keeps
authentication cheap on every ingest request.
"""

from __future__ import annotations

import hashlib

KEY_PREFIX = "tw_"


def secret_digest(secret: str) -> str:
    """Return what is stored of a key's secret: its SHA-256."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def split_token(token: str) -> tuple[str, str] | None:
    """Return a ``tw_<prefix>_<secret>`` token's prefix and secret, or None when it does not read so."""
    if not token.startswith(KEY_PREFIX):
        return None
    prefix, sep, secret = token[len(KEY_PREFIX) :].partition("_")
    if not sep or not prefix or not secret:
        return None
    return prefix, secret


def token_prefix(token: str) -> str | None:
    """Return the key prefix a token names (the row it would be checked against), or None."""
    parts = split_token(token.strip())
    return parts[0] if parts else None
