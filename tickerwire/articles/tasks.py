"""Background tasks of the articles app (django-tasks: in-process by default, a database queue for workers)."""

from __future__ import annotations

from django_tasks import task

from tickerwire.articles.actions.enrich import do_embed_and_relate, enrichment_enabled
from tickerwire.articles.events import StoryEvent


@task()
def embed_and_relate(article_id: int) -> list[int]:
    """Embed a stored article and rank its related stories; return the related ids."""
    return do_embed_and_relate(article_id)


def enqueue_refinement(event: StoryEvent) -> None:
    """Queue the embedding and related ranking of a stored or revised story (an after-commit consumer)."""
    if enrichment_enabled():
        embed_and_relate.enqueue(event.article_id)
