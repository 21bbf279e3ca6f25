"""Connect the domain events' consumers, in the order :mod:`tickerwire.articles.events` documents.

This is the only place that knows which app hears which event; the store imports none of them.
"""

from __future__ import annotations

from tickerwire.articles.events import Phase, StoryEventName, subscribe

EVERY_CHANGE = {StoryEventName.STORED, StoryEventName.REVISED, StoryEventName.STATUS_CHANGED}
NEW_CONTENT = {StoryEventName.STORED, StoryEventName.REVISED}


def connect_consumers() -> None:
    """Subscribe every consumer (idempotent: a second call changes nothing)."""
    from tickerwire.articles.tasks import enqueue_refinement
    from tickerwire.delivery.purge import purge_for_event
    from tickerwire.search.receivers import index_for_event

    # In the transaction: the search index.
    subscribe(index_for_event, EVERY_CHANGE, Phase.IN_TRANSACTION)
    # After commit, in order: purge cached pages, then queue the embedding and related ranking.
    subscribe(purge_for_event, {*EVERY_CHANGE, StoryEventName.REFINED, StoryEventName.RELATED_CHANGED},
              Phase.AFTER_COMMIT)
    subscribe(enqueue_refinement, NEW_CONTENT, Phase.AFTER_COMMIT)
