"""Background tasks of the articles app (django-tasks: in-process by default, a database queue for workers)."""

from __future__ import annotations

from django_tasks import task

from tickerwire.articles.actions.enrich import do_embed_and_relate


@task()
def embed_and_relate(article_id: int) -> list[int]:
    """Embed a stored article and rank its related stories; return the related ids."""
    return do_embed_and_relate(article_id)
