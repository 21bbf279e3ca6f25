"""Domain events: what the store's actions tell the rest of Tickerwire, and who hears them, in what order.

Actions call :func:`publish` inside their transaction. Consumers are registered in two phases:

* ``IN_TRANSACTION`` consumers run at once, inside the action's transaction: their writes commit or roll
  back with the story (the search index: a story that is stored is always searchable; a failing index
  write rolls the story back, and ingestion quarantines it rather than losing it).
* ``AFTER_COMMIT`` consumers run once the transaction commits (nothing runs for a rolled-back story),
  each on its own: one failing is logged and does not stop the next.

Registration happens in one place, :func:`tickerwire.config.wiring.connect_consumers`, in this order:

=================  ==========================================================================================
phase              consumers, in order
=================  ==========================================================================================
in transaction     1. search: (re)index the story, or drop it from the index when it is no longer visible
after commit       1. delivery: purge the cached pages that showed the story before and show it now
                   2. articles: queue embedding, section/sentiment refinement and related ranking
                   3. (alerts, when they arrive, come last: they read what the steps above wrote)
=================  ==========================================================================================

The store never imports its consumers: ``articles`` knows only this module.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import DEFAULT_DB_ALIAS, transaction

logger = logging.getLogger(__name__)


class StoryEventName(StrEnum):
    """The events actions publish."""

    STORED = "story_stored"  # a new story
    REVISED = "story_revised"  # a new revision of a stored story
    STATUS_CHANGED = "status_changed"  # held, embargoed, published or withdrawn
    REFINED = "story_refined"  # enrichment refined after commit (embedding): sections, related list
    RELATED_CHANGED = "related_changed"  # other stories' related lists changed (``article_ids``)


class Phase(StrEnum):
    IN_TRANSACTION = "in_transaction"
    AFTER_COMMIT = "after_commit"


@dataclass(frozen=True)
class Placement:
    """Where a story was shown before a change: its address, sections and tickers (pages to purge)."""

    path: str = ""
    section_slugs: frozenset[str] = frozenset()
    symbols: frozenset[str] = frozenset()


@dataclass(frozen=True)
class StoryEvent:
    """One thing that happened to a story (or, for ``RELATED_CHANGED``, to several)."""

    name: StoryEventName
    article_id: int
    revision_number: int = 0
    before: Placement = field(default_factory=Placement)
    article_ids: tuple[int, ...] = ()
    using: str = DEFAULT_DB_ALIAS


Consumer = Callable[[StoryEvent], None]

_consumers: dict[Phase, list[tuple[frozenset[StoryEventName], Consumer]]] = {phase: [] for phase in Phase}


def subscribe(consumer: Consumer, names: set[StoryEventName], phase: Phase) -> None:
    """Register a consumer of some events (called by the wiring only; the order of calls is the run order)."""
    entry = (frozenset(names), consumer)
    if entry not in _consumers[phase]:
        _consumers[phase].append(entry)


def unsubscribe(consumer: Consumer, phase: Phase) -> None:
    """Remove a consumer from a phase (tests that listen for a while)."""
    _consumers[phase] = [entry for entry in _consumers[phase] if entry[1] is not consumer]


def consumers(phase: Phase) -> list[tuple[frozenset[StoryEventName], Consumer]]:
    """Return the registered consumers of a phase, in run order (for tests and documentation)."""
    return list(_consumers[phase])


def publish(event: StoryEvent) -> None:
    """Run the event's in-transaction consumers now and schedule its after-commit consumers.

    Call it inside the action's transaction. Outside one (autocommit), after-commit consumers run at once.
    """
    for names, consumer in _consumers[Phase.IN_TRANSACTION]:
        if event.name in names:
            consumer(event)
    for names, consumer in _consumers[Phase.AFTER_COMMIT]:
        if event.name in names:
            transaction.on_commit(_guarded(consumer, event), using=event.using, robust=True)


def _guarded(consumer: Consumer, event: StoryEvent) -> Callable[[], None]:
    def run() -> None:
        consumer(event)

    run.__qualname__ = f"{getattr(consumer, '__qualname__', 'consumer')}({event.name})"
    return run
