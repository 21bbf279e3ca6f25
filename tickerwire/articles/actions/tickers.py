"""Refresh the Ticker reference table from official symbol directories, in one transaction, in bulk."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone

from tickerwire.articles.models import Ticker
from tickerwire.enrich.ticker_directory import DirectoryEntry

BATCH_SIZE = 1000


@dataclass(frozen=True)
class ImportSummary:
    """What an import changed: rows created, rows whose name or CIK changed, rows left as they were."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


def do_import_tickers(entries: Iterable[DirectoryEntry], *, alias: str = DEFAULT_DB_ALIAS) -> ImportSummary:
    """Create or update a Ticker per (symbol, exchange); return the counts.

    Later entries for the same (symbol, exchange) win. One query reads the existing rows, then bulk
    inserts and bulk updates write the differences, so ~15k rows take seconds on SQLite and PostgreSQL.
    Rows absent from ``entries`` are kept: a directory file lists one market, not every ticker we know.
    """
    wanted: dict[tuple[str, str], DirectoryEntry] = {}
    for entry in entries:
        if not entry.symbol or not entry.name:
            raise ValueError(f"ticker entry without a symbol or a name: {entry!r}")
        wanted[(entry.symbol, entry.exchange)] = entry
    created: list[Ticker] = []
    changed: list[Ticker] = []
    unchanged = 0
    now = timezone.now()
    with transaction.atomic(using=alias):
        existing = {
            (t.symbol, t.exchange): t
            for t in Ticker.objects.using(alias).select_for_update().only("id", "symbol", "exchange", "name", "cik")
        }
        for key, entry in wanted.items():
            name, cik = entry.name[:300], entry.cik[:20]
            current = existing.get(key)
            if current is None:
                created.append(Ticker(symbol=entry.symbol[:20], exchange=entry.exchange[:40], name=name, cik=cik,
                                      is_sample=entry.is_sample))
            elif current.name != name or (cik and current.cik != cik):
                current.name, current.cik = name, cik or current.cik
                current.updated_at = now
                changed.append(current)
            else:
                unchanged += 1
        Ticker.objects.using(alias).bulk_create(created, batch_size=BATCH_SIZE)
        Ticker.objects.using(alias).bulk_update(changed, ["name", "cik", "updated_at"], batch_size=BATCH_SIZE)
    return ImportSummary(created=len(created), updated=len(changed), unchanged=unchanged)
