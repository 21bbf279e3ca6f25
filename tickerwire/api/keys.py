"""Create, check and revoke API keys.

A key reads ``tw_<prefix>_<secret>``. The prefix finds the row; the secret is compared by SHA-256 in
constant time. Keys carry 256 bits of randomness, so a fast hash is safe here (no password stretching
needed) and keeps authentication cheap on every ingest request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import Enum

from django.db import transaction
from django.utils import timezone

from tickerwire.api.models import ApiKey
from tickerwire.articles.models import Source

KEY_PREFIX = "tw_"


@dataclass(frozen=True)
class NewKey:
    api_key: ApiKey
    token: str  # shown once, never stored


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def do_create_api_key(source_name: str, name: str = "") -> NewKey:
    """Create a key for a source (created if new) and return it with its one-time token."""
    source, _ = Source.objects.get_or_create(name=source_name, defaults={"kind": "api"})
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(
        source=source, name=name or source_name, prefix=prefix, secret_sha256=_digest(secret)
    )
    return NewKey(api_key=api_key, token=f"{KEY_PREFIX}{prefix}_{secret}")


@transaction.atomic
def do_revoke_api_key(prefix: str) -> ApiKey:
    """Revoke a key by its prefix; raise ``ApiKey.DoesNotExist`` for an unknown one."""
    api_key = ApiKey.objects.select_for_update().get(prefix=prefix.removeprefix(KEY_PREFIX))
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    return api_key


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
    if not token.startswith(KEY_PREFIX):
        return KeyCheckResult(KeyCheck.INVALID)
    prefix, sep, secret = token[len(KEY_PREFIX) :].partition("_")
    if not sep or not prefix or not secret:
        return KeyCheckResult(KeyCheck.INVALID)
    api_key = ApiKey.objects.select_related("source").filter(prefix=prefix).first()
    if api_key is None or not hmac.compare_digest(api_key.secret_sha256, _digest(secret)):
        return KeyCheckResult(KeyCheck.INVALID)
    if api_key.revoked_at is not None:
        return KeyCheckResult(KeyCheck.REVOKED)
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now())
    return KeyCheckResult(KeyCheck.VALID, api_key)
