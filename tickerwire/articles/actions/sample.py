"""Load the fictional companies of the sample content into the ticker table, marked ``is_sample``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from tickerwire.articles.models import Ticker
from tickerwire.enrich.ticker_directory import DirectoryEntry


@dataclass(frozen=True)
class TickerLoadCounts:
    """How many sample tickers a load created, renamed and left as they were."""

    created: int
    updated: int
    unchanged: int


def do_load_sample_tickers(entries: Iterable[DirectoryEntry]) -> TickerLoadCounts:
    """Create or update one ``is_sample`` ticker per entry, so re-loading the sample content changes nothing.

    A real ticker that happens to share a sample symbol and exchange is marked as sample and renamed:
    the sample list is checked against the official directories, so that does not happen in practice.
    """
    created = updated = unchanged = 0
    with transaction.atomic():
        for entry in entries:
            ticker = Ticker.objects.select_for_update().filter(symbol=entry.symbol, exchange=entry.exchange).first()
            if ticker is None:
                Ticker.objects.create(symbol=entry.symbol, exchange=entry.exchange, name=entry.name, is_sample=True)
                created += 1
            elif ticker.name != entry.name or not ticker.is_sample:
                ticker.name = entry.name
                ticker.is_sample = True
                ticker.save(update_fields=["name", "is_sample", "updated_at"])
                updated += 1
            else:
                unchanged += 1
    return TickerLoadCounts(created=created, updated=updated, unchanged=unchanged)
