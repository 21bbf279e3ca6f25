"""Background tasks of the store (django-tasks: in-process by default, a database queue for workers)."""

from __future__ import annotations

from django_tasks import task

from tickerwire.articles.actions.enrich import do_embed_and_relate, enrichment_enabled
from tickerwire.articles.events import StoryEvent


@task()
def embed_and_relate(article_id: int) -> list[int]:
    """Embed a stored article and rank its related stories; return the related ids."""
    return do_embed_and_relate(article_id)


def queue_refinement(event: StoryEvent) -> None:
    """Queue the embedding and related ranking of a stored or revised story (the ``articles.refine`` consumer)."""
    if enrichment_enabled():
        for article_id in event.article_ids:
            embed_and_relate.enqueue(article_id)
