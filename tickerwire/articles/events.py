"""Story events: what actions announce once they have written, and who hears them, in a written order.

Actions call :func:`publish` inside their transaction. Consumers run in two phases:

- ``IN_TRANSACTION``: inside the writer's transaction, so a failure rolls the story back with them (the
  search index, which must never disagree with the store);
- ``AFTER_COMMIT``: once the transaction commits (never if it rolls back): purging cached pages, queueing
  the embedding and related ranking, and later alerts.

Consumers register in ``tickerwire/config/wiring.py`` (the store imports none of them). Within a phase they
run in the order of :data:`CONSUMER_ORDER`, whatever order the apps load in; a consumer not named there is
refused, so a new one has to take a written place.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING

from django.db import DEFAULT_DB_ALIAS, transaction

from tickerwire.articles.selectors import Placement

if TYPE_CHECKING:
    from tickerwire.articles.models import Article

logger = logging.getLogger(__name__)


class StoryEventName(StrEnum):
    STORED = "story_stored"  # a new story: its article, first revision and enrichment are written
    REVISED = "story_revised"  # a new revision of a stored story
    STATUS_CHANGED = "status_changed"  # held, embargoed, published or withdrawn
    REFINED = "story_refined"  # the embedding step changed its sections or sentiment
    RELATED_CHANGED = "related_changed"  # these stories' related lists changed
    CORRECTED = "story_corrected"  # an editor changed its tickers, sections or headline


class Phase(StrEnum):
    IN_TRANSACTION = "in_transaction"
    AFTER_COMMIT = "after_commit"


# Every consumer, in the order it runs within its phase.
CONSUMER_ORDER: tuple[str, ...] = (
    "search.index",  # in transaction: the index follows the store atomically
    "delivery.purge",  # after commit: drop cached pages that showed the story before and show it now
    "articles.refine",  # after commit: queue the embedding, related ranking and refined sections
    "alerts.notify",  # after commit, last: readers are told once pages and search show the story
)


@dataclass(frozen=True)
class StoryEvent:
    """One thing that happened to stored stories (ids only: consumers read what they need)."""

    name: StoryEventName
    article_ids: tuple[int, ...]
    # Where the stories were listed before the change (new stories: nowhere), for purging old lists.
    before: tuple[Placement, ...] = field(default=(), compare=False)
    revision_id: int | None = None
    # The stories' rows as the writer holds them, just written: in-transaction consumers may use them instead
    # of reading the rows again (the search index). After commit they may be stale; consumers read there.
    written: tuple[Article, ...] = field(default=(), compare=False, repr=False)

    @property
    def article_id(self) -> int:
        """Return the one story of a single-story event."""
        return self.article_ids[0]


Consumer = Callable[[StoryEvent], None]


@dataclass(frozen=True)
class _Registration:
    name: str
    phase: Phase
    events: frozenset[StoryEventName]
    consume: Consumer


_registry: list[_Registration] = []


def register(name: str, phase: Phase, events: set[StoryEventName], consume: Consumer) -> None:
    """Register a consumer under its written name (again under the same name: replaced)."""
    if name not in CONSUMER_ORDER:
        raise ValueError(f"consumer {name!r} has no place in CONSUMER_ORDER (tickerwire/articles/events.py)")
    _registry[:] = [r for r in _registry if r.name != name]
    _registry.append(_Registration(name, phase, frozenset(events), consume))
    _registry.sort(key=lambda r: CONSUMER_ORDER.index(r.name))


@contextlib.contextmanager
def replaced(name: str, consume: Consumer) -> Iterator[None]:
    """Run ``consume`` in place of the named consumer (same phase and events) for the block (tests)."""
    saved = list(_registry)
    current = next((r for r in _registry if r.name == name), None)
    if current is None:
        raise LookupError(f"no consumer {name!r} is registered")
    register(name, current.phase, set(current.events), consume)
    try:
        yield
    finally:
        _registry[:] = saved


@contextlib.contextmanager
def suspended() -> Iterator[int]:
    """Run the block with no consumers (a bulk load that indexes and purges afterwards); yield how many."""
    saved = list(_registry)
    _registry.clear()
    try:
        yield len(saved)
    finally:
        _registry[:] = saved


def consumers(phase: Phase, event: StoryEventName) -> list[str]:
    """Return the names of the consumers that hear ``event`` in ``phase``, in the order they run."""
    return [r.name for r in _registry if r.phase == phase and event in r.events]


def heard(event: StoryEventName) -> bool:
    """Return whether any consumer hears the event, so a writer can skip gathering what only consumers read
    (the placement before a revision, when a bulk load suspended them)."""
    return any(event in registration.events for registration in _registry)


def publish(event: StoryEvent, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Run the event's in-transaction consumers now and queue its after-commit ones."""
    for registration in list(_registry):
        if event.name not in registration.events:
            continue
        if registration.phase == Phase.IN_TRANSACTION:
            registration.consume(event)
        else:
            transaction.on_commit(partial(_run_after_commit, registration, event), using=using)


def _run_after_commit(registration: _Registration, event: StoryEvent) -> None:
    """Run one after-commit consumer; its failure is logged, never undoes the committed story or stops the rest."""
    try:
        registration.consume(event)
    except Exception:
        logger.exception("consumer %s failed on %s for %s", registration.name, event.name, event.article_ids)
