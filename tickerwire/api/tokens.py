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
