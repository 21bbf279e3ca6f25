"""Register the sources stories come from (a wire, a site, an API key's owner)."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from tickerwire.articles.actions.ingest_sql import RowLookup
from tickerwire.articles.models import Source

# Read for every new story: compiled once (the ORM's exists() cost ~1 ms a story in bench/ingest.py).
_arrive_held_by_id = RowLookup(Source, "id", ("arrive_held",), lock=False)


def do_ensure_source(name: str, *, kind: str = "", alias: str = DEFAULT_DB_ALIAS) -> Source:
    """Return the source of that name, created with ``kind`` if it is new."""
    with transaction.atomic(using=alias):
        source, _created = Source.objects.using(alias).get_or_create(name=name[:200], defaults={"kind": kind})
    return source


def do_set_arrive_held(name: str, held: bool, *, alias: str = DEFAULT_DB_ALIAS) -> Source:
    """Make new stories from a source arrive held (an operator reviews a new source) or published again.

    Stories already stored keep their status; only stories new from now on are affected.
    """
    with transaction.atomic(using=alias):
        source = do_ensure_source(name, alias=alias)
        if source.arrive_held != held:
            source.arrive_held = held
            source.save(using=alias, update_fields=["arrive_held"])
    return source


def arrives_held(source_id: int, alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Return whether new stories from the source arrive held (read per new story: a change applies at once)."""
    row = _arrive_held_by_id.fetch(source_id, connections[alias])
    return row is not None and bool(row[0])
