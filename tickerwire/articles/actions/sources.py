"""Register the sources stories come from (a wire, a site, an API key's owner)."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, transaction

from tickerwire.articles.models import Source


def do_ensure_source(name: str, *, kind: str = "", alias: str = DEFAULT_DB_ALIAS) -> Source:
    """Return the source of that name, created with ``kind`` if it is new."""
    with transaction.atomic(using=alias):
        source, _created = Source.objects.using(alias).get_or_create(name=name[:200], defaults={"kind": kind})
    return source
