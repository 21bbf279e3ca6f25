"""Every write of the API app: create and revoke keys, note when a key was last used."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tickerwire.api.models import ApiKey
from tickerwire.api.tokens import KEY_PREFIX, secret_digest
from tickerwire.articles.actions.sources import do_ensure_source

# A key's last use is written at most this often: not one UPDATE per ingest request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewKey:
    api_key: ApiKey
    token: str  # shown once, never stored


def do_create_api_key(source_name: str, name: str = "", *, arrive_held: bool = False) -> NewKey:
    """Create a key for a source (created if new) and return it with its one-time token.

    ``arrive_held``: the stories new with this key arrive held, for an editor to review (see
    :func:`do_set_key_arrive_held`).
    """
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():  # the source and its first key together, or neither
        source = do_ensure_source(source_name, kind="api")
        api_key = ApiKey.objects.create(
            source=source, name=name or source_name, prefix=prefix, secret_sha256=secret_digest(secret),
            arrive_held=arrive_held,
        )
    return NewKey(api_key=api_key, token=f"{KEY_PREFIX}{prefix}_{secret}")


def do_revoke_api_key(prefix: str) -> ApiKey:
    """Revoke a key by its prefix; raise ``ApiKey.DoesNotExist`` for an unknown one."""
    with transaction.atomic():
        api_key = ApiKey.objects.select_for_update().get(prefix=prefix.removeprefix(KEY_PREFIX))
        if api_key.revoked_at is None:
            api_key.revoked_at = timezone.now()
            api_key.save(update_fields=["revoked_at"])
    return api_key


def do_set_key_arrive_held(prefix: str, held: bool) -> ApiKey:
    """Make the new stories pushed with one key arrive held (a newsroom under review) or published again.

    Per key, beside the per-source setting (either holds). Stories already stored keep their status. Raise
    ``ApiKey.DoesNotExist`` for an unknown prefix.
    """
    with transaction.atomic():
        api_key = ApiKey.objects.select_for_update().select_related("source").get(
            prefix=prefix.removeprefix(KEY_PREFIX)
        )
        if api_key.arrive_held != held:
            api_key.arrive_held = held
            api_key.save(update_fields=["arrive_held"])
    return api_key


def do_note_key_use(api_key: ApiKey) -> None:
    """Record that a key was just used, at most once per :data:`LAST_USED_RESOLUTION` (one guarded UPDATE)."""
    now = timezone.now()
    if api_key.last_used_at is not None and now - api_key.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiKey.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION), pk=api_key.pk
    ).update(last_used_at=now)
    api_key.last_used_at = now
