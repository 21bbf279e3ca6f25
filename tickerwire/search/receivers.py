"""Keep the index current: every stored or changed article is (re)indexed inside the action's transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tickerwire.articles.events import StoryEvent


def index_for_event(event: StoryEvent) -> None:
    """(Re)index the story an event names, in the action's transaction (its tickers are already stored)."""
    from tickerwire.articles.models import Article
    from tickerwire.search import index_article, remove_article

    article = Article.objects.using(event.using).filter(pk=event.article_id).first()
    if article is None:
        remove_article(event.article_id)
        return
    index_article(article)


def unindex_deleted_article(sender: Any, instance: Any, **kwargs: Any) -> None:
    from tickerwire.search import remove_article

    remove_article(instance.pk)


def prune_index(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    from tickerwire.search.backends import backend_for

    connection = connections[using]
    backend = backend_for(connection)
    # Before the index migration has run (a fresh database mid-migrate) there is nothing to prune.
    if backend.table in connection.introspection.table_names():
        backend.prune()
