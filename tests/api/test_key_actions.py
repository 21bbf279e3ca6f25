"""API keys are written by actions only; checking a key writes its last use at most once a minute."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tickerwire.api.actions import do_create_api_key, do_revoke_api_key
from tickerwire.api.keys import KeyCheck, check_token
from tickerwire.api.models import ApiKey
from tickerwire.articles.models import Source

pytestmark = pytest.mark.django_db


def test_creating_a_key_registers_its_source_once() -> None:
    """Two keys for one wire share one source row, of kind 'api'."""
    first = do_create_api_key("Acme Wire")
    second = do_create_api_key("Acme Wire", name="backup")
    assert first.api_key.source_id == second.api_key.source_id
    assert Source.objects.get(name="Acme Wire").kind == "api"


def test_last_use_is_written_at_most_once_a_minute() -> None:
    """A busy key does not cost an UPDATE per request; a key idle for over a minute is stamped again."""
    new = do_create_api_key("Acme Wire")
    assert check_token(new.token).status == KeyCheck.VALID
    stamped = ApiKey.objects.get(pk=new.api_key.pk).last_used_at
    assert stamped is not None
    recent = timezone.now() - timedelta(seconds=30)
    ApiKey.objects.filter(pk=new.api_key.pk).update(last_used_at=recent)
    check_token(new.token)
    assert ApiKey.objects.get(pk=new.api_key.pk).last_used_at == recent
    idle = timezone.now() - timedelta(minutes=5)
    ApiKey.objects.filter(pk=new.api_key.pk).update(last_used_at=idle)
    check_token(new.token)
    assert ApiKey.objects.get(pk=new.api_key.pk).last_used_at > recent


def test_a_revoked_key_is_refused() -> None:
    new = do_create_api_key("Acme Wire")
    do_revoke_api_key(new.api_key.prefix)
    assert check_token(new.token).status == KeyCheck.REVOKED
