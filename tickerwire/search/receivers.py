"""Keep the index current: story events (re)index inside the writer's transaction; deletes and flushes prune."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tickerwire.articles.events import StoryEvent


def index_story_event(event: StoryEvent) -> None:
    """(Re)index each story of the event as it is now (the ``search.index`` consumer).

    The rows the writer passes (``event.written``, just written in this transaction) are used as they are;
    the others are read.
    """
    from tickerwire.articles.models import Article
    from tickerwire.search import index_article, remove_article

    found = {article.pk: article for article in event.written if article.pk in event.article_ids}
    missing = [article_id for article_id in event.article_ids if article_id not in found]
    if missing:
        found |= Article.objects.in_bulk(missing)
    for article_id in event.article_ids:
        article = found.get(article_id)
        if article is None:
            remove_article(article_id)
        else:
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
