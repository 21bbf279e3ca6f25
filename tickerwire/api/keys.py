"""Check API keys (creating and revoking them are actions: :mod:`tickerwire.api.actions`).

A key reads ``tw_<prefix>_<secret>`` (:mod:`tickerwire.api.tokens`). The prefix finds the row; the secret
is compared by SHA-256 in constant time.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from enum import Enum

from tickerwire.api.actions import do_note_key_use
from tickerwire.api.models import ApiKey
from tickerwire.api.tokens import secret_digest, split_token


class KeyCheck(Enum):
    VALID = "valid"
    MISSING = "missing"
    INVALID = "invalid"
    REVOKED = "revoked"


@dataclass(frozen=True)
class KeyCheckResult:
    status: KeyCheck
    api_key: ApiKey | None = None


def check_token(token: str) -> KeyCheckResult:
    """Check a presented token; only a VALID result carries the key."""
    token = token.strip()
    if not token:
        return KeyCheckResult(KeyCheck.MISSING)
    parts = split_token(token)
    if parts is None:
        return KeyCheckResult(KeyCheck.INVALID)
    prefix, secret = parts
    api_key = ApiKey.objects.select_related("source").filter(prefix=prefix).first()
    if api_key is None or not hmac.compare_digest(api_key.secret_sha256, secret_digest(secret)):
        return KeyCheckResult(KeyCheck.INVALID)
    if api_key.revoked_at is not None:
        return KeyCheckResult(KeyCheck.REVOKED)
    do_note_key_use(api_key)
    return KeyCheckResult(KeyCheck.VALID, api_key)
