"""Keep the index current: every stored article is (re)indexed inside the ingest transaction."""

from __future__ import annotations

from typing import Any


def index_stored_article(sender: Any, article: Any, **kwargs: Any) -> None:
    from tickerwire.search import index_article

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
